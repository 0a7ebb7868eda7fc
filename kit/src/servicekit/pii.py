"""Masking of personal data for logs and refusals. Logs never hold a full mobile,
a Family ID, an Aadhaar number or an OTP; the filter is a second line of defence
behind masking at the call site."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re


def mask_mobile(mobile: str | None) -> str:
    """'9876543210' -> '98******10'."""
    if not mobile:
        return "-"
    if len(mobile) <= 4:
        return "*" * len(mobile)
    return f"{mobile[:2]}{'*' * (len(mobile) - 4)}{mobile[-2:]}"


def mask_family_id(family_id: str | None) -> str:
    """'ABCD1234' -> 'AB****34'."""
    return mask_mobile(family_id)


def keyed_hash(key: str, kind: str, value: str) -> str:
    """A lookup key for personal data (`kind` is "mobile", "family_id", ...): HMAC-SHA256
    under a server secret, so ids, index keys and the server logs that quote them (a
    duplicate-key line) never hold the value in clear, and nobody without the key can
    confirm a guess. 128 bits in hex."""
    digest = hmac.new(key.encode(), f"{kind}:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


_DIGIT_RUNS = re.compile(r"(?<!\w)(?:\+?91[\s-]?)?(?:\d{5}[\s-]\d{5}|\d{6,})(?!\w)")
_FAMILY_ID = re.compile(
    r"(?<![0-9A-Za-z])(?=[0-9A-Z]{8,9}(?![0-9A-Za-z]))(?=[A-Z]*\d)(?=\d*[A-Z])[0-9A-Z]{8,9}"
)


def _mask_digits(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if len(digits) < 6:
        return match.group(0)
    return mask_mobile(digits)


def redact(text: str) -> str:
    """Mask every run of 6 or more digits (OTPs, mobiles, Aadhaar) and every token
    shaped like a Family ID (8-9 upper-case letters and digits, both present)."""
    return _FAMILY_ID.sub(lambda m: mask_family_id(m.group(0)), _DIGIT_RUNS.sub(_mask_digits, text))


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with `redact` before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def configure_logging(level: str) -> None:
    """Root logging for a service process: one line per record, PII redacted."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
