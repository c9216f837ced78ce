"""Opaque access tokens and HMAC signatures; passwords are hashed in ``core.hashing``."""

import hashlib
import hmac
import secrets


def new_token() -> str:
    """A random bearer token (the client keeps it; we keep only its hash)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign(secret: str, message: bytes) -> str:
    """Hex HMAC-SHA256 of ``message``."""
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_matches(secret: str, message: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, message), signature)


def derive_key(purpose: str, secret: str) -> str:
    """A separate key per purpose, so one leaked key does not sign everything."""
    return sign(secret, purpose.encode())
