"""Reading files as text: encodings, binary files, size limits, odd paths.

A file is opened read-only and read as bytes. Byte-order marks choose UTF-8, UTF-16 or
UTF-32; anything else is read as UTF-8, and bytes that are not valid UTF-8 become U+FFFD
with a warning (offsets are in characters of the decoded text, so every valid part keeps its
position). NUL bytes, known binary signatures or a high share of control characters mark a
binary file, which is skipped with a message rather than decoded into noise.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from hedgecheck.errors import InputError
from hedgecheck.text import LINE_BREAK

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
# Characters per part of a text or Markdown file too big to check as one article (see
# hedgecheck.parts): memory holds one part's analysis at a time, whatever the file's size.
DEFAULT_PART_CHARS = 1 << 20
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SIGNATURES = {
    b"%PDF": "a PDF",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive (or Office document)",
    b"\x7fELF": "an executable",
}
_CONTROL = frozenset(range(0, 32)) - {9, 10, 12, 13, 27}


@dataclass(frozen=True, slots=True)
class Source:
    """A file's text and what had to be forgiven to read it."""

    text: str
    warnings: tuple[str, ...] = ()


def display_name(name: str) -> str:
    """A path as it can be printed: bytes that are not UTF-8 shown as escapes."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def read_path(name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Source | InputError:
    """Read a regular file; any problem is an InputError naming the file."""
    shown = display_name(name)
    try:
        # stat first: opening a FIFO would wait for a writer that may never come
        mode = os.stat(name).st_mode
        if not stat.S_ISREG(mode):
            return InputError(f"not a regular file ({_kind(mode)}), skipped", path=shown)
        with open(name, "rb") as handle:  # read-only: nothing is ever written to inputs
            data = read_at_most(handle, max_bytes, expected=os.fstat(handle.fileno()).st_size)
    except FileNotFoundError:
        return InputError("no such file", path=shown)
    except IsADirectoryError:
        return InputError("is a directory", path=shown)
    except PermissionError:
        return InputError("permission denied", path=shown)
    except OSError as exc:
        return InputError(f"cannot read: {exc.strerror or exc}", path=shown)
    if len(data) > max_bytes:
        return InputError(
            f"larger than the limit of {max_bytes:,} bytes (--max-file-size), skipped", path=shown
        )
    return decode(data, name=shown)


def read_stdin(*, max_bytes: int = DEFAULT_MAX_BYTES) -> Source | InputError:
    stream = sys.stdin
    if stream is None or stream.closed:
        return InputError("standard input is closed", path="-")
    data = read_at_most(stream.buffer, max_bytes) if hasattr(stream, "buffer") else stream.read()
    if isinstance(data, str):
        return Source(data.removeprefix("\ufeff"))
    if len(data) > max_bytes:
        return InputError(f"larger than the limit of {max_bytes:,} bytes, skipped", path="-")
    return decode(data, name="-")


def read_at_most(handle: BinaryIO, limit: int, *, expected: int = 0) -> bytes:
    """Up to ``limit`` + 1 bytes (one more than allowed tells the caller it was too big).
    ``read(n)`` allocates n bytes before it reads any, so the limit is never passed to it
    whole: the first read is sized to what the file says it holds, and the rest (a file
    that grew, a pipe) comes in chunks."""
    first = handle.read(min(limit, expected) + 1)
    if len(first) <= expected or len(first) > limit:
        return first
    chunks, total = [first], len(first)
    while total <= limit:
        chunk = handle.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def decode(data: bytes, *, name: str = "") -> Source | InputError:
    """Bytes to text, or an InputError when they are not text at all."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Source(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError as exc:
                return InputError(
                    f"not valid {encoding} after its byte-order mark: {exc.reason}", path=name
                )
    binary = _binary(data)
    if binary:
        return InputError(f"{binary}, skipped", path=name)
    try:
        return Source(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        return Source(text, (_utf8_warning(name, exc.start, text.count("\ufffd")),))


def _utf8_warning(name: str, first_bad: int, replaced: int) -> str:
    return (
        f"{name}: not valid UTF-8 (first bad byte at offset {first_bad}); "
        f"{replaced} undecodable byte sequence(s) read as U+FFFD"
    )


class StreamedSource:
    """A big UTF-8 file read line by line, as often as asked, never whole: what
    ``hedgecheck.parts`` checks part by part. Bytes that are not valid UTF-8 become U+FFFD,
    as in ``decode``; ``warnings`` says so once a pass has read the whole file."""

    def __init__(self, name: str, shown: str) -> None:
        self.name = name
        self.shown = shown
        self.warnings: tuple[str, ...] = ()

    def lines(self) -> Iterator[str]:
        """The text's lines, each with its line end (``\\r\\n``, ``\\r`` or ``\\n``)."""
        return lines_of(self._text())

    def _text(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        first_bad: int | None = None
        replaced = fed = 0
        with open(self.name, "rb") as handle:  # read-only: nothing is ever written to inputs
            while chunk := handle.read(_CHUNK):
                pending = decoder.getstate()[0]
                if first_bad is None:
                    first_bad = _first_bad_byte(pending + chunk, fed - len(pending))
                text = decoder.decode(chunk)
                replaced += text.count("\ufffd")
                fed += len(chunk)
                yield text
            pending = decoder.getstate()[0]
            tail = decoder.decode(b"", final=True)
            if pending and first_bad is None:
                first_bad = fed - len(pending)  # a sequence the file's end cut short
            replaced += tail.count("\ufffd")
            yield tail
        if first_bad is not None:
            self.warnings = (_utf8_warning(self.shown, first_bad, replaced),)


_CHUNK = 1 << 20


def lines_of(chunks: Iterable[str]) -> Iterator[str]:
    """The lines of the text these chunks make up, each with its line end (as
    ``LINE_BREAK`` finds them, a "\\r\\n" cut between two chunks included)."""
    rest = ""
    for chunk in chunks:
        text = rest + chunk
        last = 0
        for match in LINE_BREAK.finditer(text):
            if match.end() == len(text) and text.endswith("\r"):
                break  # the "\r" of a "\r\n" the next chunk may finish
            yield text[last : match.end()]
            last = match.end()
        rest = text[last:]
    if rest:
        yield rest


def _first_bad_byte(data: bytes, base: int) -> int | None:
    """Offset (``base`` + index) of the first byte of ``data`` that is not UTF-8; a sequence
    cut at the end is not bad yet, it goes on in the next chunk."""
    try:
        codecs.utf_8_decode(data, "strict", False)
    except UnicodeDecodeError as exc:
        return base + exc.start
    return None


def open_stream(
    name: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> StreamedSource | InputError | None:
    """A regular UTF-8 file to read line by line, the error that names what is wrong with
    it, or None when it must be read whole (not a regular file, or a byte-order mark)."""
    shown = display_name(name)
    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):
            return None
        if info.st_size > max_bytes:
            return InputError(
                f"larger than the limit of {max_bytes:,} bytes (--max-file-size), skipped",
                path=shown,
            )
        with open(name, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return None  # read_path names the problem
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    binary = _binary(head)
    if binary:
        return InputError(f"{binary}, skipped", path=shown)
    return StreamedSource(name, shown)


def _binary(data: bytes) -> str | None:
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            return f"binary file ({what})"
    head = data[:8192]
    if b"\x00" in head:
        return "binary file (NUL bytes)"
    controls = sum(1 for byte in head if byte in _CONTROL)
    if head and controls / len(head) > 0.1:
        return "binary file (control characters)"
    return None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"
