"""Reading the TOML files hedgecheck parses (rule packs, pyproject.toml, .hedgecheck.toml)
within fixed bounds.

tomllib reads whatever it is given: its cost grows with the square of a dotted key's parts
(80 KB of ``a.a.a…`` took 9.4 GB), it recurses once per nested array or inline table (a
RecursionError past a few hundred), and ``tomllib.load`` reads a file to its end (a link to
``/dev/zero`` never ends, a FIFO never starts). So a file is checked before tomllib sees it:

- it must be a regular file, checked before it is opened (opening a device can act on it)
  and again on the opened descriptor; it is opened non-blocking, so nothing waits for a writer
  (the null device alone reads as an empty file, so ``--config /dev/null`` means no config);
- it is read up to the size it reports, and at most ``MAX_TOML_BYTES``;
- it must be UTF-8 (a UTF-8 byte-order mark is allowed) with no NUL byte;
- a cheap scan of its text bounds nesting (``MAX_NESTING``), the parts of one dotted key or
  table header (``MAX_KEY_PARTS``) and the dotted parts of the whole file
  (``MAX_DOTTED_PARTS``).

Each failure is the caller's load error (RuleError or ConfigError) naming the file, and the
line where there is one. Within these bounds tomllib's time and memory grow with the file's
size alone.
"""

from __future__ import annotations

import codecs
import functools
import os
import re
import stat
from pathlib import Path
from typing import Any

from hedgecheck.errors import ConfigError, RuleError
from hedgecheck.reading import file_kind

# Far above any real pack (the largest shipped one is 120 KB) or pyproject.toml.
MAX_TOML_BYTES = 1 << 20
# Arrays and inline tables inside one another; real packs and configs stay under 5.
MAX_NESTING = 32
# Parts of one dotted key or table header (``a.b.c`` has 3); real ones stay under 6.
MAX_KEY_PARTS = 32
# Dots in every key and header of a file: what keeps tomllib's work per key bounded in sum.
MAX_DOTTED_PARTS = 10_000

LoadError = type[RuleError] | type[ConfigError]
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def read_toml(path: Path, *, error: LoadError = RuleError) -> dict[str, Any]:
    """A TOML file's tables, read within the module's bounds; any problem raises ``error``
    naming the file."""
    return parse_toml(read_toml_bytes(path, error=error), path=path, error=error)


def read_toml_bytes(path: Path, *, error: LoadError = RuleError) -> bytes:
    """The bytes of a regular file of at most ``MAX_TOML_BYTES``, read without waiting on a
    FIFO or device and without reading past the size the file reports (``/proc`` files
    report 0, and some, like ``/proc/kmsg``, block or give up what they hold when read)."""
    name = str(path)
    try:
        # stat before opening: opening a device or FIFO can block or act on it
        expected = os.stat(path)
        if _is_null_device(expected):
            return b""  # `--config /dev/null`: no configuration, as in other tools
        _check_file(expected, name, error)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        descriptor = os.open(path, flags | getattr(os, "O_BINARY", 0))
        try:
            info = os.fstat(descriptor)
            if not os.path.samestat(info, expected):
                raise error("replaced while being opened; not read", path=name)
            _check_file(info, name, error)
            return _read(descriptor, info.st_size)
        finally:
            os.close(descriptor)
    except FileNotFoundError as exc:
        raise error("no such file", path=name) from exc
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", path=name) from exc


def parse_toml(data: bytes, *, path: Path, error: LoadError = RuleError) -> dict[str, Any]:
    """The tables of a TOML file's bytes, or ``error`` naming ``path`` (and the line) when
    they are not UTF-8, pass a bound or are not valid TOML."""
    return loads_toml(toml_text(data, path=path, error=error), path=path, error=error)


def toml_text(data: bytes, *, path: Path, error: LoadError = RuleError) -> str:
    """A TOML file's bytes as text, checked within the bounds, ready for :func:`loads_toml`;
    else ``error`` naming ``path`` and the line. Cheap next to parsing: checking every file
    first names a bad one before any time goes into parsing the others."""
    name = str(path)
    text = _decode(data, name, error)
    problem = _over_bounds(text)
    if problem:
        line, what = problem
        raise error(f"line {line}: {what}", path=name)
    return text


def loads_toml(text: str, *, path: Path, error: LoadError = RuleError) -> dict[str, Any]:
    """The tables of a text :func:`toml_text` passed; ``error`` naming ``path`` if it is
    not valid TOML."""
    import tomllib  # only to build rules or read a config: a warm start never needs it

    name = str(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"not valid TOML: {exc}", path=name) from exc
    except RecursionError as exc:  # the bounds keep well under the limit; a deep caller may not
        raise error("nested too deeply to read", path=name) from exc
    except MemoryError as exc:
        raise error("too big to read in the memory left", path=name) from exc


def _check_file(info: os.stat_result, name: str, error: LoadError) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise error(f"not a regular file ({file_kind(info.st_mode)})", path=name)
    if info.st_size > MAX_TOML_BYTES:
        raise error(
            f"{info.st_size:,} bytes, over the limit of {MAX_TOML_BYTES:,} bytes for a TOML file",
            path=name,
        )


