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


class Decoder:
    """Decodes a stream chunk by chunk, strictly; for UTF-8 (`DEFAULT`) a leading BOM is
    dropped. The standard `utf-8-sig` incremental decoder is not used: it silently drops an
    incomplete BOM at the end of the input (a file of the single byte 0xEF decodes to "")."""

    def __init__(self, encoding: str = DEFAULT) -> None:
        self._bom = codecs.lookup(encoding).name == DEFAULT
        inner = "utf-8" if self._bom else encoding
        self._inner = codecs.getincrementaldecoder(inner)(errors="strict")
        self._first = True

    def decode(self, data: bytes, final: bool = False) -> str:
        text: str = self._inner.decode(data, final)
        if self._first and text:
            self._first = False
            if self._bom:
                text = text.removeprefix("\ufeff")
        return text


# Codecs Python counts as text encodings that no exported file is written in: they read
# escapes (`\u0000`, UTF-7's `+ADw-`) or domain names, so a file "in" them says one
# thing to whoever looks at it and another to the parser.
_NOT_FILE_ENCODINGS = frozenset(
    {"unicode-escape", "raw-unicode-escape", "utf-7", "idna", "punycode", "undefined"}
)


def declared(content_type: str | None) -> str:
    """The codec of a Content-Type's charset parameter (UTF-8 when none is given). Two
    charsets that differ (`charset=utf-8; charset=latin-1`) are refused: which one the
    sender meant cannot be known."""
    codecs_named = {_codec(name) for name in _CHARSET.findall(content_type or "")}
    if len(codecs_named) > 1:
        raise UnknownEncodingError(
            f"charset is declared more than once ({', '.join(sorted(codecs_named))})"
        )
    return codecs_named.pop() if codecs_named else DEFAULT


def _codec(name: str) -> str:
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise UnknownEncodingError(f"charset {name!r} is not a known text encoding") from None
    if not getattr(codec, "_is_text_encoding", True) or codec.name in _NOT_FILE_ENCODINGS:
        raise UnknownEncodingError(f"charset {name!r} is not a text encoding")
    return DEFAULT if codec.name == "utf-8" else codec.name


def check_encoding(chunks: Iterable[bytes], encoding: str = DEFAULT) -> None:
    """Decode every chunk; raise `EncodingError` at the first byte that does not decode."""
    decoder = Decoder(encoding)
    line, after_cr = 1, False
    for chunk in chunks:
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:
            raise refusal(encoding, error, chunk, line, after_cr) from None
        line += _breaks(chunk, after_cr)
        after_cr = chunk.endswith(b"\r") or (after_cr and not chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise EncodingError(encoding, error, line) from None


def refusal(
    encoding: str, error: UnicodeDecodeError, chunk: bytes, line: int, after_cr: bool
) -> EncodingError:
    """The refusal for `error` in `chunk`, the chunk that starts on `line` (just after a CR
    when `after_cr`)."""
    before = chunk[: max(0, error.start - (len(error.object) - len(chunk)))]
    return EncodingError(encoding, error, line + _breaks(before, after_cr))


def _breaks(chunk: bytes, after_cr: bool) -> int:
    """Line endings that end in `chunk`; a CR LF cut between two chunks counts once."""
    return len(_EOL.findall(chunk)) - (after_cr and chunk.startswith(b"\n"))
