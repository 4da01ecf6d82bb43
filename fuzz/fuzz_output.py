"""Coverage-guided fuzzing of the output formats with atheris: whatever an article and its
file name hold, no output can drive a terminal or GitHub's runner (see fuzz/README.md).

Each input is split into a file name and an article (lone surrogates included, as a ``str``
given to the library may hold them), checked as plain text, Markdown and HTML, and written
in every format, with colour off and on; a command-line message quoting both is made too.
Every output must keep the rules of ``tests/output_safety.py``.

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_output.py -max_total_time=300 [corpus/]
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

with atheris.instrument_imports():
    from output_safety import assert_safe

    import hedgecheck
    from hedgecheck.formats import FORMATS, render
    from hedgecheck.formats._safe import safe_line

RULES = hedgecheck.default_rules()
INPUT_FORMATS = ("text", "markdown", "html")


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    name = provider.ConsumeUnicode(provider.ConsumeIntInRange(0, 40))
    article = provider.ConsumeUnicode(provider.remaining_bytes())
    assert_safe(safe_line(f"hedgecheck: error: {name}: {article}"), "stderr")
    for fmt in INPUT_FORMATS:
        report = hedgecheck.check(article, path=name or None, format=fmt, rules=RULES)
        for output in FORMATS:
            for color in (False, True):
                out = render(output, [report], color=color, rules=RULES)
                assert_safe(out, output, color=color)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
