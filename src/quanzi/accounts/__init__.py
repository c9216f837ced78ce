"""Users, roles, sign-in, addresses."""
