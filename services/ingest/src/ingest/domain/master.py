"""Master data rows (departments, district offices, posts, DDOs, heads of account) ->
entities. Optional columns classify: `funding` of a head (state, centrally_sponsored) and
`employment` of a post (full_time, part_time); blank leaves it unclassified."""

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
    "head": "head",
    "head_of_account": "head",
    "scheme": "head",
}
_FUNDING = {
    "state": "state",
    "state_plan": "state",
    "centrally_sponsored": "centrally_sponsored",
    "centrally sponsored": "centrally_sponsored",
    "css": "centrally_sponsored",
}
_EMPLOYMENT = {
    "full_time": "full_time",
    "full time": "full_time",
    "part_time": "part_time",
    "part time": "part_time",
}
_TRUE = {"", "y", "yes", "true", "1", "active"}
_FALSE = {"n", "no", "false", "0", "inactive"}


def entity_type(field: str, value: str | None, required: bool = True) -> str | None:
    raw = (n.text(value) or "").lower()
    if not raw and not required:
        return None
    if raw not in _TYPES:
        raise n.FieldError(field, f"{raw!r} is not department, office, post, ddo or head")
    return _TYPES[raw]


def active(value: str | None) -> bool:
    raw = (n.text(value) or "").lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise n.FieldError("active", f"{raw!r} is not Y or N")


def classification(
    field: str, value: str | None, allowed: dict[str, str], kind: str, applies_to: str
) -> str | None:
    """An optional classifying column: blank is unclassified; it applies to one kind."""
    raw = (n.text(value) or "").lower().replace("-", "_")
    if not raw:
        return None
    if raw not in allowed:
        choices = " or ".join(sorted(set(allowed.values())))
        raise n.FieldError(field, f"{raw!r} is not {choices}")
    if kind != applies_to:
        raise n.FieldError(field, f"is only given for a {applies_to}, not a {kind}")
    return allowed[raw]


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
            "funding": classification("funding", cells.get("funding"), _FUNDING, str(kind), "head"),
            "employment": classification(
                "employment", cells.get("employment"), _EMPLOYMENT, str(kind), "post"
            ),
            "row_number": row_number,
        }
    )
