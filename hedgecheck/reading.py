"""Reading files as text: encodings, binary files, size limits, odd paths.

A file is opened read-only and read as bytes. Byte-order marks choose UTF-8, UTF-16 or
UTF-32; without one, NUL bytes in the same place of nearly every code unit (and rarely
elsewhere) in the first block tell UTF-16 or UTF-32 of mostly Latin text, read as such with a
warning; anything else is read as UTF-8, and bytes that are not valid UTF-8 become U+FFFD
with a warning (offsets are in characters of the decoded text, so every valid part keeps its
position). A known binary signature, a NUL anywhere in the file, or a block of 8 KB more
than a tenth control characters marks a binary file, which is skipped with a message naming
the byte offset rather than decoded into noise. The whole file is classified, block by block
as it is read, and reading stops at the first binary block: text at the start of a file
does not make its binary tail text.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, BinaryIO, TypeVar

import regex

from hedgecheck.errors import InputError
from hedgecheck.patterns import compiled
from hedgecheck.sentences import last_sentence_start
from hedgecheck.text import LINE_BREAK

if TYPE_CHECKING:
    from hedgecheck.lexicon import Lexicon

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
_CONTROL_BYTES = bytes(sorted(_CONTROL))
_CONTROL_TABLE = dict.fromkeys(_CONTROL)
# A block of this many characters (bytes of UTF-8) more than a tenth control characters is
# binary; so is the whole of a shorter file.
_BLOCK = 8192
# BOM-less UTF-32 and UTF-16 of mostly Latin text: (code unit width, encoding, the byte(s)
# of every code unit that are NUL, those NUL in at least half of them, the byte rarely NUL).
_UNMARKED = (
    (4, "utf-32-le", (3,), (1, 2), 0),
    (4, "utf-32-be", (0,), (1, 2), 3),
    (2, "utf-16-le", (), (1,), 0),
    (2, "utf-16-be", (), (0,), 1),
)


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
    data = _read_file(
        name, shown, lambda handle, size: _read_text(handle, max_bytes, expected=size)
    )
    if isinstance(data, InputError):
        return data
    if isinstance(data, _Binary):
        return data.error(shown)
    if len(data) > max_bytes:
        return _too_big(max_bytes, shown)
    return decode(data, name=shown)


def read_bytes(name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes | InputError:
    """A regular file's bytes, not read as text (a Word document is a zip archive, which
    the text reader calls binary); any problem is an InputError naming the file."""
    shown = display_name(name)
    data = _read_file(
        name, shown, lambda handle, size: read_at_most(handle, max_bytes, expected=size)
    )
    if isinstance(data, bytes) and len(data) > max_bytes:
        return _too_big(max_bytes, shown)
    return data


def read_stdin_bytes(*, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes | InputError:
    """Standard input's bytes, not read as text (see ``read_bytes``)."""
    stream = sys.stdin
    if stream is None or stream.closed or not hasattr(stream, "buffer"):
        return InputError("standard input gives no bytes to read", path="-")
    data = read_at_most(stream.buffer, max_bytes)
    return _too_big(max_bytes, "-") if len(data) > max_bytes else data


_Read = TypeVar("_Read")


def _read_file(name: str, shown: str, read: Callable[[BinaryIO, int], _Read]) -> _Read | InputError:
    """What ``read`` makes of a regular file (given the size the file says it has)."""
    try:
        # stat first: opening a FIFO would wait for a writer that may never come
        mode = os.stat(name).st_mode
        if not stat.S_ISREG(mode):
            return InputError(f"not a regular file ({file_kind(mode)}), skipped", path=shown)
        with open(name, "rb") as handle:  # read-only: nothing is ever written to inputs
            return read(handle, os.fstat(handle.fileno()).st_size)
    except FileNotFoundError:
        return InputError("no such file", path=shown)
    except IsADirectoryError:
        return InputError("is a directory", path=shown)
    except PermissionError:
        return InputError("permission denied", path=shown)
    except OSError as exc:
        return InputError(f"cannot read: {exc.strerror or exc}", path=shown)


