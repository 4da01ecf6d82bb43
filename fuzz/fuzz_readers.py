"""Coverage-guided fuzzing of the readers, the segmenter and the engine with atheris.

Bytes go through ``hedgecheck.reading.decode`` (as a file's would) and, when they are text,
through ``hedgecheck.check`` in each input format. Nothing may raise; every span must lie in
the source (and slice back to its text in plain text); line and column must agree with the
offset (a line ends at CR LF, LF or a lone CR); two runs must agree. The same holds for the
text checked in small parts (``check_parts``). In HTML, markup the input leaves open at its
end (a comment, a quoted attribute value) hides what follows: a marker put after it is never
read as prose. A "&#" that starts no character reference reads as its escaped form
("&amp;#") does, markup after it included, and "<!-->" is an empty comment as "<!---->" is.
See fuzz/README.md.

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_readers.py -max_total_time=300 [-only_ascii=1] [corpus/]
    HEDGECHECK_FUZZ_FORMAT=html .venv/bin/python fuzz/fuzz_readers.py ...   # one format
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import atheris

# The invariants are the hostile-input property tests' own (tests/invariants.py).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

with atheris.instrument_imports():
    from invariants import assert_sound, expected_position, spans

    from hedgecheck.documents.html import read_html
    from hedgecheck.errors import InputError
    from hedgecheck.parts import check_parts
    from hedgecheck.reading import decode

FORMATS = tuple(os.environ.get("HEDGECHECK_FUZZ_FORMAT", "text,markdown,html").split(","))


def test_one_input(data: bytes) -> None:
    read = decode(data, name="fuzz")
    if isinstance(read, InputError):
        assert str(read), "an input error names its problem"
        return
    for fmt in FORMATS:
        assert_sound(read.text, fmt)
        _assert_parts_sound(read.text, fmt)
    if "html" in FORMATS:
        _assert_open_markup_hides(read.text)
        _assert_python_tokenizer_slips_covered(read.text)


_PART_SIZE = 64
_MARKER = "zqxj marker words"
_OPENERS = ("<!--", '<p title="', "<a href='", "<!", "<p", "</!")


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


def _assert_python_tokenizer_slips_covered(source: str) -> None:
    tail = "<b>" + _MARKER + "</b>"
    lost = read_html(source + "&#" + tail).text
    assert lost == read_html(source + "&amp;#" + tail).text, "a lost &# changes the reading"
    for empty in ("<!-->", "<!--->"):
        shown = _MARKER in read_html(source + empty + tail).text
        assert shown == (_MARKER in read_html(source + "<!---->" + tail).text), empty


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
