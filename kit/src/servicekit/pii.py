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


# A value standing on its own: not part of a word, nor joined to one by - _ . / (batch
# ids like `batch-0123456789`, UUIDs, file names, decimals are identifiers, not secrets).
_START = r"(?<![\w])(?<![\w][-_./])"
_END = r"(?![\w])(?![-_./]\w)"
_SHAPES = re.compile(
    _START
    + r"(?:"
    # a mobile: ten digits from 6-9, perhaps as 5 + 5, perhaps after +91, 91 or 0
    + r"(?:\+?91[\s-]?|0)?[6-9]\d{4}[\s-]?\d{5}"
    # an Aadhaar number: twelve digits from 2-9, perhaps grouped 4-4-4
    + r"|[2-9]\d{3}([\s-]?)\d{4}\1\d{4}"
    # an OTP: six to eight digits
    + r"|\d{6,8}"
    + r")"
    + _END
)
_FAMILY_ID = re.compile(
    _START + r"(?=[0-9A-Z]{8,9}" + _END + r")(?=[A-Z]*\d)(?=\d*[A-Z])[0-9A-Z]{8,9}" + _END
)


def _mask_digits(match: re.Match[str]) -> str:
    return mask_mobile(re.sub(r"\D", "", match.group(0)))


def redact(text: str) -> str:
    """Mask only the shapes meant, each standing on its own: a mobile, an Aadhaar number,
    an OTP (6-8 digits) and a Family ID (8-9 upper-case letters and digits, both present).
    Identifiers that merely contain such runs (batch ids, UUIDs, hashes) are left alone."""
    return _FAMILY_ID.sub(lambda m: mask_family_id(m.group(0)), _SHAPES.sub(_mask_digits, text))


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
