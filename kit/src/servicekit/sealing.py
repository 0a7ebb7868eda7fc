"""Sealing of OTP codes between the OTP service and notify (Fernet: AES-128-CBC with
HMAC-SHA256). The key comes from settings (`SEVA_SMS_SEAL_KEY`), shared by the two
services alone, so the Kafka log never holds a readable code."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken


class SealError(ValueError):
    """The sealed code was tampered with, expired, or sealed under another key."""


def seal(key: str, secret: str) -> str:
    return Fernet(key.encode()).encrypt(secret.encode()).decode()


def unseal(key: str, token: str, ttl_seconds: int | None = None) -> str:
    try:
        return Fernet(key.encode()).decrypt(token.encode(), ttl=ttl_seconds).decode()
    except InvalidToken as error:
        raise SealError("sealed code cannot be opened with this key") from error
