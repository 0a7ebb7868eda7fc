"""A source file's bytes read as lines: a byte order mark, CR LF or a lone CR, and chunks
cut inside a character decode cleanly; a file that is not UTF-8 or ends inside a character
is refused naming the line; a declared charset is read, and one declared twice over or
naming a codec no file is written in is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ingest.domain import parsing
from ingest.domain.encoding import EncodingError, UnknownEncodingError, check_encoding, declared
from ingest.domain.model import EmployeeDraft, ParseStats, Rejection
from tests.unit.ingest.rows import AS_OF, HKRNL_HEADER, chunked, hkrnl_row


def parse_hkrnl_lines(lines: Iterator[str]) -> list[EmployeeDraft | Rejection]:
    return list(parsing.parse_hkrnl_csv(lines, ParseStats(), as_of=AS_OF))


def test_bom_crlf_and_chunks_split_inside_a_hindi_letter_decode_cleanly() -> None:
    text = f"{HKRNL_HEADER}\r\n{hkrnl_row(name='राम कुमार')}\r\n"
    data = "\ufeff".encode() + text.encode()
    lines = list(parsing.read_text_lines(chunked(data, 7)))
    assert lines == [HKRNL_HEADER, hkrnl_row(name="राम कुमार")]


def test_a_last_line_without_newline_is_read() -> None:
    assert list(parsing.read_text_lines([b"a,b\nc,d"])) == ["a,b", "c,d"]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_every_line_ending_parses_and_a_lone_cr_does_not_merge_rows(ending: str) -> None:
    data = ending.join([HKRNL_HEADER, hkrnl_row("HK1"), hkrnl_row("HK2"), ""]).encode()
    for size in (1, 2, 7, len(data)):
        lines = list(parsing.read_text_lines(chunked(data, size)))
        assert lines == [HKRNL_HEADER, hkrnl_row("HK1"), hkrnl_row("HK2")]
    stats = ParseStats()
    drafts = list(parsing.parse_hkrnl_csv(iter(lines), stats, as_of=AS_OF))
    assert [d.source_employee_id for d in drafts if isinstance(d, EmployeeDraft)] == ["HK1", "HK2"]


def test_a_file_that_is_not_utf8_is_refused_naming_the_line() -> None:
    data = "\n".join([HKRNL_HEADER, hkrnl_row("HK1"), hkrnl_row("HK2", name="José")]).encode(
        "latin-1"
    )
    with pytest.raises(EncodingError) as refused:
        check_encoding(chunked(data, 64))
    assert refused.value.line == 3
    assert "not UTF-8: byte 0xE9 on line 3" in str(refused.value)


@pytest.mark.parametrize("tail", [b"\xef", b"\xef\xbb", b"\xe0\xa4", b"\xf0\x9f\x98"])
@pytest.mark.parametrize("head", [b"", b"\xef\xbb\xbf", HKRNL_HEADER.encode() + b"\r\n"])
def test_a_file_that_ends_inside_a_character_is_refused_naming_the_line(
    head: bytes, tail: bytes
) -> None:
    data = head + tail
    line = 2 if head.endswith(b"\n") else 1
    for size in (1, 2, len(data)):
        with pytest.raises(EncodingError) as refused:
            check_encoding(chunked(data, size))
        assert refused.value.line == line
        with pytest.raises(EncodingError) as refused:
            list(parsing.read_text_lines(chunked(data, size)))
        assert refused.value.line == line
        assert f"on line {line} cannot be decoded" in str(refused.value)


def test_a_byte_order_mark_is_dropped_however_the_file_is_cut() -> None:
    data = b"\xef\xbb\xbf" + HKRNL_HEADER.encode() + b"\n\xef\xbb\xbfx"
    for size in (1, 2, 3, len(data)):
        check_encoding(chunked(data, size))
        assert list(parsing.read_text_lines(chunked(data, size))) == [HKRNL_HEADER, "\ufeffx"]


def test_a_declared_encoding_is_decoded() -> None:
    data = "\n".join([HKRNL_HEADER, hkrnl_row("HK1", name="José")]).encode("latin-1")
    encoding = declared("text/csv; charset=ISO-8859-1")
    check_encoding([data], encoding)
    (draft,) = parse_hkrnl_lines(parsing.read_text_lines([data], encoding))
    assert isinstance(draft, EmployeeDraft)
    assert draft.name == "José"
    with pytest.raises(UnknownEncodingError):
        declared("text/csv; charset=klingon")


def test_two_different_charsets_are_refused_and_a_repeated_one_is_read() -> None:
    for header in (
        "text/csv; charset=utf-8; charset=latin-1",
        "text/csv;charset=cp1252;charset=utf8",
    ):
        with pytest.raises(UnknownEncodingError, match="declared more than once"):
            declared(header)
    assert declared("text/csv; charset=latin-1; charset=ISO-8859-1") == "iso8859-1"
    assert declared("text/csv; charset=UTF-8; charset=utf8") == "utf-8-sig"


@pytest.mark.parametrize(
    "charset",
    ["unicode_escape", "raw-unicode-escape", "UTF-7", "idna", "punycode", "undefined", "rot13"],
)
def test_a_codec_no_file_is_written_in_is_refused_as_a_charset(charset: str) -> None:
    with pytest.raises(UnknownEncodingError, match="is not a text encoding"):
        declared(f"text/csv; charset={charset}")
