"""The public functions refuse what they cannot use with a HedgecheckError naming the
function and the argument (a wrong type is also a TypeError), never a TypeError or
AttributeError from inside the engine. ``check`` and ``check_parts`` read bytes as a file's
bytes are read."""

from __future__ import annotations

import codecs
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hedgecheck
from hedgecheck import FindingPolicy, HedgecheckError, Report, UsageError

TEXT = "A small study suggests the drug may reduce pain."


@pytest.mark.parametrize(
    ("args", "kwargs", "named"),
    [
        ((None,), {}, "text must be str or bytes or bytearray or memoryview, not NoneType"),
        ((42,), {}, "text must be str or bytes or bytearray or memoryview, not int"),
        (([TEXT],), {}, "text must be str or bytes or bytearray or memoryview, not list"),
        ((TEXT,), {"title": 5}, "title must be str or None, not int"),
        ((TEXT,), {"title": b"x"}, "title must be str or None, not bytes"),
        ((TEXT,), {"rules": "garbage"}, "rules must be RuleSet or None, not str"),
        ((TEXT,), {"rules": []}, "rules must be RuleSet or None, not list"),
        ((TEXT,), {"path": 3}, "path must be str, not int"),
        ((TEXT,), {"path": b"a.txt"}, "path must be str, not bytes"),
        ((TEXT,), {"format": None}, "format must be str, not NoneType"),
        ((TEXT,), {"format": "pdf"}, "unknown input format 'pdf'"),
        ((TEXT,), {"policy": {"select": "HYP"}}, "policy must be FindingPolicy or None"),
    ],
)
def test_check_names_the_wrong_argument(args: tuple, kwargs: dict, named: str) -> None:
    with pytest.raises(UsageError) as raised:
        hedgecheck.check(*args, **kwargs)
    assert str(raised.value).startswith("check(): ") or "unknown input format" in named
    assert named in str(raised.value)


@pytest.mark.parametrize(
    ("call", "wrong"),
    [
        (lambda v: hedgecheck.check(v), 42),
        (lambda v: hedgecheck.check(TEXT, title=v), b"x"),
        (lambda v: hedgecheck.check(TEXT, rules=v), "garbage"),
        (lambda v: hedgecheck.check_parts(v), None),
        (lambda v: hedgecheck.load_rules(v), 42),
        (lambda v: FindingPolicy.build(select=v), 5),
    ],
)
def test_a_wrong_type_is_a_type_error_and_a_usage_error(call: Any, wrong: Any) -> None:
    """``except TypeError`` catches it as Python callers expect, and ``except
    HedgecheckError`` as the CLI does; the message names the expected type first."""
    with pytest.raises(TypeError) as raised:
        call(wrong)
    assert isinstance(raised.value, UsageError)
    assert "must be " in str(raised.value) and f", not {type(wrong).__name__}" in str(raised.value)


def test_an_unknown_format_is_a_usage_error_not_a_type_error() -> None:
    with pytest.raises(UsageError) as raised:
        hedgecheck.check(TEXT, format="pdf")
    assert not isinstance(raised.value, TypeError)


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode(),
        bytearray(TEXT.encode()),
        memoryview(TEXT.encode()),
        codecs.BOM_UTF8 + TEXT.encode(),
        TEXT.encode("utf-16"),  # with its byte-order mark, as a file would be read
        codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
    ],
    ids=["bytes", "bytearray", "memoryview", "utf-8-bom", "utf-16", "utf-32"],
)
def test_check_reads_bytes_as_a_file_is_read(data: Any, tmp_path: Path) -> None:
    report = hedgecheck.check(data, path="a.txt")
    assert report.to_dict() == hedgecheck.check(TEXT, path="a.txt").to_dict()
    assert report.source == TEXT
    article = tmp_path / "a.txt"
    article.write_bytes(bytes(data))
    scanned = _scan_json(article)
    assert [c["text"] for c in scanned["claims"]] == [c.text for c in report.claims]


def _scan_json(path: Path) -> dict:
    from click.testing import CliRunner

    from hedgecheck.cli import main

    result = CliRunner().invoke(main, ["scan", "--format", "json", str(path)])
    return json.loads(result.stdout)["files"][0]


