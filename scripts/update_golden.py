"""Rewrite examples/*/expected.json from the current engine, for a person to review.

    python scripts/update_golden.py && git diff examples/

Only run this after reading the diff of what changed: the golden files are the reviewed
reading of each example, and the tests compare against them.
"""

from __future__ import annotations

import json
from pathlib import Path

import hedgecheck

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FORMATS = {".txt": "text", ".md": "markdown", ".html": "html"}


def golden_file(source: Path) -> Path:
    """expected.json for the plain-text example, expected.md.json and so on for the others."""
    suffix = "" if source.suffix == ".txt" else source.suffix
    return source.parent / f"expected{suffix}.json"


def main() -> None:
    for source in sorted(EXAMPLES.glob("*/*")):
        if source.suffix not in FORMATS:
            continue
        path = source.relative_to(EXAMPLES.parent).as_posix()
        text = source.read_text(encoding="utf-8")
        report = hedgecheck.check(text, path=path, format=FORMATS[source.suffix])
        target = golden_file(source)
        target.write_text(
            json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print(f"wrote {target} ({len(report.claims)} claims, article {report.label})")


if __name__ == "__main__":
    main()
