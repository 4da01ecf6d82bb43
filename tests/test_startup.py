"""Start-up: `hedgecheck --help` imports none of the analysis, a scan imports only the
output format it writes (and multiprocessing only with --jobs), `import hedgecheck` imports
its API on first use, and the opening tables of a case-insensitive pattern, probed in lower
case alone, are the tables probed in every case."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hedgecheck
import hedgecheck.openings as openings_module
from hedgecheck.formats import FORMATS

# Modules of the analysis: none is needed to show the commands.
ANALYSIS = [
    "hedgecheck.api",
    "hedgecheck.article",
    "hedgecheck.checks",
    "hedgecheck.config",
    "hedgecheck.engine",
    "hedgecheck.model",
    "hedgecheck.loader",
    "hedgecheck.matcher",
    "hedgecheck.ruleset",
    "hedgecheck.scanning",
    "hedgecheck.text",
    "hedgecheck.formats",
    "regex",
]
OTHER_FORMATS = [
    f"hedgecheck.formats.{name}_format" for name in FORMATS if name not in ("text", "json")
]


def _imported_by(code: str, *argv: str) -> set[str]:
    """The modules a fresh interpreter has imported after running ``code``."""
    # (written as a Python literal: the probe imports no json, which a scan must not need)
    probe = f"import sys\n{code}\nsys.stderr.write('\\n' + repr(sorted(sys.modules)) + '\\n')"
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=False
    )
    return set(ast.literal_eval(done.stderr.strip().splitlines()[-1]))


def _cli(*argv: str) -> str:
    return (
        "from hedgecheck.cli import main\n"
        "try:\n"
        f"    main({list(argv)!r})\n"
        "except SystemExit:\n"
        "    pass"
    )


def test_help_imports_none_of_the_analysis() -> None:
    imported = _imported_by(_cli("--help"))
    assert not imported & {*ANALYSIS, *OTHER_FORMATS}, imported & {*ANALYSIS, *OTHER_FORMATS}


def test_a_scan_imports_the_format_it_writes_and_no_other(tmp_path: Path) -> None:
    article = tmp_path / "one.txt"
    article.write_text("Coffee may cut the risk of stroke.\n", encoding="utf-8")
    scan = ("scan", "--fail-on", "never", "--format", "json", str(article))
    imported = _imported_by(_cli(*scan))
    assert "hedgecheck.formats.json_format" in imported
    assert "hedgecheck.engine" in imported
    others = [m for m in OTHER_FORMATS if m in imported]
    assert others == []
    assert "hedgecheck.formats.text_format" not in imported
    assert "concurrent.futures.process" not in imported
    assert "multiprocessing" not in imported


def test_import_hedgecheck_imports_only_the_package() -> None:
    imported = _imported_by("import hedgecheck")
    assert {m for m in imported if m.startswith("hedgecheck")} == {"hedgecheck"}
    assert "regex" not in imported


@pytest.mark.parametrize("name", hedgecheck.__all__)
def test_every_public_name_resolves_to_its_home(name: str) -> None:
    value = getattr(hedgecheck, name)
    if name != "__version__":
        assert value is getattr(importlib.import_module(hedgecheck._HOMES[name]), name)
    assert name in dir(hedgecheck)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'chek'"):
        hedgecheck.chek  # noqa: B018


def test_each_registered_format_streams_exactly_when_its_module_has_a_stream() -> None:
    for name, registered in FORMATS.items():
        module = importlib.import_module(f"hedgecheck.formats.{name}_format")
        assert (registered.stream is not None) == hasattr(module, "Stream"), name


def test_the_lazy_choices_list_the_registries() -> None:
    from hedgecheck import cli
    from hedgecheck.documents import INPUT_FORMATS
    from hedgecheck.evaluate import TASKS

    scan = cli.main.commands["scan"]
    types = {p.name: p.type for p in scan.params}
    assert list(types["output_format"].choices) == sorted(FORMATS)  # type: ignore[attr-defined]
    assert list(types["input_format"].choices) == ["auto", *INPUT_FORMATS]  # type: ignore[attr-defined]
    task = cli.main.commands["evaluate"].params[0].type
    assert list(task.choices) == sorted(TASKS)  # type: ignore[attr-defined]


# -- the opening tables, probed in lower case for a case-insensitive pattern -------------

TRICKY = [
    r"a)(?:b",
    r"may(?:be)?",
    r"\p{Lu}\w+ et al\.?",
    r"(?-i:FDA)[- ]approved",
    r"(?:dr|prof)\.?\s+(?-i:\p{Lu}\p{Ll}+)",
    r"[A-Z]{2,4}s?\b",
    r"[^a-z]x",
    r"n=\d+",
    r"“?cure[ds]?”?",
    r"£\d+",
    r"q(?=u)",
    r"ab(?!c)",
]


def _tables(body: str) -> tuple[object, ...]:
    keys = openings_module.openings(body)
    return tuple(keys), openings_module.third_characters(body, keys)


def _agree(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _tables(body), openings_module.first_characters(body)
    with monkeypatch.context() as patch:
        patch.setattr(openings_module, "case_blind", lambda body: False)
        slow = _tables(body), openings_module.first_characters(body)
    assert fast == slow, body


@pytest.mark.parametrize("pattern", TRICKY)
@pytest.mark.parametrize("case_sensitive", [False, True])
def test_case_blind_probing_finds_what_probing_every_case_finds(
    pattern: str, case_sensitive: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    _agree(openings_module.pattern_body(pattern, case_sensitive), monkeypatch)


def test_a_pattern_that_switches_case_back_on_is_probed_in_every_case() -> None:
    assert openings_module.case_blind(openings_module.pattern_body("may", False))
    assert not openings_module.case_blind(openings_module.pattern_body("may", True))
    assert not openings_module.case_blind(openings_module.pattern_body("(?-i:FDA)", False))
    assert not openings_module.case_blind(openings_module.pattern_body("a(?s-i)b", False))
    assert not openings_module.case_blind(openings_module.pattern_body("a)(?:b", False))
    assert openings_module.case_blind(openings_module.pattern_body(r"a\)[)(]b", False))


def test_case_blind_probing_agrees_on_a_sample_of_the_shipped_patterns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rules = hedgecheck.default_rules().rules
    bodies = [openings_module.pattern_body(p, r.case_sensitive) for r in rules for p in r.patterns]
    for body in bodies[:: max(1, len(bodies) // 24)]:
        _agree(body, monkeypatch)


PIECES = ["a", "b", "A", "x", r"\d", r"\s", "[a-c]", "[A-C]", r"\p{Lu}", r"\p{Ll}", ".", "-", "é"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(PIECES), st.sampled_from(["", "?", "+", "{1,2}"])),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
)
def test_case_blind_probing_agrees_on_generated_patterns(
    parts: list[tuple[str, str]], case_sensitive: bool
) -> None:
    pattern = "".join(piece + repeat for piece, repeat in parts)
    body = openings_module.pattern_body(pattern, case_sensitive)
    fast = _tables(body), openings_module.first_characters(body)
    real = openings_module.case_blind
    openings_module.case_blind = lambda body: False  # type: ignore[assignment]
    try:
        slow = _tables(body), openings_module.first_characters(body)
    finally:
        openings_module.case_blind = real
    assert fast == slow, pattern


# -- what a plain scan does not pay for ----------------------------------------------------


def test_a_text_scan_to_standard_output_imports_no_html_reader_nor_temporary_files(
    tmp_path: Path,
) -> None:
    article = tmp_path / "one.txt"
    article.write_text("Coffee may cut the risk of stroke.\n", encoding="utf-8")
    imported = _imported_by(_cli("scan", "--fail-on", "never", str(article)))
    assert "hedgecheck.engine" in imported
    assert not {"hedgecheck.documents.html", "html.parser", "html.entities"} & imported
    # nor what only an output file, a dataset or a headline check needs
    assert not {"tempfile", "shutil", "statistics", "importlib.resources"} & imported
    # nor the socket module, which only `serve` binds with
    assert "socket" not in imported


def test_an_html_scan_still_reads_html(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<p>Coffee <b>may</b> cut the risk of stroke &amp; more.</p>", "utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _cli("scan", "--format", "json", "--fail-on", "never", str(page))],
        capture_output=True,
        text=True,
        check=False,
    )
    claims = json.loads(done.stdout)["files"][0]["claims"]
    assert claims[0]["text"] == "Coffee may cut the risk of stroke & more."


def test_the_command_leaves_its_long_lived_objects_out_of_the_exit_collections() -> None:
    """main has gc.freeze run at exit, once however often it runs in one process."""
    probe = (
        "import atexit, gc\n"
        "calls = []\n"
        "real = gc.freeze\n"
        "gc.freeze = lambda: (calls.append(1), real())\n"
        f"{_cli('rules', '--help')}\n"
        f"{_cli('rules', '--help')}\n"
        "before = gc.get_freeze_count()\n"
        "atexit._run_exitfuncs()\n"
        "print(len(calls), before, gc.get_freeze_count())"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    calls, before, frozen = map(int, done.stdout.split()[-3:])
    assert calls == 1
    assert before == 0 and frozen > 1000


@pytest.mark.parametrize("index", [0, 1, -1])
def test_rules_and_examples_pickle_back_equal(index: int) -> None:
    import pickle

    rule = hedgecheck.default_rules().rules[index]
    assert pickle.loads(pickle.dumps(rule)) == rule
    for example in (*rule.match_examples, *rule.no_match_examples):
        assert pickle.loads(pickle.dumps(example)) == example


def test_the_rule_cache_holds_every_opening_it_would_compile() -> None:
    for matcher in hedgecheck.default_rules().matchers:
        untold = {
            i
            for i, thirds in matcher._third_characters.items()
            if thirds is None
            and "(?<" not in openings_module.without_leading_lookbehind(matcher._branch_bodies[i])
        }
        assert untold <= set(matcher._opener_code)
        assert set(matcher._anywhere) <= set(matcher._branch_code)


def test_no_collection_runs_until_the_rules_are_loaded_then_they_are_frozen_once(
    tmp_path: Path,
) -> None:
    """The first command of a process holds collections until its rules are loaded, then
    freezes what is alive (the modules, the rule set); a second command changes nothing, and
    one that fails before loading rules leaves collections on."""
    article = tmp_path / "one.txt"
    article.write_text("Coffee may cut the risk of stroke.\n", encoding="utf-8")
    probe = (
        "import gc, json, sys\n"
        "import hedgecheck.cli.options as options\n"
        "seen = []\n"
        "real = options.load_packs\n"
        "def watched(*args, **kwargs):\n"
        "    seen.append(['before', gc.isenabled(), gc.get_freeze_count()])\n"
        "    rules = real(*args, **kwargs)\n"
        "    seen.append(['after', gc.isenabled(), gc.get_freeze_count()])\n"
        "    return rules\n"
        "options.load_packs = watched\n"
        "sys.modules['hedgecheck.cli.scan'].load_packs = watched\n"
        f"{_cli('scan', '--quiet', '--fail-on', 'never', str(article))}\n"
        "seen.append(['end', gc.isenabled(), gc.get_freeze_count()])\n"
        f"{_cli('scan', '--quiet', '--fail-on', 'never', str(article))}\n"
        "seen.append(['again', gc.isenabled(), gc.get_freeze_count()])\n"
        "sys.stderr.write('\\n' + json.dumps(seen) + '\\n')\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    seen = json.loads(done.stderr.strip().splitlines()[-1])
    (_, on_before, _), (_, on_after, frozen), (_, on_end, frozen_end) = seen[:3]
    assert (on_before, on_after, on_end) == (False, True, True)
    # (frozen objects that die are counted out: a second freeze would add thousands)
    assert frozen > 10_000 and frozen_end <= frozen
    (_, again_before, _), (_, again_after, _), (_, _, frozen_again) = seen[3:]
    assert (again_before, again_after) == (True, True) and frozen_again <= frozen_end


def test_a_command_that_fails_before_its_rules_leaves_collections_on(tmp_path: Path) -> None:
    probe = (
        "import gc\n"
        f"{_cli('scan', '--rules', str(tmp_path / 'missing.toml'), str(tmp_path))}\n"
        "print(gc.isenabled(), gc.get_freeze_count())"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.split()[-2:] == ["True", "0"]


def test_a_quiet_scan_imports_no_logging(tmp_path: Path) -> None:
    """logging is for the notes of a slow rule build, which --quiet never says (the
    pre-commit hook's scan is quiet)."""
    article = tmp_path / "one.txt"
    article.write_text("Coffee may cut the risk of stroke.\n", encoding="utf-8")
    imported = _imported_by(_cli("scan", "--quiet", "--fail-on", "never", str(article)))
    assert "hedgecheck.engine" in imported
    assert "logging" not in imported
    assert "click._termui_impl" not in imported  # no progress bar is drawn


def test_a_text_scan_compiles_only_the_output_patterns_it_uses(tmp_path: Path) -> None:
    """The safe-output patterns are compiled on first use: a text scan to standard output
    never needs the Markdown, JSON or GitHub ones."""
    article = tmp_path / "one.txt"
    article.write_text("Coffee may cut the risk of stroke.\n", encoding="utf-8")
    probe = (
        "import sys\n"
        f"{_cli('scan', '--quiet', '--fail-on', 'never', str(article))}\n"
        "safe = sys.modules['hedgecheck.formats._safe']\n"
        "made = sorted(n for n, v in vars(safe).items() if isinstance(v, safe._OnFirstUse)"
        " and v._compiled is not None)\n"
        "sys.stderr.write('\\n' + ' '.join(made) + '\\n')"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    made = done.stderr.strip().splitlines()[-1].split()
    assert made  # the text format guards its output
    assert not {"_MARKDOWN_PUNCTUATION", "_JSON_UNSAFE", "_OWN_COMMAND"} & set(made), made


def test_a_text_scan_imports_no_json_and_reads_no_toml(tmp_path: Path) -> None:
    """Neither the rule cache's manifest nor the text format's tally of the reports is
    JSON, and the TOML scanner's patterns are compiled for the first TOML text read (a scan
    with no configuration, its rules from a cache, reads none). Nor is the pack parser
    imported, nor pkgutil to list the checks."""
    hedgecheck.default_rules()  # the rules cached, as a scan after the first finds them
    article = tmp_path / "one.txt"
    article.write_text("Coffee may cut the risk of stroke.\n", encoding="utf-8")
    scan = _cli("scan", "--quiet", "--fail-on", "never", str(article))
    toml = "sys.modules['hedgecheck.tomlfile']._scanned_by.cache_info().currsize"
    done = subprocess.run(
        [sys.executable, "-c", f"import sys\n{scan}\nprint({toml}, repr(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=False,
    )
    compiled, listed = done.stdout.splitlines()[-1].split(" ", 1)
    imported = set(ast.literal_eval(listed))
    assert compiled == "0"
    assert "hedgecheck.engine" in imported and "hedgecheck.formats.text_format" in imported
    assert not {"json", "pkgutil", "hedgecheck.packfile"} & imported


def test_the_rule_cache_holds_each_set_of_third_characters_once() -> None:
    """Equal sets of the opening tables are one object in the pickle: unpickled, they are
    shared, not made anew for each of the thousands of openings."""
    from hedgecheck import rulecache

    payload = memoryview(rulecache._payload(hedgecheck.default_rules()))
    ruleset, problem = rulecache._unpickled(payload, frozenset())
    assert problem is None and ruleset is not None
    sets = [
        thirds
        for matcher in (ruleset.matcher, ruleset.overlay, ruleset.methods)
        for tier in matcher.tiers()
        for table in tier._third_characters.values()
        for thirds in (table or {}).values()
        if thirds is not None
    ]
    assert len({id(thirds) for thirds in sets}) == len(set(sets)) < len(sets) / 10


def test_the_classes_of_a_text_scan_have_docstrings(tmp_path: Path) -> None:
    """dataclass() writes a docstring for a class without one from its signature, which
    inspect works out: some 0.15 ms a class, for a docstring nobody reads."""
    article = tmp_path / "one.txt"
    article.write_text("Coffee may cut the risk of stroke.\n", encoding="utf-8")
    probe = (
        "import dataclasses, sys\n"
        f"{_cli('scan', '--quiet', '--fail-on', 'never', str(article))}\n"
        "made = [c for m in list(sys.modules.values()) if m.__name__.startswith('hedgecheck')"
        " for c in vars(m).values() if isinstance(c, type) and dataclasses.is_dataclass(c)"
        " and c.__module__ == m.__name__]\n"
        "print(len(made), sorted(c.__qualname__ for c in made"
        " if (c.__doc__ or '').startswith(c.__name__ + '(')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    count, undocumented = done.stdout.strip().splitlines()[-1].split(" ", 1)
    assert int(count) > 40
    assert undocumented == "[]"