def test_bytes_that_are_not_utf8_are_read_with_a_warning() -> None:
    report = hedgecheck.check(b"The drug \xff may cure colds.", path="a.txt")
    assert report.claims[0].text == "The drug \ufffd may cure colds."
    assert report.warnings == (
        "a.txt: not valid UTF-8 (first bad byte at offset 9); 1 undecodable byte sequence(s) "
        "read as U+FFFD",
    )
    parts = list(hedgecheck.check_parts(b"The drug \xff may cure colds."))
    assert parts[0].warnings and parts[0].warnings[0].startswith("check_parts(): text: not valid")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"The drug\x00 may cure colds.", "binary file (NUL bytes at offset 8)"),
        (b"%PDF-1.7 The drug may cure colds.", "binary file (a PDF)"),
        (b"\xff\xfe\x00\xd8", "not valid utf-16-le after its byte-order mark"),
    ],
)
def test_bytes_that_are_not_text_are_an_input_error(data: bytes, reason: str) -> None:
    with pytest.raises(hedgecheck.InputError) as raised:
        hedgecheck.check(data)
    assert str(raised.value).startswith(f"check(): text: {reason}")
    assert not str(raised.value).endswith("skipped")


@settings(max_examples=60, deadline=None, database=None)
@given(st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=200))
def test_utf8_bytes_give_the_report_of_their_text(text: str) -> None:
    text = text.removeprefix("\ufeff")  # a leading BOM is read as the mark, as in a file
    assert hedgecheck.check(text.encode()).to_dict() == hedgecheck.check(text).to_dict()


def test_check_takes_a_path_object_as_its_path() -> None:
    assert hedgecheck.check(TEXT, path=Path("news") / "a.txt").path == os.path.join("news", "a.txt")


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"text": 5}, "check_parts(): text must be str or bytes or bytearray or memoryview, not"),
        ({"text": TEXT, "size": 0}, "check_parts(): size must be at least 1, not 0"),
        ({"text": TEXT, "size": -5}, "check_parts(): size must be at least 1, not -5"),
        ({"text": TEXT, "size": 1.5}, "check_parts(): size must be int, not float"),
        ({"text": TEXT, "size": True}, "check_parts(): size must be int, not bool"),
        ({"text": TEXT, "size": "10"}, "check_parts(): size must be int, not str"),
        ({"text": TEXT, "rules": "garbage"}, "check_parts(): rules must be RuleSet or None"),
    ],
)
def test_check_parts_refuses_at_the_call(kwargs: dict, named: str) -> None:
    text = kwargs.pop("text")
    with pytest.raises(UsageError, match=named.replace("(", r"\(").replace(")", r"\)")):
        hedgecheck.check_parts(text, **kwargs)  # raised before any report is asked for


@pytest.mark.parametrize(
    ("args", "kwargs", "named"),
    [
        ((42,), {}, "load_rules(): each path must be str, not int"),
        ((b"rules",), {}, "load_rules(): each path must be str, not bytes"),
        ((None,), {}, "load_rules(): each path must be str, not NoneType"),
        ((), {"include_defaults": "yes"}, "load_rules(): include_defaults must be bool"),
    ],
)
def test_load_rules_names_the_wrong_argument(args: tuple, kwargs: dict, named: str) -> None:
    with pytest.raises(UsageError, match=named.replace("(", r"\(").replace(")", r"\)")):
        hedgecheck.load_rules(*args, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"select": 5}, "select must be Iterable, not int"),
        ({"select": [1]}, "select items must be str, not int"),
        ({"ignore": [None]}, "ignore items must be str, not NoneType"),
        ({"severity": ["HYP"]}, "severity must be Mapping or None, not list"),
        ({"severity": {"HYP": "loud"}}, "severity['HYP'] must be one of info, warning, error"),
        ({"severity": {"HYP": ["error"]}}, "severity['HYP'] must be one of"),
        ({"severity": {5: "error"}}, "severity keys must be str, not int"),
        ({"report_unused_suppressions": 1}, "report_unused_suppressions must be bool"),
    ],
)
def test_finding_policy_build_names_the_wrong_argument(kwargs: dict, named: str) -> None:
    with pytest.raises(UsageError) as raised:
        FindingPolicy.build(**kwargs)
    assert named in str(raised.value)


