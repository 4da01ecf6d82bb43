"""The patterns the modules compile on import, shipped compiled with a wheel
(hedgecheck/compiled.pickle, written by setup.py): read only when the file is a regular file
of the package's owner that no one else can write, made by this Python and regex; anything
else compiles the patterns, with the same result."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import regex
from shipped_build import built_by

import hedgecheck.patterns as patterns_module
from hedgecheck.patterns import SHIPPED_PATTERNS, compiled
from hedgecheck.trust import PRIVATE_FILES

pytestmark = pytest.mark.skipif(
    not PRIVATE_FILES, reason="the shipped patterns need POSIX owners and O_NOFOLLOW"
)

SAMPLES = [
    "Updated 9:05 AM ET, Tue July 8",
    "Skip to main content | Sign in",
    "By Jane Doe and John Roe, Staff Reporter",
    "A small study suggests the drug may reduce pain. Dr. Roe disagrees.",
    "Photo: Jane Doe / Getty Images",
    "",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the patterns file as the build writes it (in a fresh interpreter, so
    that every module is imported, and its patterns asked for, by the build itself)."""
    code = (
        "import sys; from pathlib import Path; "
        "from hedgecheck.patterns import build_shipped_patterns; "
        "print(build_shipped_patterns(Path(sys.argv[1])))"
    )
    return built_by(code, tmp_path_factory.mktemp("package"))


@pytest.fixture
def shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEDGECHECK_NO_CACHE", raising=False)


def test_the_build_holds_the_patterns_of_the_analysis_modules(built: Path, shipped: None) -> None:
    import hedgecheck.pagelines as pagelines
    import hedgecheck.sentences as sentences
    import hedgecheck.text as text

    table = patterns_module._read_shipped(built)
    sources = {source for source, _ in table}
    for module, name in [
        (pagelines, "_DATELINE"),
        (pagelines, "_GLUED"),
        (sentences, "_SENTENCE_END"),
        (text, "LINE_BREAK"),
    ]:
        assert getattr(module, name).pattern in sources, name
    assert len(table) >= 40


def test_a_shipped_pattern_matches_as_the_compiled_one(built: Path, shipped: None) -> None:
    for (source, flags), pattern in patterns_module._read_shipped(built).items():
        fresh = regex.compile(source, flags)
        assert pattern.pattern == fresh.pattern and pattern.flags == fresh.flags
        for sample in SAMPLES:
            found = [m.span() for m in pattern.finditer(sample)]
            assert found == [m.span() for m in fresh.finditer(sample)], source


def test_the_build_writes_a_file_only_its_owner_can_change(built: Path) -> None:
    mode = stat.S_IMODE((built / SHIPPED_PATTERNS).stat().st_mode)
    assert mode & (stat.S_IWGRP | stat.S_IWOTH) == 0


@pytest.fixture
def copy(built: Path, tmp_path: Path, shipped: None) -> Path:
    folder = tmp_path / "copy"
    folder.mkdir()
    (folder / SHIPPED_PATTERNS).write_bytes((built / SHIPPED_PATTERNS).read_bytes())
    (folder / SHIPPED_PATTERNS).chmod(0o644)
    assert patterns_module._read_shipped(folder)
    return folder


def test_no_cache_turns_them_off(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEDGECHECK_NO_CACHE", "1")
    assert patterns_module._read_shipped(copy) == {}


def test_another_python_or_regex_makes_them_stale(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(regex, "__version__", "0.0.0")
    assert patterns_module._read_shipped(copy) == {}


@pytest.mark.parametrize("cut", [1, 40, 400])
def test_a_damaged_file_is_not_used(copy: Path, cut: int) -> None:
    target = copy / SHIPPED_PATTERNS
    target.write_bytes(target.read_bytes()[:-cut])
    assert patterns_module._read_shipped(copy) == {}


@pytest.mark.parametrize("bits", [stat.S_IWGRP, stat.S_IWOTH])
def test_a_file_others_can_write_is_not_read(copy: Path, bits: int) -> None:
    (copy / SHIPPED_PATTERNS).chmod(0o644 | bits)
    assert patterns_module._read_shipped(copy) == {}


def test_a_symbolic_link_is_not_followed(copy: Path, tmp_path: Path) -> None:
    target = copy / SHIPPED_PATTERNS
    elsewhere = tmp_path / "elsewhere.pickle"
    target.rename(elsewhere)
    target.symlink_to(elsewhere)
    assert patterns_module._read_shipped(copy) == {}


def test_a_folder_in_its_place_is_not_read(copy: Path) -> None:
    (copy / SHIPPED_PATTERNS).unlink()
    (copy / SHIPPED_PATTERNS).mkdir()
    assert patterns_module._read_shipped(copy) == {}


def test_a_file_not_owned_like_the_package_is_not_read(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.stat

    def other_owner(path: object, *args: object, **kwargs: object) -> os.stat_result:
        info = real(path, *args, **kwargs)  # type: ignore[arg-type]
        if path == patterns_module.__file__:
            fields = list(info)
            fields[stat.ST_UID] = info.st_uid + 1
            return os.stat_result(fields)
        return info

    monkeypatch.setattr(os, "stat", other_owner)
    assert patterns_module._read_shipped(copy) == {}


def test_compiled_takes_the_shipped_pattern_and_compiles_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stand_in = regex.compile("shipped")
    monkeypatch.setattr(patterns_module, "_shipped", {("x+", 0): stand_in})
    assert compiled("x+") is stand_in
    fresh = compiled("y+", regex.IGNORECASE)
    assert fresh.pattern == "y+" and fresh.flags & regex.IGNORECASE
    assert fresh.fullmatch("YY")


SCAN_COMPILES = """
import json, sys
from pathlib import Path
import hedgecheck.patterns as patterns
patterns._shipped = patterns._read_shipped(Path(sys.argv[1]))
import regex._main
made = []
real = regex._main._compile
def counted(pattern, *args):
    made.append(str(pattern))
    return real(pattern, *args)
regex._main._compile = counted
from hedgecheck.cli import main
try:
    main(["scan", "--fail-on", "never", sys.argv[2]])
except SystemExit:
    pass
sys.stderr.write("\\n" + json.dumps(made) + "\\n")
"""


def test_a_warm_scan_compiles_no_pattern(built: Path, tmp_path: Path) -> None:
    """With the shipped patterns and a rule cache, a one-line scan compiles nothing: every
    pattern it uses is unpickled."""
    article = tmp_path / "one.txt"
    article.write_text("Tea may lower blood pressure in a small study.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "HEDGECHECK_NO_CACHE"}
    argv = [sys.executable, "-c", SCAN_COMPILES, str(built), str(article)]
    made: list[str] = []
    for _ in range(2):  # the first run may build the rule cache
        done = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
        made = json.loads(done.stderr.strip().splitlines()[-1])
    assert made == []
