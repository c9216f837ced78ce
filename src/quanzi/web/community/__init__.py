"""Community group buying's pages (社区团购): the buyer's, the leader's and the consoles'."""
