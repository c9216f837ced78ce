"""Community group buying (社区团购): leaders (团长) and their pickup points (自提点),
batches (团期) with a cut-off, the frozen picking lists and dispatch notes, pickup codes
and their verification, and the leader's commission."""