def read_stdin(*, max_bytes: int = DEFAULT_MAX_BYTES) -> Source | InputError:
    stream = sys.stdin
    if stream is None or stream.closed:
        return InputError("standard input is closed", path="-")
    if not hasattr(stream, "buffer"):
        return _decoded(stream.read().removeprefix("\ufeff"), name="-")
    data = _read_text(stream.buffer, max_bytes)
    if isinstance(data, _Binary):
        return data.error("-")
    if len(data) > max_bytes:
        return _too_big(max_bytes, "-")
    return decode(data, name="-")


def _too_big(max_bytes: int, name: str) -> InputError:
    return InputError(
        f"larger than the limit of {max_bytes:,} bytes (--max-file-size), skipped", path=name
    )


def read_at_most(handle: BinaryIO, limit: int, *, expected: int = 0) -> bytes:
    """Up to ``limit`` + 1 bytes (one more than allowed tells the caller it was too big)."""
    return b"".join(_chunks(handle, limit, expected))


def _chunks(handle: BinaryIO, limit: int, expected: int) -> Iterator[bytes]:
    """The first ``limit`` + 1 bytes, in chunks of at most ``_CHUNK``. ``read(n)`` allocates
    n bytes before it reads any, so no read asks for more than a chunk, and none for more
    than one byte past what the file says it holds (the byte that shows its end)."""
    total = 0
    while total <= limit:
        left = expected - total
        size = min(_CHUNK, limit + 1 - total, left + 1 if left > 0 else _CHUNK)
        chunk = handle.read(size)
        if chunk:
            yield chunk
        total += len(chunk)
        if len(chunk) < size:
            return  # a short read is the end (a pipe's read waits for n bytes or the end)


def _read_text(handle: BinaryIO, limit: int, *, expected: int = 0) -> bytes | _Binary:
    """``read_at_most``, stopping at the first block that shows the bytes are binary (never
    for UTF-16 or UTF-32, whose NUL bytes are text: ``decode`` classifies those)."""
    chunks: list[bytes] = []
    sniffer: _Sniffer | None = None
    for chunk in _chunks(handle, limit, expected):
        if not chunks and _encoding(chunk) == ("utf-8", 0):
            what = _signature(chunk)
            if what:
                return _Binary(what)
            sniffer = _Sniffer()
        found = sniffer.feed(chunk) if sniffer else None
        if found:
            return found
        chunks.append(chunk)
    return b"".join(chunks)


def decode(data: bytes, *, name: str = "") -> Source | InputError:
    """Bytes to text, or an InputError when they are not text at all."""
    encoding, skip = _encoding(data)
    if encoding == "utf-8" and not skip:
        return _utf8(data, name)
    try:
        text = str(memoryview(data)[skip:], encoding)
    except UnicodeDecodeError as exc:
        if skip:
            return InputError(
                f"not valid {encoding} after its byte-order mark: {exc.reason}", path=name
            )
        return InputError(
            f"binary file (NUL bytes; not valid {encoding} either, which they suggest: "
            f"{exc.reason} at offset {exc.start}), skipped",
            path=name,
        )
    found = _Sniffer.whole(text)
    if found:
        return replace(found, offset=skip + len(text[: found.offset].encode(encoding))).error(name)
    if skip:
        return Source(text)
    return Source(text, (f"{name}: no byte-order mark; read as {encoding} (its NUL bytes)",))


