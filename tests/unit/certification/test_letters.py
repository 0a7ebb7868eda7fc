"""A letter is a PDF when it parses as one, and its file name is the sender's text made
safe: last path part only, no control or bidirectional characters, ending in .pdf."""

from __future__ import annotations

import pytest

from certification.domain.letters import pdf_problem, safe_filename
from servicekit.aadhaar import REDACTED, contains_aadhaar
from tests.factories.aadhaar import valid_aadhaar
from tests.factories.certification import PDF

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


def test_a_real_pdf_passes() -> None:
    assert pdf_problem(PDF) is None


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n<html><script>alert(1)</script></html>",
        b"%PDF-1.4\n" + ELF,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        ELF,
        b"<html>%PDF-1.4</html>",
        PDF[: len(PDF) // 2],
    ],
    ids=["html", "elf-after-magic", "no-pages", "elf", "magic-inside", "truncated"],
)
def test_content_that_does_not_parse_as_a_pdf_with_a_page_is_refused(data: bytes) -> None:
    assert pdf_problem(data) is not None


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/cron.d/x.pdf", "x.pdf"),
        ("..\\..\\windows\\system32\\x.pdf", "x.pdf"),
        ("/etc/passwd", "passwd.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe.pdf"),
        ("a\u200bb\u2066c\u2069.pdf", "abc.pdf"),
        ("line\r\nbreak\x00.pdf", "linebreak.pdf"),
        ('say "hi"; x=1.pdf', "say _hi__ x=1.pdf"),
        ("...hidden.pdf", "hidden.pdf"),
        ("", "letter.pdf"),
        (None, "letter.pdf"),
        ("../", "letter.pdf"),
        ("पत्र.PDF", "पत्र.pdf"),
        ("x" * 500 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_a_file_name_is_kept_safe(sent: str | None, kept: str) -> None:
    assert safe_filename(sent) == kept


def test_a_number_joined_by_what_the_name_loses_is_redacted() -> None:
    """Taking out control and unsafe characters joined an Aadhaar number's digits."""
    number = valid_aadhaar("letter")
    for joint in ("\x01", "\x1f", "|", "\u2028"):
        sent = f"uid {number[:4]}{joint}{number[4:8]}{joint}{number[8:]}.pdf"
        kept = safe_filename(sent)
        assert not contains_aadhaar(kept), (joint, kept)
        assert kept == f"uid {REDACTED}.pdf"
