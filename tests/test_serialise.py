"""The serialiser (``hedgecheck.serialise``): any report model comes out as the JSON schema
says, its keys in the schema's order, and reads back to the report it came from."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, is_dataclass
from enum import Enum
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hedgecheck.model import (
    CardItem,
    Claim,
    Contribution,
    Cue,
    Evidence,
    EvidenceTag,
    Finding,
    Label,
    Mention,
    Part,
    Report,
    Severity,
    Strength,
)
from hedgecheck.serialise import HIDDEN, OMITTED_WHEN_DEFAULT, to_dict

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "schema" / "hedgecheck-report.schema.json").read_text()
)
DEFS = SCHEMA["$defs"]


def _enum(definition: str, key: str) -> st.SearchStrategy[Any]:
    """The values the schema allows for one key (None among them where it allows null)."""
    return st.sampled_from(DEFS[definition]["properties"][key]["enum"])


def _several(strategy: st.SearchStrategy[Any], most: int = 3) -> st.SearchStrategy[tuple]:
    return st.lists(strategy, max_size=most).map(tuple)


OFFSETS = st.integers(0, 10**7)
LINES = st.integers(0, 10**5)
COLUMNS = st.integers(1, 10**5)
RULE_IDS = st.from_regex(r"\A[A-Z]{2,5}[0-9]{3}\Z")
WORDS = st.text(min_size=1, max_size=12)
NUMBERS = st.floats(allow_nan=False, allow_infinity=False)
UNIT = st.floats(0, 1)
SPAN = {"start": OFFSETS, "end": OFFSETS, "line": LINES, "column": COLUMNS}

MENTIONS = st.builds(Mention, rule=RULE_IDS, text=WORDS, **SPAN)
CUES = st.builds(
    Cue,
    rule=RULE_IDS,
    name=WORDS,
    category=_enum("cue", "category"),
    text=WORDS,
    **SPAN,
    scope=_enum("cue", "scope"),
    weight=NUMBERS,
    kind=st.none() | st.text(max_size=8),
    value=st.none() | st.text(max_size=8),
    quoted=st.booleans(),
    scope_span=st.none() | st.tuples(OFFSETS, OFFSETS),
)
EVIDENCE = st.builds(
    Evidence,
    design=_enum("evidence", "design"),
    subjects=_enum("evidence", "subjects"),
    sample=_enum("evidence", "sample"),
    publication=_enum("evidence", "publication"),
    limitations=_several(st.text(max_size=8)),
    grade=st.none() | st.sampled_from(DEFS["label"]["enum"]),
)
CONTRIBUTIONS = st.builds(
    Contribution,
    source=WORDS,
    axis=_enum("contribution", "axis"),
    weight=NUMBERS,
    note=st.text(max_size=8),
)
CLAIMS = st.builds(
    Claim,
    text=st.text(max_size=20),
    **SPAN,
    headline=st.booleans(),
    primary=st.booleans(),
    block=_enum("claim", "block"),
    label=st.sampled_from(Label),
    confidence=UNIT,
    certainty=UNIT,
    strength=st.sampled_from(Strength),
    negated=st.booleans(),
    evidence=EVIDENCE,
    cues=_several(CUES),
    explanation=_several(CONTRIBUTIONS),
)
FINDINGS = st.builds(
    Finding,
    code=RULE_IDS,
    name=WORDS,
    severity=st.sampled_from(Severity),
    message=WORDS,
    text=WORDS,
    **SPAN,
    suggestion=st.none() | st.text(max_size=8),
    quoted=st.booleans(),
    basis=_several(MENTIONS),
)
TAGS = st.builds(
    EvidenceTag,
    peer_reviewed=_enum("evidence_tag", "peer_reviewed"),
    study_type=_enum("evidence_tag", "study_type"),
    design=_enum("evidence_tag", "design"),
    subjects=_enum("evidence_tag", "subjects"),
    basis=_several(MENTIONS),
)
CARD = st.builds(
    CardItem,
    criterion=_enum("card_item", "criterion"),
    status=_enum("card_item", "status"),
    note=WORDS,
    evidence=_several(MENTIONS),
)
PARTS = st.builds(
    Part, index=st.integers(1, 99), count=st.integers(2, 99), start=OFFSETS, end=OFFSETS, line=LINES
)
REPORTS = st.builds(
    Report,
    path=st.none() | st.text(max_size=12),
    warnings=_several(st.text(max_size=8)),
    errors=_several(st.text(max_size=8)),
    input_format=_enum("report", "input_format"),
    label=st.none() | st.sampled_from(Label),
    headline=st.none() | st.text(max_size=12),
    evidence_tag=TAGS,  # the schema has no null here: check() always fills the tag
    report_card=_several(CARD),
    study_cues=_several(CUES),
    claims=_several(CLAIMS),
    findings=_several(FINDINGS),
    part=st.none() | PARTS,
    source=st.none() | st.text(max_size=12),
)


@settings(max_examples=60, deadline=None)
@given(REPORTS)
def test_a_report_is_as_the_schema_says(report: Report) -> None:
    data = report.to_dict()
    assert json.loads(json.dumps(data)) == data  # JSON values only: nothing lost in JSON
    jsonschema.Draft202012Validator(SCHEMA).validate({"schema_version": 1, "files": [data]})
    _assert_schema_order(data, DEFS["report"])


@settings(max_examples=60, deadline=None)
@given(REPORTS)
def test_a_report_reads_back_from_its_json(report: Report) -> None:
    """Every field the JSON leaves out (a default, or what only the page reads) comes back
    as it was: the hidden ones are not compared."""
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert _read(Report, data) == report


def test_hidden_fields_are_never_written() -> None:
    mention = Mention("ABC001", "in mice", 0, 7, 1, 1)
    finding = Finding("ABC001", "x", Severity.INFO, "m", "t", 0, 1, 1, 1, basis=(mention,))
    report = Report(label=None, headline=None, claims=(), findings=(finding,), source="text")
    data = report.to_dict()
    assert "source" not in data
    assert list(data["findings"][0]) == [
        "code",
        "name",
        "severity",
        "message",
        "text",
        "start",
        "end",
        "line",
        "column",
    ]


def test_a_field_omitted_when_default_is_written_once_it_is_not() -> None:
    plain = Contribution("bias", "certainty", 0.5)
    noted = Contribution("bias", "certainty", 0.5, "an unhedged statement")
    assert plain.to_dict() == {"source": "bias", "axis": "certainty", "weight": 0.5}
    assert noted.to_dict()["note"] == "an unhedged statement"


def test_a_field_omitted_when_default_needs_a_default() -> None:
    @dataclass(frozen=True)
    class Wrong:
        note: str = field(default_factory=str, metadata=OMITTED_WHEN_DEFAULT)

    with pytest.raises(TypeError, match=r"Wrong\.note is omitted when default but has none"):
        to_dict(Wrong())


def test_only_a_dataclass_is_serialised() -> None:
    with pytest.raises(TypeError, match="needs a dataclass instance, not dict"):
        to_dict({"a": 1})


def test_hidden_is_field_metadata() -> None:
    @dataclass(frozen=True)
    class Shown:
        kept: int
        page_only: str = field(default="", metadata=HIDDEN)

    assert to_dict(Shown(1, "x")) == {"kept": 1}


def _assert_schema_order(data: Any, schema: dict[str, Any]) -> None:
    """Each object's keys are its schema's required keys in their order, then the optional
    ones present, in the order the schema lists its properties."""
    schema = _resolved(schema, data)
    if isinstance(data, dict):
        required = schema["required"]
        optional = [key for key in schema["properties"] if key not in required and key in data]
        assert list(data) == required + optional
        for key, value in data.items():
            _assert_schema_order(value, schema["properties"][key])
    elif isinstance(data, list) and "items" in schema:
        for value in data:
            _assert_schema_order(value, schema["items"])


def _resolved(schema: dict[str, Any], data: Any) -> dict[str, Any]:
    if "$ref" in schema:
        return _resolved(DEFS[schema["$ref"].removeprefix("#/$defs/")], data)
    if "oneOf" in schema and data is not None:
        return _resolved(next(s for s in schema["oneOf"] if s.get("type") != "null"), data)
    return schema


def _read(hint: Any, data: Any) -> Any:
    """The model object ``data`` (a report's JSON, parsed) stands for, built from the types
    the model declares: what a reader of the JSON would do."""
    if data is None:
        return None
    if get_origin(hint) in (Union, UnionType):
        (kind,) = (k for k in get_args(hint) if k is not type(None))
        return _read(kind, data)
    if get_origin(hint) is tuple:
        return tuple(_read(get_args(hint)[0], value) for value in data)
    if is_dataclass(hint):
        hints = get_type_hints(hint)
        return hint(**{key: _read(hints[key], value) for key, value in data.items()})
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(data)
    return data
