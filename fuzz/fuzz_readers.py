"""Coverage-guided fuzzing of the readers, the segmenter and the engine with atheris.

Bytes go through ``hedgecheck.reading.decode`` (as a file's would) and, when they are text,
through ``hedgecheck.check`` in each input format. Nothing may raise; every span must lie in
the source (and slice back to its text in plain text); line and column must agree with the
offset (a line ends at CR LF, LF or a lone CR); two runs must agree. See fuzz/README.md.

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
    from invariants import assert_sound

    from hedgecheck.errors import InputError
    from hedgecheck.reading import decode

FORMATS = tuple(os.environ.get("HEDGECHECK_FUZZ_FORMAT", "text,markdown,html").split(","))


def test_one_input(data: bytes) -> None:
    read = decode(data, name="fuzz")
    if isinstance(read, InputError):
        assert str(read), "an input error names its problem"
        return
    for fmt in FORMATS:
        assert_sound(read.text, fmt)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
