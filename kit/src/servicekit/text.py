"""Is this text fit to be stored, logged and published? Pure.

A value from outside is refused (per field, with this reason) when it holds a lone
surrogate (`\\ud800`: not Unicode text at all; UTF-8 cannot encode it, so MongoDB, Kafka
and the logs would fail on it) or a control character other than tab, line feed and
carriage return (NUL and the like: invisible, and cut short by C code downstream).
"""

from __future__ import annotations

import re
import unicodedata

_ALLOWED = "\t\n\r"
# Every C0 and C1 control except tab, LF and CR, DEL, and the surrogate range.
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why `value` is refused, or None when it is fit."""
    found = _BAD.search(value)
    if found is None:
        return None
    char, at = found.group(0), found.start() + 1
    if unicodedata.category(char) == "Cs":
        return f"is not valid Unicode text (a lone surrogate U+{ord(char):04X} at character {at})"
    return f"contains the control character U+{ord(char):04X} at character {at}"


def without_format(value: str) -> str:
    """`value` without format characters (bidi controls, zero-width characters): a label
    shown to people, where an RTL override makes `\u202efdp.exe` read as `exe.pdf`."""
    if value.isascii():
        return value
    return "".join(c for c in value if unicodedata.category(c) != "Cf")


def printable(value: str) -> str:
    """`value` as it may be kept to show a refusal: each refused character written as
    `<U+XXXX>`, so the rest of the text survives and can be stored."""
    return _BAD.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", value)


def tree_problem(value: object, path: str = "") -> str | None:
    """The first refused text inside a JSON-like value (keys too), as '<path>: <why>'."""
    stack: list[tuple[object, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if problem := text_problem(item):
                return f"{where or 'value'}: {problem}"
        elif isinstance(item, dict):
            for key, inner in reversed(list(item.items())):
                name = f"{where}.{key}" if where else str(key)
                if isinstance(key, str) and (problem := text_problem(key)):
                    return f"{printable(name)}: the name {problem}"
                stack.append((inner, printable(name)))
        elif isinstance(item, list | tuple):
            stack.extend((inner, f"{where}[{i}]") for i, inner in reversed(list(enumerate(item))))
    return None
