"""Passwords (argon2), opaque access tokens, and HMAC signatures."""

import hashlib
import hmac
import secrets

from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from quanzi.core.config import get_settings


@lru_cache
def _hasher(profile: str) -> PasswordHasher:
    """argon2id with the named argon2-cffi profile (RFC_9106_LOW_MEMORY unless configured)."""
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def hash_password(password: str) -> str:
    return _hasher(get_settings().argon2_profile).hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check a password against its hash (any profile: the parameters live in the hash)."""
    try:
        return _hasher(get_settings().argon2_profile).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


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
