"""Payment intents, providers (sandbox first) and their signed callbacks."""
