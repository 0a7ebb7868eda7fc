"""How a refusal becomes an HTTP answer: the one map from a refusal's reason to a status
code, used by every route (certification.http and certification.http_decisions)."""

from typing import NoReturn

from fastapi import HTTPException

from certification.domain.model import Certification
from certification.domain.refusal import Refusal

STATUS = {
    "not_found": 404,
    "forbidden": 403,
    "invalid_transition": 409,
    "conflict": 409,
    "invalid": 422,
    "too_large": 413,
    "unsupported_type": 415,
    "employee_not_in_your_offices": 403,
    "employee_not_in_source_data": 422,
}


def refuse(refusal: Refusal) -> NoReturn:
    detail = {"reason": refusal.reason, "message": refusal.message}
    if refusal.current_state is not None:
        detail["current_state"] = refusal.current_state
    raise HTTPException(STATUS[refusal.reason], detail=detail)


def unless_refused(result: Certification | Refusal) -> Certification:
    """The certification, or the refusal raised as its status."""
    if isinstance(result, Refusal):
        refuse(result)
    return result