def test_a_single_selector_string_is_one_selector_not_its_letters() -> None:
    assert FindingPolicy.build(select="HYP", ignore="hype").select == ("HYP",)
    assert FindingPolicy.build(select="HYP", ignore="hype").ignore == ("hype",)


@pytest.mark.parametrize(
    ("args", "kwargs", "named"),
    [
        ((42,), {}, "paths_or_bag must be Iterable, not int"),
        (([42],), {}, "paths_or_bag items must be str, not int"),
        ((["a"],), {"partition_size": 0}, "partition_size must be at least 1, not 0"),
        ((["a"],), {"partition_size": 2.0}, "partition_size must be int, not float"),
        ((["a"],), {"rules": 5}, "rules must be Iterable, not int"),
    ],
)
def test_dask_scan_names_the_wrong_argument(args: tuple, kwargs: dict, named: str) -> None:
    cluster = pytest.importorskip("hedgecheck.cluster")
    with pytest.raises(UsageError) as raised:
        cluster.scan(*args, **kwargs)
    assert named in str(raised.value)


# Anything a caller might pass by mistake, and the right things, mixed.
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=30),  # surrogates too
    st.binary(max_size=30),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.tuples(st.integers()),
    st.builds(object),
    st.builds(Path, st.text(min_size=1, max_size=10).filter(lambda t: "\0" not in t)),
    st.sampled_from(["text", "markdown", "html", "", "TEXT"]),
    st.sampled_from([FindingPolicy(), FindingPolicy.build(select=["HYP"])]),
    st.just(None).map(lambda _: hedgecheck.default_rules()),
    st.just(io.StringIO(TEXT)),
)
_TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(["The pill may", " cure cancer", ".", "\n\n", "<p>", "# "])).map(
        "".join
    ),
    _VALUES,
)


def _mostly(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A right value about three times in four, so that whole reports get made too."""
    return st.one_of(valid, valid, valid, _VALUES)


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    text=_mostly(_TEXTS),
    title=_mostly(st.one_of(st.none(), st.text(max_size=40))),
    rules=_mostly(st.none()),
    path=_mostly(st.one_of(st.none(), st.text(max_size=20))),
    format=_mostly(st.sampled_from(["text", "markdown", "html"])),
    policy=_mostly(st.sampled_from([None, FindingPolicy(), FindingPolicy.build(ignore="hype")])),
)
def test_check_returns_a_report_or_raises_a_hedgecheck_error(
    text: Any, title: Any, rules: Any, path: Any, format: Any, policy: Any
) -> None:
    try:
        report = hedgecheck.check(
            text, title=title, rules=rules, path=path, format=format, policy=policy
        )
    except HedgecheckError:
        return
    assert isinstance(report, Report)
    report.to_dict()  # the report is sound enough to render


@settings(max_examples=60, deadline=None, database=None)
@given(
    text=_mostly(_TEXTS),
    size=_mostly(st.integers(min_value=1, max_value=200)),
    format=_mostly(st.sampled_from(["text", "markdown", "html"])),
)
def test_check_parts_returns_reports_or_raises_a_hedgecheck_error(
    text: Any, size: Any, format: Any
) -> None:
    try:
        reports = list(hedgecheck.check_parts(text, size=size, format=format))
    except HedgecheckError:
        return
    assert reports and all(isinstance(r, Report) for r in reports)


@settings(max_examples=60, deadline=None, database=None)
@given(
    select=_mostly(st.lists(st.text(max_size=6), max_size=3)),
    ignore=_mostly(st.text(max_size=6)),
    severity=_mostly(st.dictionaries(st.text(max_size=4), st.sampled_from(["info", "error"]))),
    unused=_mostly(st.booleans()),
)
def test_finding_policy_build_returns_a_policy_or_raises_a_hedgecheck_error(
    select: Any, ignore: Any, severity: Any, unused: Any
) -> None:
    try:
        policy = FindingPolicy.build(
            select=select, ignore=ignore, severity=severity, report_unused_suppressions=unused
        )
    except HedgecheckError:
        return
    assert all(isinstance(s, str) for s in (*policy.select, *policy.ignore))
