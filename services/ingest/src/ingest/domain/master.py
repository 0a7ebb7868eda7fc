"""Master data rows (departments, district offices, posts, DDOs) -> entities."""

from __future__ import annotations

from ingest.domain import normalise as n
from ingest.domain.model import MasterEntity

_TYPES = {
    "department": "department",
    "dept": "department",
    "office": "office",
    "district_office": "office",
    "district office": "office",
    "post": "post",
    "designation": "post",
    "ddo": "ddo",
}
_TRUE = {"", "y", "yes", "true", "1", "active"}
_FALSE = {"n", "no", "false", "0", "inactive"}


def entity_type(field: str, value: str | None, required: bool = True) -> str | None:
    raw = (n.text(value) or "").lower()
    if not raw and not required:
        return None
    if raw not in _TYPES:
        raise n.FieldError(field, f"{raw!r} is not department, office, post or ddo")
    return _TYPES[raw]


def active(value: str | None) -> bool:
    raw = (n.text(value) or "").lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise n.FieldError("active", f"{raw!r} is not Y or N")


def entity(cells: dict[str, str], row_number: int) -> MasterEntity:
    """One master-data row; raises `FieldError` for a rejecting defect."""
    kind = entity_type("entity_type", cells.get("entity_type"))
    parent_type = entity_type("parent_type", cells.get("parent_type"), required=False)
    parent_code = n.code(cells.get("parent_code"))
    if (parent_type is None) != (parent_code is None):
        raise n.FieldError("parent_code", "parent_type and parent_code go together")
    return MasterEntity.model_validate(
        {
            "entity_type": kind,
            "code": n.code(n.required("code", cells.get("code"))),
            "name": n.required("name", cells.get("name")),
            "parent_type": parent_type,
            "parent_code": parent_code,
            "active": active(cells.get("active")),
            "row_number": row_number,
        }
    )