def _is_null_device(info: os.stat_result) -> bool:
    try:
        return stat.S_ISCHR(info.st_mode) and os.path.samestat(info, os.stat(os.devnull))
    except OSError:
        return False


def _read(descriptor: int, size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = os.read(descriptor, left)
        if not chunk:  # shrank since fstat: what is there is the file
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _decode(data: bytes, name: str, error: LoadError) -> str:
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            raise error(f"is {encoding} (by its byte-order mark); save it as UTF-8", path=name)
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    nul = data.find(b"\0", start)
    if nul >= 0:
        raise error(
            f"line {_line(data, nul)}: a NUL byte at byte {nul} (UTF-16 or binary?); TOML is "
            "UTF-8 text",
            path=name,
        )
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        raise error(
            f"line {_line(data, offset)}: not UTF-8 (byte 0x{data[offset]:02X} at byte "
            f"{offset}); save it as UTF-8",
            path=name,
        ) from None


def _line(data: bytes | str, offset: int) -> int:
    return data.count(b"\n" if isinstance(data, bytes) else "\n", 0, offset) + 1


def _over_bounds(text: str) -> tuple[int, str] | None:
    """The line and what is wrong where ``text`` first passes a bound, or None. It follows
    TOML just enough to tell keys from values and skip strings and comments; text it
    cannot follow is left for tomllib to name."""
    scan = _Scan(text)
    try:
        scan.run()
    except _OverBound as exc:
        return _line(text, exc.offset), str(exc)
    return None


@functools.cache
def _scanned_by() -> tuple[re.Pattern[str], dict[str, re.Pattern[str]]]:
    """Where anything that matters to nesting or keys can start (all else is skipped at C
    speed), and where each kind of string ends. Compiled for the first TOML text read: a
    scan whose rules come from the shipped cache and with no configuration reads none, and
    compiling them took 1 ms of it."""
    significant = re.compile(r"\"\"\"|'''|[\"'#\[\]{}=,.\n]")
    string_end = {
        '"': re.compile(r'(?:[^"\\\n]++|\\.)*+"'),
        "'": re.compile(r"[^'\n]*'"),
        '"""': re.compile(r'(?:[^"\\]++|\\.|"(?!""))*+"""(?:"{1,2}(?!"))?', re.DOTALL),
        "'''": re.compile(r"(?:[^']++|'(?!''))*+'''(?:'{1,2}(?!'))?", re.DOTALL),
    }
    return significant, string_end


class _OverBound(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class _Scan:
    """One pass over a TOML text: the arrays and inline tables open (``stack``), whether a
    key is being read, and the dots counted in it and in the file."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.stack: list[str] = []
        self.in_key = True  # a statement starts with a key (or a table header)
        self.header = False
        self.dots = 0
        self.all_dots = 0
        self.line_start = 0

    def run(self) -> None:
        text = self.text
        position = 0
        significant, string_end = _scanned_by()
        while match := significant.search(text, position):
            token, position = match.group(), match.end()
            if token in string_end:
                end = string_end[token].match(text, position)
                if end is None:
                    return  # an unclosed string: tomllib names it
                position = end.end()
            elif token == "#":
                newline = text.find("\n", position)
                position = len(text) if newline < 0 else newline
            else:
                self._punctuation(token, match.start())

    def _punctuation(self, token: str, offset: int) -> None:
        if token == "\n":
            self.line_start = offset + 1
            if not self.stack:
                self._start_key()
        elif token == ".":
            if self.in_key or self.header:
                self._dot(offset)
        elif token == "=":
            self.in_key = False
        elif token == ",":
            if self.stack and self.stack[-1] == "{":
                self._start_key()
        elif token in "[{":
            self._open(token, offset)
        elif self.stack:
            self.stack.pop()  # a "]" closing a "{" is tomllib's to name
        else:
            self.header = False  # "]" (or "]]") after a table header

    def _open(self, token: str, offset: int) -> None:
        if self.header:
            return  # the second "[" of "[[", or an error tomllib names
        if not self.stack and self.in_key and not self.text[self.line_start : offset].strip():
            self.header = token == "["  # a table header; "{" there is tomllib's to name
            self.in_key = False
            self.dots = 0
            return
        self.stack.append(token)
        if len(self.stack) > MAX_NESTING:
            raise _OverBound(
                f"arrays and inline tables nested more than {MAX_NESTING} deep (the limit)",
                offset,
            )
        if token == "{":
            self._start_key()

    def _start_key(self) -> None:
        self.in_key = True
        self.header = False
        self.dots = 0

    def _dot(self, offset: int) -> None:
        self.dots += 1
        self.all_dots += 1
        if self.dots >= MAX_KEY_PARTS:
            raise _OverBound(
                f"a dotted key or table name of more than {MAX_KEY_PARTS} parts (the limit)",
                offset,
            )
        if self.all_dots > MAX_DOTTED_PARTS:
            raise _OverBound(
                f"more than {MAX_DOTTED_PARTS:,} dots in the file's keys and table names "
                "(the limit)",
                offset,
            )
