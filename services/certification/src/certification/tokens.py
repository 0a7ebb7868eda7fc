"""Bearer tokens: HS256 JWTs with claims sub, role, offices, exp (and iat).

Issued by `python -m certification token` with the service's secret; verified on every
request. A token that is missing, expired, badly signed or malformed is refused (401).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import get_args

import jwt

from certification.domain.access import Principal
from certification.domain.model import Role

ALGORITHM = "HS256"
ROLES: tuple[str, ...] = get_args(Role)


class TokenError(ValueError):
    """Why a bearer token is not accepted."""


def issue(
    secret: str, sub: str, role: str, offices: Iterable[str], hours: float, now: datetime
) -> str:
    if role not in ROLES:
        raise TokenError(f"role must be one of {', '.join(ROLES)}")
    claims = {
        "sub": sub,
        "role": role,
        "offices": sorted(set(offices)),
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=hours)).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify(secret: str, token: str) -> Principal:
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "role"]}
        )
    except jwt.ExpiredSignatureError as error:
        raise TokenError("token expired") from error
    except jwt.InvalidSignatureError as error:
        raise TokenError("token signature is not valid") from error
    except jwt.PyJWTError as error:
        raise TokenError(f"token is not valid: {error}") from error
    role, offices = claims.get("role"), claims.get("offices", [])
    if role not in ROLES:
        raise TokenError(f"token role {role!r} is not one of {', '.join(ROLES)}")
    if not isinstance(offices, list) or not all(isinstance(o, str) for o in offices):
        raise TokenError("token claim 'offices' must be a list of office codes")
    return Principal(sub=str(claims["sub"]), role=role, offices=frozenset(offices))