def _utf8(data: bytes, name: str) -> Source | InputError:
    what = _signature(data)
    found = _Binary(what) if what else _Sniffer.whole(data)
    if found:
        return found.error(name)
    try:
        return Source(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        return Source(text, (_utf8_warning(name, exc.start, text.count("\ufffd")),))


def _decoded(text: str, *, name: str) -> Source | InputError:
    """Text that came decoded (a text stream without bytes): still not text if binary."""
    found = _Sniffer.whole(text)
    return found.error(name, unit="character") if found else Source(text)


def _utf8_warning(name: str, first_bad: int, replaced: int) -> str:
    return (
        f"{name}: not valid UTF-8 (first bad byte at offset {first_bad}); "
        f"{replaced} undecodable byte sequence(s) read as U+FFFD"
    )


class StreamedSource:
    """A big UTF-8 file read line by line, as often as asked, never whole: what
    ``hedgecheck.parts`` checks part by part. Bytes that are not valid UTF-8 become U+FFFD,
    as in ``decode``; ``warnings`` says so once a pass has read the whole file. A pass
    raises InputError at the first binary block or past ``max_bytes`` (``open_stream``
    looked only at the file's head and size; the rest, or a file that grew, is judged here,
    before its bytes are decoded)."""

    def __init__(self, name: str, shown: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.name = name
        self.shown = shown
        self.max_bytes = max_bytes
        self.warnings: tuple[str, ...] = ()

    def lines(
        self, *, longest: int = DEFAULT_PART_CHARS, lexicon: Lexicon | None = None
    ) -> Iterator[str]:
        """The text's lines, each with its line end (``\\r\\n``, ``\\r`` or ``\\n``); a
        line longer than ``longest`` in pieces (see ``lines_of``)."""
        return lines_of(self._text(), longest=longest, lexicon=lexicon)

    def _text(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        first_bad: int | None = None
        replaced = fed = 0
        with open(self.name, "rb") as handle:  # read-only: nothing is ever written to inputs
            for chunk in self._checked(handle):
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

    def _checked(self, handle: BinaryIO) -> Iterator[bytes]:
        sniffer = _Sniffer()
        for chunk in _chunks(handle, self.max_bytes, 0):
            if sniffer.fed + len(chunk) > self.max_bytes:
                raise _too_big(self.max_bytes, self.shown)
            found = sniffer.feed(chunk)
            if found:
                raise found.error(self.shown)
            yield chunk
        found = sniffer.finish()
        if found:
            raise found.error(self.shown)


_CHUNK = 1 << 20


def lines_of(
    chunks: Iterable[str], *, longest: int = DEFAULT_PART_CHARS, lexicon: Lexicon | None = None
) -> Iterator[str]:
    """The lines of the text these chunks make up, each with its line end (as
    ``LINE_BREAK`` finds them, a "\\r\\n" cut between two chunks included). A line of more
    than ``longest`` characters (before its line end) comes in pieces of at most that many,
    so that no line, however long, is held whole: only the piece that ends a line ends with
    a line end. Where the pieces end depends on the text alone, not on its chunks (and on
    the abbreviations of ``lexicon``, by default the default packs')."""
    rest = ""
    for chunk in chunks:
        # rest is less than a piece: joining and searching it again costs no more than the
        # chunk, so a file of one line is read in linear time
        text = rest + chunk
        last = 0
        for match in LINE_BREAK.finditer(text):
            if match.end() == len(text) and text.endswith("\r"):
                break  # the "\r" of a "\r\n" the next chunk may finish
            last = yield from _pieces(text, last, match.start(), longest, lexicon)
            yield text[last : match.end()]
            last = match.end()
        last = yield from _pieces(text, last, len(text) - text.endswith("\r"), longest, lexicon)
        rest = text[last:]
    if rest:
        yield rest


def _pieces(
    text: str, begin: int, end: int, longest: int, lexicon: Lexicon | None
) -> Generator[str, None, int]:
    """The pieces of the line in ``text[begin:end]`` (no line end in it, and more of the
    line may follow) while more than ``longest`` characters are left; where the rest
    starts. A piece ends where a sentence starts in its second half, else where a word
    starts there, else after ``longest`` characters: each piece holds at least half of
    ``longest``, so the searches cost linear time."""
    while end - begin > longest:
        stop = begin + longest
        half = begin + longest // 2
        cut = last_sentence_start(text, half, stop, lexicon=lexicon)
        if cut is None:
            word = _WORD_START.search(text, half, stop)
            cut = stop if word is None or word.start() <= begin else word.start()
        yield text[begin:cut]
        begin = cut
    return begin


# Backwards: the last character in a stretch that starts a word (follows a white space).
_WORD_START = compiled(r"(?<=\s)\S", regex.REVERSE)


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
    its size or head, or None when it must be read whole (not a regular file, a byte-order
    mark, or UTF-16/32 without one). The rest of the file is judged as it is streamed."""
    shown = display_name(name)
    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):
            return None
        if info.st_size > max_bytes:
            return _too_big(max_bytes, shown)
        with open(name, "rb") as handle:
            head = handle.read(_BLOCK)
    except OSError:
        return None  # read_path names the problem
    if _encoding(head) != ("utf-8", 0):
        return None
    what = _signature(head)
    found = _Binary(what) if what else _Sniffer.whole(head)
    if found:
        return found.error(shown)
    return StreamedSource(name, shown, max_bytes=max_bytes)


def _encoding(head: bytes) -> tuple[str, int]:
    """The encoding of bytes that begin with ``head``, and the length of its byte-order mark."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    return _unmarked(head[:_BLOCK]) or "utf-8", 0


def _unmarked(head: bytes) -> str | None:
    """UTF-32 or UTF-16 without a byte-order mark, told by its NUL bytes: mostly Latin text
    has a NUL in the same place(s) of nearly every code unit, and hardly any elsewhere
    (U+0100, U+4E00… are rare). Bytes with NULs all over (binary) match none of these."""
    for width, encoding, full, half, never in _UNMARKED:
        units = len(head) // width
        if not units:
            continue
        nuls = [head[index : units * width : width].count(0) for index in range(width)]
        if (
            all(nuls[i] == units for i in full)
            and all(nuls[i] * 2 >= units for i in half)
            and nuls[never] * 20 <= units
        ):
            return encoding
    return None


def _signature(head: bytes) -> str | None:
    for signature, what in _SIGNATURES.items():
        if head.startswith(signature):
            return what
    return None


@dataclass(frozen=True, slots=True)
class _Binary:
    """Why bytes are not text, and the offset where that was found."""

    what: str
    offset: int | None = None  # None: a signature, at the start

    def error(self, name: str, *, unit: str = "offset") -> InputError:
        at = "" if self.offset is None else f" at {unit} {self.offset}"
        return InputError(f"binary file ({self.what}{at}), skipped", path=name)


class _Sniffer:
    """Classifies text as it is read, piece by piece, whatever the pieces' sizes: it is
    binary at its first NUL, or at the first block of ``_BLOCK`` characters (aligned on
    the start; the last block is the text's last ``_BLOCK``) more than a tenth control
    characters. Fed bytes of UTF-8, whose multi-byte sequences hold no byte below 0x80, or
    decoded text."""

    def __init__(self) -> None:
        self.fed = 0
        self._pending: bytes | str = b""  # what was fed after the last whole block
        self._last: bytes | str = b""  # the last whole block

    @classmethod
    def whole(cls, data: bytes | str) -> _Binary | None:
        sniffer = cls()
        for start in range(0, len(data), _CHUNK):
            found = sniffer.feed(data[start : start + _CHUNK])
            if found:
                return found
        return sniffer.finish()

    def feed(self, piece: bytes | str) -> _Binary | None:
        nul = piece.find(b"\0" if isinstance(piece, bytes) else "\0")  # type: ignore[arg-type]
        data = self._pending + piece if self._pending else piece  # type: ignore[operator]
        base = self.fed - len(self._pending)  # the offset of data[0]
        whole = len(data) - len(data) % _BLOCK
        self.fed += len(piece)
        self._pending = data[whole:]
        if whole:
            self._last = data[whole - _BLOCK : whole]
        # a block of controls that ends before the NUL is named first: the same verdict
        # however the text came in pieces
        ends = whole if nul < 0 else min(whole, len(data) - len(piece) + nul)
        found = _control_block(data, ends, base)
        if found is None and nul >= 0:
            return _Binary("NUL bytes", self.fed - len(piece) + nul)
        return found

    def finish(self) -> _Binary | None:
        """The verdict on the last block, once everything was fed."""
        if not self._pending:
            return None
        window = (self._last + self._pending)[-_BLOCK:] if self._last else self._pending  # type: ignore[operator]
        if _controls(window) * 10 > len(window):
            return _Binary("control characters", self.fed - len(window))
        return None


def _control_block(data: bytes | str, ends: int, base: int) -> _Binary | None:
    """The first block of ``data`` that ends by ``ends`` and is more than a tenth control
    characters (``base`` is the offset of ``data[0]``)."""
    if ends < _BLOCK or _controls(data) * 10 <= _BLOCK:
        return None  # too few in all for any block to hold a tenth
    for start in range(0, ends - _BLOCK + 1, _BLOCK):
        if _controls(data[start : start + _BLOCK]) * 10 > _BLOCK:
            return _Binary("control characters", base + start)
    return None


def _controls(data: bytes | str) -> int:
    if isinstance(data, bytes):
        return len(data) - len(data.translate(None, _CONTROL_BYTES))
    return len(data) - len(data.translate(_CONTROL_TABLE))


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, from its ``st_mode``, for messages."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"
