"""Rewrite the generated parts of docs/rules.md from the shipped packs, for a person to review.

    python scripts/update_docs.py && git diff docs/
    python scripts/update_docs.py --check    # exit 1 when docs/rules.md is out of date

The table of every shipped rule, article check and built-in code (id, category, severity,
name, summary) is rendered by :func:`hedgecheck.ruledoc.markdown_table`, from the same
documents that ``hedgecheck rules`` prints; it sits between the ``generated`` markers and
nothing else of the file is touched. tests/test_docs.py fails when it is out of date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import hedgecheck
from hedgecheck.ruledoc import documents, markdown_table

RULES_DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
START = "<!-- generated:rule-table (scripts/update_docs.py; do not edit by hand) -->"
END = "<!-- /generated:rule-table -->"


def updated(text: str) -> str:
    """``text`` (docs/rules.md) with the table between its markers made anew."""
    before, start, rest = text.partition(START)
    _, end, after = rest.partition(END)
    if not (start and end):
        raise ValueError(f"docs/rules.md lacks the markers {START!r} and {END!r}")
    table = markdown_table(documents(hedgecheck.default_rules()))
    return f"{before}{START}\n{table}{END}{after}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is up to date")
    check = parser.parse_args().check
    text = RULES_DOC.read_text(encoding="utf-8")
    fresh = updated(text)
    if fresh == text:
        print(f"{RULES_DOC} is up to date")
        return 0
    if check:
        print(f"{RULES_DOC} is out of date: run python scripts/update_docs.py")
        return 1
    RULES_DOC.write_text(fresh, encoding="utf-8")
    print(f"wrote {RULES_DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
