"""Bearer tokens of officers: OIDC access tokens verified by servicekit.officers (issuer's
JWKS, RS256/ES256, issuer, audience, expiry, `sub`). This module turns the verified officer
into the service's Principal, widening a department-wide officer's scope (HOD,
administrative secretary) to the offices the master data places in that department.
"""

from __future__ import annotations

from typing import cast

from certification.domain.access import Principal
from certification.domain.model import Role
from certification.ports import EmployeeDirectory
from servicekit.officers import Officer, OfficerTokenError, OfficerTokens, ProviderUnavailableError

__all__ = ["OfficerTokenError", "OfficerTokens", "ProviderUnavailableError", "principal"]


async def principal(officer: Officer, directory: EmployeeDirectory) -> Principal:
    offices = set(officer.offices)
    if officer.department is not None and officer.role != "hrd":
        offices |= await directory.department_offices(officer.department)
    return Principal(
        sub=officer.sub,
        role=cast(Role, officer.role),
        offices=frozenset(offices),
        department=officer.department,
    )
