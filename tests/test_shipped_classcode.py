"""The methods dataclass() writes for the package's classes, shipped compiled with a wheel
(hedgecheck/classcode.marshal, written by setup.py): the command line runs that code instead
of compiling the same source again, code equal to what exec would compile; the file is read
only when it is a regular file of the package's owner that no one else can write, made by
this Python (hedgecheck.trust.read_shipped, whose checks of owner, mode and links
test_shipped_patterns.py tests); anything else compiles the sources, and the library leaves
dataclasses alone."""

from __future__ import annotations

import dataclasses
import json
import marshal
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from shipped_build import built_by

import hedgecheck.classcode as classcode
from hedgecheck.classcode import SHIPPED_CODE
from hedgecheck.trust import PRIVATE_FILES

pytestmark = pytest.mark.skipif(
    not PRIVATE_FILES, reason="the shipped class code needs POSIX owners and O_NOFOLLOW"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the class code file as the build writes it, in a fresh interpreter
    that records every class the package makes."""
    code = (
        "import sys; from pathlib import Path; "
        "from hedgecheck.classcode import build_shipped_code, record; record(); "
        "print(build_shipped_code(Path(sys.argv[1])))"
    )
    return built_by(code, tmp_path_factory.mktemp("package"))


@pytest.fixture
def shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEDGECHECK_NO_CACHE", raising=False)


@pytest.mark.slow  # the build of the file: a fresh interpreter imports every module
def test_the_build_holds_the_code_exec_would_compile(built: Path, shipped: None) -> None:
    table = classcode._read_shipped(built)
    assert len(table) >= 300  # some 60 classes of the scan alone, 5 or 6 methods each
    for source, packed in table.items():
        assert marshal.loads(packed) == compile(source, "<string>", "exec", dont_inherit=True)
    from hedgecheck.model import Claim, Cue

    for made in (Cue, Claim):
        fields = ", ".join(f"_type_{f.name}" for f in dataclasses.fields(made))
        assert any(s.startswith(f"def __create_fn__({fields}, ") for s in table), made


def test_the_build_refuses_to_run_without_recording() -> None:
    code = "from hedgecheck.classcode import build_shipped_code\nbuild_shipped_code()"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "needs record()" in done.stderr


def _made(monkeypatch: pytest.MonkeyPatch, hooked: bool) -> type:
    with monkeypatch.context() as patch:
        # (an earlier test may have imported the command line, which installs the hook)
        patch.delattr(dataclasses, "exec", raising=False)
        if hooked:
            patch.setattr(classcode, "_shipped", {})
            patch.setattr(dataclasses, "exec", classcode._exec, raising=False)

        @dataclasses.dataclass(frozen=True, order=True)
        class Sample:
            name: str
            count: int = 0
            tags: tuple[str, ...] = dataclasses.field(default_factory=tuple)

    return Sample


def test_a_class_made_through_the_hook_is_the_class_exec_makes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Same code and annotations: this module's ``from __future__ import annotations`` must
    not reach the methods (which would hold strings)."""
    before = len(classcode.compiled_here)
    plain, hooked = _made(monkeypatch, False), _made(monkeypatch, True)
    assert len(classcode.compiled_here) > before  # made through the hook indeed
    for method in ("__init__", "__repr__", "__eq__", "__lt__", "__hash__", "__setattr__"):
        mine, theirs = getattr(hooked, method), getattr(plain, method)
        assert mine.__code__ == theirs.__code__, method
        assert mine.__annotations__ == theirs.__annotations__, method
    assert hooked.__init__.__annotations__["count"] == "int"  # not "_type_count"
    assert repr(hooked("a", 2)) == repr(plain("a", 2))
    assert hash(hooked("a", 2)) == hash(plain("a", 2))
    assert hooked("a", 2) < hooked("b") and hooked("a", 2) == hooked("a", 2)


SCAN_CLASSES = """
import builtins, json, sys
from pathlib import Path
import hedgecheck.classcode as classcode
classcode._shipped = classcode._read_shipped(Path(sys.argv[1]))
unhooked = []
real = builtins.exec
def watched(source, *args, **kwargs):
    if isinstance(source, str) and sys._getframe(1).f_globals.get("__name__") == "dataclasses":
        unhooked.append(source)
    return real(source, *args, **kwargs)
builtins.exec = watched
from hedgecheck.cli import main
try:
    main(["scan", "--fail-on", "never", sys.argv[2]])
except SystemExit:
    pass
sys.stderr.write("\\n" + json.dumps([len(unhooked), len(classcode.compiled_here)]) + "\\n")
"""


@pytest.mark.slow
def test_a_scan_compiles_no_class_of_the_package(built: Path, tmp_path: Path) -> None:
    """Every class a one-line scan makes is made from the shipped code: none compiled by
    dataclasses behind the hook's back (a class made before the command line installs it),
    none missing from the file."""
    article = tmp_path / "one.txt"
    article.write_text("Tea may lower blood pressure in a small study.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "HEDGECHECK_NO_CACHE"}
    argv = [sys.executable, "-c", SCAN_CLASSES, str(built), str(article)]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
    assert json.loads(done.stderr.strip().splitlines()[-1]) == [0, 0]


def test_the_library_leaves_dataclasses_alone() -> None:
    probe = (
        "import dataclasses, hedgecheck\n"
        "hedgecheck.check('Coffee may cut the risk of stroke.')\n"
        "print(hasattr(dataclasses, 'exec'))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.split() == ["False"]


@pytest.fixture
def copy(built: Path, tmp_path: Path, shipped: None) -> Path:
    folder = tmp_path / "copy"
    folder.mkdir()
    (folder / SHIPPED_CODE).write_bytes((built / SHIPPED_CODE).read_bytes())
    (folder / SHIPPED_CODE).chmod(0o644)
    assert classcode._read_shipped(folder)
    return folder


@pytest.mark.slow
def test_no_cache_turns_it_off(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEDGECHECK_NO_CACHE", "1")
    assert classcode._read_shipped(copy) == {}


@pytest.mark.slow
def test_another_optimisation_level_makes_it_stale(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(classcode, "_header", lambda: b"hedgecheck shipped class code 1\nx\n")
    assert classcode._read_shipped(copy) == {}


@pytest.mark.parametrize("cut", [1, 40, 4000])
@pytest.mark.slow
def test_a_damaged_file_is_not_used(copy: Path, cut: int) -> None:
    target = copy / SHIPPED_CODE
    target.write_bytes(target.read_bytes()[:-cut])
    assert classcode._read_shipped(copy) == {}


@pytest.mark.slow
def test_the_build_writes_a_file_only_its_owner_can_change(built: Path) -> None:
    mode = stat.S_IMODE((built / SHIPPED_CODE).stat().st_mode)
    assert mode & (stat.S_IWGRP | stat.S_IWOTH) == 0
