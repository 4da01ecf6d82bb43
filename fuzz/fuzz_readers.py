"""Coverage-guided fuzzing of the readers, the segmenter and the engine with atheris.

Bytes go through ``hedgecheck.reading.decode`` (as a file's would) and, when they are text,
through ``hedgecheck.check`` in each input format. Nothing may raise; every span must lie in
the source (and slice back to its text in plain text); line and column must agree with the
offset (a line ends at CR LF, LF or a lone CR); two runs must agree. The same holds for the
text checked in small parts (``check_parts``). In HTML, markup the input leaves open at its
end (a comment, a quoted attribute value) hides what follows: a marker put after it is never
read as prose. See fuzz/README.md.

Binary tails: the input also comes after more than two blocks of prose, as the tail of a
file. It is binary exactly when ``decode``, ``read_path`` and the streamed reader (in
chunks of a size the input picks) all say so, with the same message; a NUL in the tail makes
it binary; the offset named points into the tail's blocks (at a NUL when NUL bytes are
named); and when it is text, the three readers give the same text.

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_readers.py -max_total_time=300 [-only_ascii=1] [corpus/]
    HEDGECHECK_FUZZ_FORMAT=html .venv/bin/python fuzz/fuzz_readers.py ...   # one format
    HEDGECHECK_FUZZ_FORMAT= .venv/bin/python fuzz/fuzz_readers.py ...       # readers only
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import atheris

# The invariants are the hostile-input property tests' own (tests/invariants.py).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

with atheris.instrument_imports():
    from invariants import assert_sound, expected_position, spans

    import hedgecheck.reading as reading
    from hedgecheck.documents.html import read_html
    from hedgecheck.errors import InputError
    from hedgecheck.parts import check_parts
    from hedgecheck.reading import decode, open_stream, read_path

# An empty HEDGECHECK_FUZZ_FORMAT fuzzes the readers alone (many more inputs a second).
FORMATS = tuple(
    f for f in os.environ.get("HEDGECHECK_FUZZ_FORMAT", "text,markdown,html").split(",") if f
)
HEAD = b"The drug may reduce pain in mice, a small study suggests.\n\n" * 300  # 17.7 KB
TAIL_FILE = Path(tempfile.mkdtemp(prefix="hedgecheck-fuzz-")) / "tail.txt"


def test_one_input(data: bytes) -> None:
    check_binary_tail(data)
    read = decode(data, name="fuzz")
    if isinstance(read, InputError):
        assert str(read), "an input error names its problem"
        return
    for fmt in FORMATS:
        assert_sound(read.text, fmt)
        _assert_parts_sound(read.text, fmt)
    if "html" in FORMATS:
        _assert_open_markup_hides(read.text)


_PART_SIZE = 64
_MARKER = "zqxj marker words"
_OPENERS = ("<!--", '<p title="', "<a href='", "<!", "<p")


def _assert_parts_sound(source: str, fmt: str) -> None:
    for report in check_parts(source, size=_PART_SIZE, format=fmt):
        for kind, span in spans(report):
            where = f"{kind} {span.text!r} at {span.start}:{span.end} in {fmt} parts"
            assert 0 <= span.start <= span.end <= len(source), where
            assert (span.line, span.column) == expected_position(source, span.start), where


def _assert_open_markup_hides(source: str) -> None:
    if _MARKER in source:
        return
    for opener in _OPENERS:
        assert _MARKER not in read_html(source + opener + " " + _MARKER).text, opener


def check_binary_tail(data: bytes) -> None:
    """The input as the tail of a text file, read whole, from disk, and streamed."""
    whole = HEAD + data
    TAIL_FILE.write_bytes(whole)
    name = str(TAIL_FILE)
    reading._CHUNK = 1 + (data[0] if data else 0) * 97  # chunk ends fall anywhere
    try:
        decoded, read, streamed = decode(whole, name=name), read_path(name), _streamed(name)
    finally:
        reading._CHUNK = 1 << 20
    errors = {str(r) if isinstance(r, InputError) else "" for r in (decoded, read, streamed)}
    assert len(errors) == 1, (decoded, read, streamed)
    if not isinstance(decoded, InputError):
        assert b"\x00" not in data, "a NUL in the tail must make the file binary"
        assert decoded.text == read.text == streamed  # type: ignore[union-attr]
        return
    message = str(decoded)
    assert "binary file (" in message, message
    offset = int(message.split(" at offset ")[1].split(")")[0])
    assert offset >= len(HEAD) - reading._BLOCK, message  # the head's whole blocks are text
    if "NUL bytes" in message:
        assert whole[offset] == 0, message


def _streamed(name: str) -> str | InputError:
    stream = open_stream(name)
    assert stream is not None and not isinstance(stream, InputError), stream
    try:
        return "".join(stream.lines())
    except InputError as exc:
        return exc


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
