"""Every TOML file hedgecheck reads (packs, pyproject.toml, .hedgecheck.toml) is read within
bounds: a file that is no regular file, too big, not UTF-8, nested too deep or keyed too
long is a load error naming it (exit 2), never a hang, a traceback or gigabytes of memory."""

from __future__ import annotations

import codecs
import os
import signal
import tomllib
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from test_loader import GOOD

from hedgecheck import scanning
from hedgecheck.cli import main
from hedgecheck.config import find_config, load_config
from hedgecheck.errors import ConfigError, RuleError
from hedgecheck.loader import load_rules
from hedgecheck.ruleset import default_rules_path
from hedgecheck.tomlfile import (
    MAX_DOTTED_PARTS,
    MAX_KEY_PARTS,
    MAX_NESTING,
    MAX_TOML_BYTES,
    parse_toml,
    read_toml,
    read_toml_bytes,
)

TEXT = "The drug may help some patients.\n"


@pytest.fixture(autouse=True)
def _private_cache_and_no_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A cache of the test's own, and an alarm: a read that blocks fails the test instead
    of hanging the suite."""
    monkeypatch.setenv("HEDGECHECK_CACHE_DIR", str(tmp_path / "cache"))

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("a TOML read blocked")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(300)  # loose: the machine may be loaded
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _scan(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["scan", *args])
    return result.exit_code, result.stderr


def _article(folder: Path) -> Path:
    path = folder / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


# -- what the file is: FIFO, device, directory, size ----------------------------------------
def _fifo(path: Path) -> str:
    os.mkfifo(path)
    return "a FIFO"


def _zero(path: Path) -> str:
    path.symlink_to("/dev/zero")
    return "a device"


def _folder(path: Path) -> str:
    path.mkdir()
    return "a directory"


MAKERS = [_fifo, _zero, _folder]


@pytest.mark.parametrize("make", MAKERS)
@pytest.mark.parametrize("inside_a_folder", [False, True])
def test_a_pack_that_is_no_regular_file_is_named_without_being_read(
    tmp_path: Path, make: object, inside_a_folder: bool
) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "a-good.toml").write_text(GOOD, encoding="utf-8")
    odd = folder / "odd.toml"
    kind = make(odd)  # type: ignore[operator]
    if make is _folder and not inside_a_folder:
        pytest.skip("a folder named on its own is a folder of packs")
    with pytest.raises(RuleError, match=f"not a regular file \\({kind}\\)") as info:
        load_rules(folder if inside_a_folder else odd)
    assert info.value.path == str(odd)


@pytest.mark.parametrize("make", MAKERS)
def test_the_cli_names_a_fifo_or_device_in_a_rules_folder_and_exits_2(
    tmp_path: Path, make: object
) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    make(folder / "odd.toml")  # type: ignore[operator]
    code, err = _scan("--rules", str(folder), str(_article(tmp_path)))
    assert code == 2 and "odd.toml: not a regular file" in err and "Traceback" not in err


@pytest.mark.parametrize("make", MAKERS)
@pytest.mark.parametrize("how", ["--config", "found"])
def test_a_config_that_is_no_regular_file_is_named(tmp_path: Path, make: object, how: str) -> None:
    config = tmp_path / ".hedgecheck.toml"
    kind = make(config)  # type: ignore[operator]
    article = _article(tmp_path)
    args = ["--config", str(config)] if how == "--config" else []
    code, err = _scan(*args, str(article))
    if how == "--config" and make is _folder:
        kind = "is a directory"  # click's check of --config comes first
    assert code == 2 and ".hedgecheck.toml" in err and kind in err


@pytest.mark.parametrize("extra", [1, 2**20, 2**40])
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, extra: int
) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:
        handle.truncate(MAX_TOML_BYTES + extra)  # sparse: costs no disk
    with pytest.raises(RuleError, match="over the limit of 1,048,576 bytes"):
        load_rules(path)
    with pytest.raises(ConfigError, match="over the limit"):
        load_config(path)


def test_a_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    line = "# " + "x" * 97 + "\n"
    path.write_text(line * (MAX_TOML_BYTES // len(line)) + "#" * (MAX_TOML_BYTES % len(line)))
    assert path.stat().st_size == MAX_TOML_BYTES
    assert read_toml(path) == {}


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no /proc")
def test_a_file_is_read_no_further_than_the_size_it_reports(tmp_path: Path) -> None:
    """/proc files report 0 bytes; /proc/kmsg blocks (or gives up kernel messages) if read,
    so nothing past the reported size is asked for."""
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0 and status.read_bytes()
    assert read_toml_bytes(status) == b""


@pytest.mark.skipif(not os.access("/proc/kmsg", os.R_OK), reason="/proc/kmsg not readable")
def test_proc_kmsg_as_a_pack_is_an_error_not_a_hang() -> None:
    with pytest.raises(RuleError, match="/proc/kmsg"):
        load_rules("/proc/kmsg")


def test_the_null_device_reads_as_an_empty_file(tmp_path: Path) -> None:
    assert read_toml(Path(os.devnull)) == {}
    (tmp_path / "null.toml").symlink_to(os.devnull)
    assert load_config(tmp_path / "null.toml").fail_on == "warning"


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        read_toml(tmp_path / "gone.toml", error=ConfigError)
    (tmp_path / "dangling.toml").symlink_to(tmp_path / "gone.toml")
    with pytest.raises(RuleError, match=r"dangling\.toml: no such file"):
        load_rules(tmp_path)


# -- encoding -------------------------------------------------------------------------------
LATIN = "[pack]\nname = 'house'\n# café\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (LATIN.encode("latin-1"), r"line 3: not UTF-8 \(byte 0xE9 at byte 27\)"),
        (codecs.BOM_UTF8 + LATIN.encode("latin-1"), r"line 3: not UTF-8 \(byte 0xE9 at byte 30\)"),
        (b"\xff" + LATIN.encode(), r"line 1: not UTF-8 \(byte 0xFF at byte 0\)"),
        (LATIN.encode("utf-16"), r"is UTF-16 \(by its byte-order mark\)"),
        (LATIN.encode("utf-16-be"), r"line 1: a NUL byte at byte 0 \(UTF-16 or binary\?\)"),
        (LATIN.encode("utf-16-le"), r"line 1: a NUL byte at byte 1"),
        (LATIN.encode("utf-32"), r"is UTF-32 \(by its byte-order mark\)"),
        (codecs.BOM_UTF16_BE + LATIN.encode("utf-16-be"), "is UTF-16"),
        (b"a = 1\nb = '\x00'\n", "line 2: a NUL byte at byte 11"),
    ],
)
def test_a_file_that_is_not_utf8_is_named_with_line_and_byte(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "house.toml"
    path.write_bytes(data)
    with pytest.raises(RuleError, match=message) as info:
        load_rules(path)
    assert info.value.path == str(path)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_a_utf8_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "house.toml"
    path.write_bytes(codecs.BOM_UTF8 + GOOD.encode())
    assert [rule.id for rule in load_rules(path).rules] == ["HSE001"]


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "utf-16-le", "utf-32"])
def test_a_pyproject_of_ours_that_is_not_utf8_exits_2_naming_it(
    tmp_path: Path, encoding: str
) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_bytes('[tool.hedgecheck]\nfail-on = "error" # café\n'.encode(encoding))
    code, err = _scan(str(_article(tmp_path)))
    assert code == 2 and "pyproject.toml" in err and "UTF" in err and "Traceback" not in err


def test_a_broken_pyproject_that_is_not_ours_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes("[project]\nname = 'café'\n".encode("latin-1"))
    assert find_config(tmp_path) != tmp_path / "pyproject.toml"


def test_a_pyproject_too_big_to_tell_is_named(tmp_path: Path) -> None:
    with (tmp_path / "pyproject.toml").open("wb") as handle:
        handle.truncate(MAX_TOML_BYTES + 1)
    with pytest.raises(ConfigError, match=r"pyproject\.toml: .*over the limit"):
        find_config(tmp_path)


# -- nesting --------------------------------------------------------------------------------
def _nested_arrays(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


def _nested_tables(depth: int) -> str:
    return "{a = " * depth + "1" + "}" * depth


def _nested_mixed(depth: int) -> str:
    opens = ("[", "{a = ") * depth
    closes = ("]", "}") * depth
    return "".join(opens[:depth]) + "1" + "".join(reversed(closes[:depth]))


NESTERS = [_nested_arrays, _nested_tables, _nested_mixed]


@pytest.mark.parametrize("nest", NESTERS)
@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 1000, 100_000])
def test_nesting_past_the_limit_is_named_with_its_line(
    tmp_path: Path, nest: object, depth: int
) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(f"[pack]\nname = 'x'\nx = {nest(depth)}\n")  # type: ignore[operator]
    with pytest.raises(RuleError, match=f"line 3: .*nested more than {MAX_NESTING} deep"):
        load_rules(path)
    with pytest.raises(ConfigError, match="line 3"):
        load_config(path)


@pytest.mark.parametrize("nest", NESTERS)
def test_nesting_at_the_limit_parses(nest: object) -> None:
    text = f"x = {nest(MAX_NESTING)}\n"  # type: ignore[operator]
    assert parse_toml(text.encode(), path=Path("p.toml")) == tomllib.loads(text)


def test_brackets_in_strings_and_comments_are_not_nesting() -> None:
    noise = "\"[[{{\" '[[{{' \"\"\"\n[[{{\"\"\" '''\n[[{{'''"
    text = f"# [[[[{{{{\nx = [{', '.join([noise.replace(' ', ', ')] * 200)}]  # [[[[\n"
    assert parse_toml(text.encode(), path=Path("p.toml")) == tomllib.loads(text)


@pytest.mark.parametrize("error", [RecursionError, MemoryError])
def test_a_parser_that_runs_out_of_stack_or_memory_is_a_load_error(
    monkeypatch: pytest.MonkeyPatch, error: type[Exception]
) -> None:
    def fail(text: str) -> None:
        raise error

    monkeypatch.setattr(tomllib, "loads", fail)
    with pytest.raises(RuleError, match=r"p\.toml: (nested too deeply|too big)"):
        parse_toml(b"x = 1\n", path=Path("p.toml"))


# -- dotted keys ----------------------------------------------------------------------------
def _key(parts: int) -> str:
    return ".".join(["a"] * parts)


KEYED = [
    lambda parts: f"{_key(parts)} = 1\n",
    lambda parts: f"[{_key(parts)}]\n",
    lambda parts: f"[[{_key(parts)}]]\n",
    lambda parts: f"x = {{{_key(parts)} = 1}}\n",
    lambda parts: f"x = [{{b = 1, {_key(parts)} = 1}}]\n",
    lambda parts: f"[ {' . '.join(['a'] * parts)} ]\n",
    lambda parts: f"'q'.{_key(parts - 2)}.\"r\" = 1\n",
]


@pytest.mark.parametrize("keyed", KEYED)
@pytest.mark.parametrize("parts", [MAX_KEY_PARTS + 1, 40_000])
def test_a_dotted_key_past_the_limit_is_named_with_its_line(
    tmp_path: Path, keyed: object, parts: int
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[project]\nname = 'x'\n\n" + keyed(parts))  # type: ignore[operator]
    with pytest.raises(ConfigError, match=f"line 4: .*more than {MAX_KEY_PARTS} parts"):
        load_config(path)


@pytest.mark.parametrize("keyed", KEYED)
def test_a_dotted_key_at_the_limit_parses(keyed: object) -> None:
    text = keyed(MAX_KEY_PARTS)  # type: ignore[operator]
    assert parse_toml(text.encode(), path=Path("p.toml")) == tomllib.loads(text)


def test_the_80_kb_dotted_key_of_the_red_team_costs_next_to_nothing(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.hedgecheck]\n" + _key(40_000) + " = 1\n")
    tracemalloc.start()
    try:
        with pytest.raises(ConfigError, match="line 2"):
            find_config(tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * len(pyproject.read_bytes())


def test_dots_past_the_file_limit_are_named() -> None:
    pairs = MAX_DOTTED_PARTS // 2 + 1
    text = "".join(f"k{n}.a.b = 1\n" for n in range(pairs))
    with pytest.raises(RuleError, match=f"line {pairs}: more than {MAX_DOTTED_PARTS:,} dots"):
        parse_toml(text.encode(), path=Path("p.toml"))


@pytest.mark.slow
def test_dots_in_values_and_quoted_keys_are_not_counted() -> None:
    rows = MAX_DOTTED_PARTS + 1
    text = "".join(
        f'"k{n}.a.b" = [1.5, "a.b.c", {{x = 2.5}}, 1979-05-27T00:32:00.999]\n' for n in range(rows)
    )
    assert len(parse_toml(text.encode(), path=Path("p.toml"))) == rows


# -- the shipped files and TOML in general --------------------------------------------------
def test_every_shipped_pack_and_pyproject_reads_as_tomllib_reads_it() -> None:
    files = [*sorted(default_rules_path().glob("*.toml"))]
    root = Path(__file__).parent.parent / "pyproject.toml"
    for path in [*files, root]:
        assert read_toml(path) == tomllib.loads(path.read_text(encoding="utf-8")), path


_STRINGS = st.sampled_from(
    ['"[{.#="', "'[{.#='", '"""\n[{."#\n"""', "'''\n[{.'#\n'''", '"\\"[\\\\"', '""""a""""']
)
_SCALARS = st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False), _STRINGS)
_BARE = st.from_regex(r"[A-Za-z0-9_-]{1,5}", fullmatch=True)
_QUOTED_KEYS = _STRINGS.filter(lambda s: not s.startswith(('"""', "'''")))
_KEYS = st.lists(st.one_of(_BARE, _QUOTED_KEYS), min_size=1, max_size=4)


def _value(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return _SCALARS.map(_scalar)
    inner = _value(depth - 1)
    arrays = st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
    tables = st.lists(st.tuples(_KEYS, inner), max_size=3).map(_inline)
    return st.one_of(inner, arrays, tables)


def _scalar(value: object) -> str:
    return value if isinstance(value, str) else repr(value)


def _inline(pairs: list[tuple[list[str], str]]) -> str:
    return "{" + ", ".join(f"{'.'.join(key)} = {value}" for key, value in pairs) + "}"


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_KEYS, _value(3)), min_size=1, max_size=5))
def test_toml_within_the_bounds_reads_as_tomllib_reads_it(
    pairs: list[tuple[list[str], str]],
) -> None:
    text = "".join(f"{'.'.join(key)} = {value}  # [[{{.\n" for key, value in pairs)
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        with pytest.raises(RuleError, match="not valid TOML"):
            parse_toml(text.encode(), path=Path("p.toml"))
        return
    assert parse_toml(text.encode(), path=Path("p.toml")) == expected


@settings(max_examples=100, deadline=None)
@given(st.integers(1, MAX_NESTING + 3), st.sampled_from(NESTERS), st.integers(0, 3))
def test_nesting_is_refused_exactly_past_the_limit(depth: int, nest: object, line: int) -> None:
    text = "".join(f"k{n} = 1\n" for n in range(line)) + f"x = {nest(depth)}\n"  # type: ignore[operator]
    if depth <= MAX_NESTING:
        assert parse_toml(text.encode(), path=Path("p.toml")) == tomllib.loads(text)
    else:
        with pytest.raises(RuleError, match=f"line {line + 1}: "):
            parse_toml(text.encode(), path=Path("p.toml"))


@pytest.mark.parametrize("make", [_fifo, _zero, _folder])
def test_a_gitignore_that_is_no_regular_file_is_passed_over_without_a_hang(
    tmp_path: Path, make: object
) -> None:
    make(tmp_path / ".gitignore")  # type: ignore[operator]
    assert scanning._gitignore(tmp_path) == ()


def test_a_gitignore_is_still_read(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("build/\n# comment\n!keep\n*.log\n", encoding="utf-8")
    assert scanning._gitignore(tmp_path) == ("build/", "*.log")
