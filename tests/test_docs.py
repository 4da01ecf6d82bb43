"""The generated parts of the docs: docs/rules.md's table of every shipped rule and check is
what scripts/update_docs.py writes from the packs, rendered from the documents that
`hedgecheck rules` prints."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

import hedgecheck
from hedgecheck.ruledoc import documents, listing_line, markdown_table, text

ROOT = Path(__file__).parent.parent


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "update_docs", ROOT / "scripts" / "update_docs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_rule_table_in_docs_rules_md_is_up_to_date() -> None:
    script = _script()
    text = script.RULES_DOC.read_text(encoding="utf-8")
    assert script.updated(text) == text, "run python scripts/update_docs.py"


def test_the_rule_table_has_a_row_for_every_rule_check_lexicon_entry_and_builtin_code() -> None:
    rules = hedgecheck.default_rules()
    table = markdown_table(documents(rules)).splitlines()
    ids = [row.split("|")[1].strip().strip("`") for row in table[2:]]
    expected = [
        *(r.id for r in rules.rules),
        *(c.id for c in rules.checks),
        *(e.id for e in rules.lexicon.entries),
        "LBL001",
        "HCS001",
    ]
    assert sorted(ids) == sorted(expected)
    assert len(table) == len(expected) + 2


def test_a_pipe_or_line_break_in_a_summary_stays_in_its_cell() -> None:
    from dataclasses import replace

    doc = replace(documents(hedgecheck.default_rules())[0], summary="either | or\nnext line")
    row = markdown_table([doc]).splitlines()[2]
    assert row.endswith("| either \\| or next line |")
    assert row.count(" | ") == 4


def test_the_listing_and_the_table_name_a_check_by_its_kind() -> None:
    check = next(d for d in documents(hedgecheck.default_rules()) if d.id == "EDT001")
    assert listing_line(check).split()[1] == "check"
    assert "| check |" in markdown_table([check])


def test_the_script_refuses_a_file_without_its_markers() -> None:
    with pytest.raises(ValueError, match="markers"):
        _script().updated("# Writing rule packs\n")


def test_one_document_reads_as_its_kind_has_it() -> None:
    rules = hedgecheck.default_rules()
    by_id = {doc.id: doc for doc in documents(rules)}
    headings = {
        code: [s.heading for s in by_id[code].sections]
        for code in ("HDG001", "HYP002", "EDT001", "LBL001")
    }
    assert headings["HDG001"] == ["What it does", "Why", "Settings", "Examples", "Source"]
    assert headings["HYP002"] == [
        "What it does",
        "Why",
        "Settings",
        "Examples",
        "Rewrites",
        "Source",
    ]
    assert headings["EDT001"][:3] == ["What it does", "Why", "Message"]
    assert headings["LBL001"] == ["What it does", "Why", "Suggestion", "Source"]
    assert text(by_id["EDT001"]).startswith("EDT001 headline-stronger-than-body (editorial, ")
    assert by_id["LBL001"].origin == "hedgecheck, label, error"
