"""Orders, their lines, the order state machine, fulfilment and refunds."""
