"""Which text encoding an upload is in, and whether its bytes really are. Pure.

An upload is UTF-8 (a BOM is allowed) unless its Content-Type declares another charset
(`text/csv; charset=windows-1252`). Bytes that are not of that encoding refuse the whole
file before a row is read, naming the line and the byte: a file is never accepted with
U+FFFD where a clerk's text was.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

DEFAULT = "utf-8-sig"
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_EOL = re.compile(rb"\r\n|\r|\n")


class UnknownEncodingError(ValueError):
    """A declared charset this service does not know."""


class EncodingError(ValueError):
    """Bytes that are not of the file's encoding."""

    def __init__(self, encoding: str, error: UnicodeDecodeError, line: int) -> None:
        bad = error.object[error.start : error.start + 1]
        shown = f"byte 0x{bad[0]:02X}" if bad else "the last bytes"
        name = "UTF-8" if codecs.lookup(encoding).name.startswith("utf-8") else encoding
        super().__init__(
            f"the file is not {name}: {shown} on line {line} cannot be decoded"
            f" ({error.reason}); send it as UTF-8, or declare its encoding"
            " (Content-Type: text/csv; charset=windows-1252)"
        )
        self.line = line


def declared(content_type: str | None) -> str:
    """The codec of a Content-Type's charset parameter (UTF-8 when none is given)."""
    found = _CHARSET.search(content_type or "")
    if not found:
        return DEFAULT
    name = found.group(1)
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise UnknownEncodingError(f"charset {name!r} is not a known text encoding") from None
    if not getattr(codec, "_is_text_encoding", True):
        raise UnknownEncodingError(f"charset {name!r} is not a text encoding")
    return DEFAULT if codec.name == "utf-8" else codec.name


def check_encoding(chunks: Iterable[bytes], encoding: str = DEFAULT) -> None:
    """Decode every chunk; raise `EncodingError` at the first byte that does not decode."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line = 1
    for chunk in chunks:
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:
            before = chunk[: max(0, error.start - (len(error.object) - len(chunk)))]
            raise EncodingError(encoding, error, line + len(_EOL.findall(before))) from None
        line += len(_EOL.findall(chunk))
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise EncodingError(encoding, error, line) from None
