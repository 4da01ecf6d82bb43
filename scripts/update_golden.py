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


def main() -> None:
    for source in sorted(EXAMPLES.glob("*/*.txt")):
        path = source.relative_to(EXAMPLES.parent).as_posix()
        report = hedgecheck.check(source.read_text(encoding="utf-8"), path=path)
        target = source.parent / "expected.json"
        target.write_text(
            json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print(f"wrote {target} ({len(report.claims)} claims, article {report.label})")


if __name__ == "__main__":
    main()
