"""JSON delivery under /api/v1: one router module per domain, thin over the services."""
