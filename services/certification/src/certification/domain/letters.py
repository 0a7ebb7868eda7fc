"""Scanned letters: what counts as a PDF, and the file name a letter is kept and served
under (pure, apart from parsing the bytes).

Magic bytes alone prove nothing (`%PDF-` followed by HTML, or by a program, passed them),
so a letter must parse as a PDF with at least one page. A file name is the sender's text:
only its last path part is kept, without control, format or bidirectional characters (an
RTL override makes `evil‮fdp.exe` read as `evilexe.pdf`), and it always ends in `.pdf`.
"""

from __future__ import annotations

import io
import re
import unicodedata

from pypdf import PdfReader

from servicekit.aadhaar import redact_aadhaar

PDF_MAGIC = b"%PDF-"
DEFAULT_NAME = "letter.pdf"
MAX_NAME = 120


def pdf_problem(data: bytes) -> str | None:
    """Why `data` is not a PDF with at least one page, or None when it is."""
    if not data.startswith(PDF_MAGIC):
        return "content must start with %PDF-"
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted:
            return "an encrypted PDF cannot be checked"
        pages = len(reader.pages)
    except Exception as error:  # pypdf raises many kinds on malformed input
        return f"content does not parse as a PDF ({type(error).__name__})"
    return None if pages > 0 else "the PDF has no page"


_UNSAFE = re.compile(r'["\\;<>|?*:]')


def safe_filename(name: str | None) -> str:
    """The name a letter is stored and served under: the last path part of `name`, NFC,
    without control/format/bidi characters or characters unsafe in a header or on a
    file system, no leading dots, no Aadhaar-like number, at most MAX_NAME characters,
    ending in `.pdf`."""
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(c for c in text if unicodedata.category(c)[0] not in ("C", "Z") or c == " ")
    text = _UNSAFE.sub("_", text).strip().lstrip(".").strip()
    # again on what is kept: taking out characters can join the digits of a number
    # (`2345<U+0001>6789<U+0001>0124` becomes `234567890124`)
    text = redact_aadhaar(text)[0]
    stem = text[:-4] if text.lower().endswith(".pdf") else text
    stem = stem.rstrip(". ")[: MAX_NAME - 4]
    return f"{stem}.pdf" if stem else DEFAULT_NAME
