"""Wiring of cross-domain event handlers: which service reacts to which event."""
