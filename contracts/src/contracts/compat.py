"""Backward-compatibility check between two JSON Schemas of one event, as a schema
registry in BACKWARD mode would apply it: consumers on the new schema must still read
every message written with the old one.

Refused: a field removed; a field's type narrowed (a type, enum value or const that is
no longer accepted); a field made required that was optional; a new required field.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def _resolve(schema: Schema, root: Schema) -> Schema:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = root.get("$defs", {})[name]
    return schema


def _variants(schema: Schema, root: Schema) -> list[Schema]:
    schema = _resolve(schema, root)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return [v for s in schema[key] for v in _variants(s, root)]
    return [schema]


def _accepted_values(schema: Schema) -> set[Any] | None:
    """The finite set of values a schema accepts, or None when it is not finite."""
    if "const" in schema:
        return {schema["const"]}
    if "enum" in schema:
        return set(schema["enum"])
    return None


def _type_of(schema: Schema) -> str:
    value = schema.get("type", "any")
    return value if isinstance(value, str) else "|".join(sorted(value))


def _compare(old: Schema, new: Schema, old_root: Schema, new_root: Schema, path: str) -> list[str]:
    problems: list[str] = []
    new_variants = _variants(new, new_root)
    new_types = {_type_of(v) for v in new_variants}
    for old_variant in _variants(old, old_root):
        old_type = _type_of(old_variant)
        if "any" in new_types:
            continue
        widened = old_type == "integer" and "number" in new_types
        if old_type not in new_types and not widened and old_type != "any":
            problems.append(f"{path}: type {old_type} is no longer accepted")
            continue
        old_values = _accepted_values(old_variant)
        if old_values is not None:
            new_values: set[Any] = set()
            for variant in new_variants:
                values = _accepted_values(variant)
                if values is None and _type_of(variant) == old_type:
                    new_values = old_values
                    break
                new_values |= values or set()
            if lost := old_values - new_values:
                problems.append(f"{path}: values {sorted(map(str, lost))} are no longer accepted")
        if old_type == "object":
            match = next(v for v in new_variants if _type_of(v) == "object")
            problems += _compare_objects(old_variant, match, old_root, new_root, path)
        if old_type == "array" and "items" in old_variant:
            match = next(v for v in new_variants if _type_of(v) == "array")
            if "items" in match:
                problems += _compare(
                    old_variant["items"], match["items"], old_root, new_root, f"{path}[]"
                )
    return problems


def _compare_objects(
    old: Schema, new: Schema, old_root: Schema, new_root: Schema, path: str
) -> list[str]:
    problems: list[str] = []
    old_props: dict[str, Schema] = old.get("properties", {})
    new_props: dict[str, Schema] = new.get("properties", {})
    old_required = set(old.get("required", []))
    new_required = set(new.get("required", []))
    prefix = f"{path}." if path else ""
    for name, old_prop in old_props.items():
        if name not in new_props:
            problems.append(f"{prefix}{name}: field removed")
            continue
        if name in new_required and name not in old_required:
            problems.append(f"{prefix}{name}: optional field made required")
        problems += _compare(old_prop, new_props[name], old_root, new_root, f"{prefix}{name}")
    for name in sorted(new_required - set(old_props)):
        problems.append(f"{prefix}{name}: new required field (old messages lack it)")
    return problems


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """Every reason the new schema cannot read data written with the old; empty if none."""
    return _compare(old, new, old, new, "")
