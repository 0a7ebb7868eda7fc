"""DLT templates: the text sent must be the registered template with only its variables
filled in, and must fit the segment limits (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass

VAR = "{#var#}"
# GSM 03.38 basic character set (and the extension table, which costs two characters).
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€")


class TemplateError(ValueError):
    """A configured template that cannot be sent as registered."""


@dataclass(frozen=True)
class Segments:
    unicode: bool
    count: int


def segments(text: str) -> Segments:
    """How many SMS parts `text` needs: GSM-7 160/153, otherwise UCS-2 70/67."""
    if all(ch in GSM7 or ch in GSM7_EXTENDED for ch in text):
        length = len(text) + sum(ch in GSM7_EXTENDED for ch in text)
        single, part = 160, 153
        unicode = False
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
        unicode = True
    count = 1 if length <= single else -(-length // part)
    return Segments(unicode=unicode, count=count)


def render(template: str, *values: str) -> str:
    if template.count(VAR) != len(values):
        raise TemplateError(f"template has {template.count(VAR)} variables, {len(values)} given")
    text = template
    for value in values:
        text = text.replace(VAR, value, 1)
    return text


def matches(template: str, text: str) -> bool:
    """True when `text` is `template` with each variable replaced by up to 30 characters,
    as DLT scrubbing checks."""
    pattern = "^" + ".{1,30}".join(re.escape(part) for part in template.split(VAR)) + "$"
    return re.match(pattern, text, flags=re.DOTALL) is not None


def check_template(name: str, template: str, max_segments: int) -> Segments:
    """Start-up check: a sample OTP message renders, matches its template and fits."""
    sample = render(template, "482913", "10")
    if not matches(template, sample):
        raise TemplateError(f"template {name}: rendered text does not match the registered text")
    fit = segments(sample)
    if fit.count > max_segments:
        raise TemplateError(
            f"template {name}: needs {fit.count} SMS segments "
            f"({'UCS-2, 70' if fit.unicode else 'GSM-7, 160'} characters each), "
            f"more than the {max_segments} allowed"
        )
    return fit
