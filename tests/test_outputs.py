"""Outputs never destroy data: no report over an input, no device node replaced by a
file, no write taken for done when it failed, no dataset mixing two runs."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from hedgecheck import outputs
from hedgecheck.cli import main
from hedgecheck.errors import OutputError, UsageError
from hedgecheck.outputs import refuse_inputs, text_writer, write_dataset

KETAMINE = Path(__file__).parent.parent / "examples" / "ketamine" / "ketamine-article.txt"
HEDGECHECK = shutil.which("hedgecheck", path=str(Path(sys.executable).parent))
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_cli = pytest.mark.skipif(HEDGECHECK is None, reason="needs the installed console script")


def _scan(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["scan", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def _run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    assert HEDGECHECK is not None
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run([HEDGECHECK, *args], text=True, timeout=300, **streams)


def _state(path: Path) -> tuple[bytes, int, int]:
    info = path.stat()
    return path.read_bytes(), info.st_mtime_ns, info.st_ino


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _device(path: Path, major: int, minor: int, kind: int = stat.S_IFCHR) -> Path:
    """A device node like /dev/null (1, 3) or /dev/full (1, 7), made where the test may
    lose it: the real ones are never written to by these tests."""
    if not ROOT:
        pytest.skip("making a device node needs root")
    try:
        os.mknod(path, kind | 0o666, os.makedev(major, minor))
        with open(path, "wb"):
            pass
    except OSError as exc:  # a filesystem mounted nodev, or a container without mknod
        pytest.skip(f"cannot make or open a device node here: {exc}")
    return path


# The reference article's warnings (EDT002) fail the default gate: a run that wrote its report
# whole exits 1, not 0.
CHECKED = 1


@pytest.fixture
def article(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = corpus / "art.txt"
    shutil.copy(KETAMINE, path)
    return path


# -- an output that is an input -------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        lambda a: str(a),  # the same path
        lambda a: os.path.relpath(a),  # relative to the working folder
        lambda a: str(a.parent / ".." / a.parent.name / a.name),  # through ..
        lambda a: str(a.parent / "." / a.name),
        lambda a: _link(a, "link.txt", os.symlink),  # a symbolic link to it
        lambda a: _link(a, "hard.txt", os.link),  # a hard link to it
        lambda a: _link(Path(_link(a, "one.txt", os.symlink)), "two.txt", os.symlink),
    ],
    ids=["same", "relative", "dotdot", "dot", "symlink", "hardlink", "symlink-chain"],
)
@pytest.mark.parametrize("fmt", ["json", "text", "jsonl"])
def test_an_output_that_is_an_input_is_refused(
    tmp_path: Path, article: Path, spelling: Callable[[Path], str], fmt: str
) -> None:
    output = spelling(article)
    before = _state(article)
    code, out, err = _scan("--format", fmt, "-o", output, str(article))
    assert code == 2
    assert err.startswith("hedgecheck: error: --output ") and "is also an input" in err
    assert str(article) in err and out == ""
    assert _state(article) == before
    assert _temporaries(article.parent) == []


def _link(target: Path, name: str, make: Callable[[Path, Path], None]) -> str:
    link = target.parent.parent / name if target.parent.name == "corpus" else target.parent / name
    # (beside the scanned folder, not in it; a second link goes beside the first)
    make(target, link)
    return str(link)


def test_an_output_that_is_an_input_is_refused_even_when_allowed_in_folders(
    article: Path,
) -> None:
    before = _state(article)
    code, _, err = _scan("--allow-output-in-input", "-o", str(article), str(article.parent))
    assert code == 2 and "is also an input" in err
    assert _state(article) == before


@pytest.mark.slow
@needs_cli
def test_standard_input_redirected_from_the_output_is_refused(article: Path) -> None:
    before = _state(article)
    with open(article, "rb") as stdin:
        result = _run("scan", "--format", "json", "-o", str(article), "-", stdin=stdin)
    assert result.returncode == 2
    assert "is also an input (standard input)" in result.stderr
    assert "Traceback" not in result.stderr
    assert _state(article) == before


@pytest.mark.parametrize(
    "where",
    [
        lambda corpus: corpus / "report.json",  # a new file in the scanned folder
        lambda corpus: corpus / "deeper" / "report.json",  # in a folder below it
        lambda corpus: corpus / "notes.txt",  # a file the scan would read next time
        lambda corpus: corpus,  # the folder itself (a file of that name cannot be made)
    ],
    ids=["new", "nested", "scannable", "folder"],
)
def test_an_output_inside_a_scanned_folder_needs_to_be_allowed(
    article: Path, where: Callable[[Path], Path]
) -> None:
    corpus = article.parent
    (corpus / "deeper").mkdir()
    output = where(corpus)
    code, _, err = _scan("-o", str(output), str(corpus))
    assert code == 2
    if output.is_dir():
        assert "is a directory" in err
        return
    assert err.startswith("hedgecheck: error: --output") and "--allow-output-in-input" in err
    assert not output.exists()
    code, _, err = _scan("--allow-output-in-input", "-o", str(output), str(corpus))
    assert code == CHECKED, err
    assert "art.txt" in output.read_text()


def test_an_output_inside_a_scanned_folder_reached_through_a_link_is_refused(
    tmp_path: Path, article: Path
) -> None:
    alias = tmp_path / "alias"
    alias.symlink_to(article.parent, target_is_directory=True)
    for output, scanned in ((alias / "r.json", article.parent), (article.parent / "r", alias)):
        code, _, err = _scan("-o", str(output), str(scanned))
        assert code == 2 and "--allow-output-in-input" in err
        assert not output.exists()


@pytest.mark.slow
def test_rule_packs_and_the_config_are_inputs_too(tmp_path: Path, article: Path) -> None:
    config = tmp_path / ".hedgecheck.toml"
    config.write_text('fail-on = "never"\n', encoding="utf-8")
    packs = tmp_path / "packs"
    packs.mkdir()
    before = _state(config)
    code, _, err = _scan("--config", str(config), "-o", str(config), str(article))
    assert code == 2 and "is also an input" in err
    assert _state(config) == before
    code, _, err = _scan("--rules", str(packs), "-o", str(packs / "r.json"), str(article))
    assert code == 2 and "--allow-output-in-input" in err


def test_evaluate_predictions_may_not_replace_the_evaluated_file(tmp_path: Path) -> None:
    data = tmp_path / "strength.jsonl"
    data.write_text(json.dumps({"id": "a", "text": "Tea may help.", "label": 2}) + "\n")
    before = _state(data)
    for output in (data, tmp_path / "link.jsonl"):
        if output != data:
            output.symlink_to(data)
        result = CliRunner().invoke(
            main, ["evaluate", "strength", str(data), "--predictions", str(output)]
        )
        assert result.exit_code == 2 and "--predictions" in result.stderr
        assert "is also an input" in result.stderr
        assert _state(data) == before


# -- special files are written in place ------------------------------------------------------


@pytest.mark.parametrize("via_link", [False, True])
def test_a_null_device_is_written_in_place_and_stays_a_device(
    tmp_path: Path, article: Path, via_link: bool
) -> None:
    null = _device(tmp_path / "null", 1, 3)
    target = null
    if via_link:
        target = tmp_path / "link"
        target.symlink_to(null)
    code, out, err = _scan("--format", "json", "-o", str(target), str(article))
    assert code == CHECKED, err
    assert out == ""
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert target.is_symlink() == via_link
    assert _temporaries(tmp_path) == []


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl"])
@pytest.mark.parametrize("via_link", [False, True])
def test_a_full_device_is_an_error_naming_it(
    tmp_path: Path, article: Path, fmt: str, via_link: bool
) -> None:
    full = _device(tmp_path / "full", 1, 7)
    target = full
    if via_link:
        target = tmp_path / "link"
        target.symlink_to(full)
    code, _, err = _scan("--format", fmt, "-o", str(target), str(article))
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        f"hedgecheck: error: {target}: cannot write: No space left on device"
    )
    assert stat.S_ISCHR(full.lstat().st_mode)
    assert _temporaries(tmp_path) == []


def test_a_block_device_is_refused_without_being_opened(tmp_path: Path, article: Path) -> None:
    disk = _device(tmp_path / "disk", 7, 0, kind=stat.S_IFBLK)  # a loop device's numbers
    code, _, err = _scan("-o", str(disk), str(article))
    assert code == 2 and "is a block device" in err
    assert stat.S_ISBLK(disk.lstat().st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_is_written_in_place(tmp_path: Path, article: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, _, err = _scan("--format", "json", "-o", str(fifo), str(article))
    reader.join(timeout=60)
    assert code == CHECKED, err
    assert json.loads(received[0])["files"][0]["path"] == str(article)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@needs_cli
@pytest.mark.parametrize("spelling", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
@pytest.mark.parametrize("mode", ["w", "a"])
def test_standard_output_named_as_a_file_is_written_in_place(
    tmp_path: Path, article: Path, spelling: str, mode: str
) -> None:
    if not os.path.exists(spelling):
        pytest.skip(f"no {spelling} here")
    before = os.lstat(spelling)
    log = tmp_path / "log.txt"
    log.write_text("an earlier line\n")
    with open(log, mode) as stdout:  # "> log" truncates, ">> log" appends
        result = _run("scan", "-o", spelling, str(article), stdout=stdout)
    assert result.returncode == CHECKED, result.stderr
    text = log.read_text()
    assert text.startswith("an earlier line\n") == (mode == "a")
    assert f"{article}: preliminary — " in text
    after = os.lstat(spelling)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)


@needs_cli
def test_standard_output_named_as_a_file_reaches_a_pipe(article: Path) -> None:
    result = _run("scan", "--format", "json", "-o", "/dev/stdout", str(article))
    assert result.returncode == CHECKED, result.stderr
    assert json.loads(result.stdout)["files"][0]["path"] == str(article)


def test_dash_is_standard_output_not_a_file_named_dash(
    tmp_path: Path, article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = _scan("--format", "json", "-o", "-", str(article))
    assert code == CHECKED
    assert json.loads(out)["files"][0]["path"] == str(article)
    assert not (tmp_path / "-").exists()


# -- a regular file is replaced atomically, keeping its mode and owner ----------------------


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444, 0o755])
def test_a_replaced_report_keeps_its_mode(tmp_path: Path, article: Path, mode: int) -> None:
    report = tmp_path / "report.json"
    report.write_text("old")
    report.chmod(mode)
    code, _, err = _scan("--format", "json", "-o", str(report), str(article))
    assert code == CHECKED, err
    assert stat.S_IMODE(report.stat().st_mode) == mode
    assert json.loads(report.read_text())["files"]
    assert _temporaries(tmp_path) == []


@pytest.mark.skipif(not ROOT, reason="giving a file away needs root")
def test_a_replaced_report_keeps_its_owner(tmp_path: Path, article: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("old")
    os.chown(report, 4321, 8765)
    code, _, err = _scan("--format", "json", "-o", str(report), str(article))
    assert code == CHECKED, err
    assert (report.stat().st_uid, report.stat().st_gid) == (4321, 8765)


def test_a_new_report_gets_the_mode_the_umask_allows(tmp_path: Path, article: Path) -> None:
    old = os.umask(0o027)
    try:
        code, _, _ = _scan("-o", str(tmp_path / "new.txt"), str(article))
    finally:
        os.umask(old)
    assert code == CHECKED
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_a_symbolic_link_to_a_report_is_kept_and_its_file_replaced(
    tmp_path: Path, article: Path
) -> None:
    (tmp_path / "reports").mkdir()
    real = tmp_path / "reports" / "latest.json"
    real.write_text("old")
    link = tmp_path / "report.json"
    link.symlink_to(real)
    code, _, _ = _scan("--format", "json", "-o", str(link), str(article))
    assert code == CHECKED
    assert link.is_symlink() and json.loads(real.read_text())["files"]
    assert _temporaries(tmp_path) == [] and _temporaries(real.parent) == []


@pytest.mark.parametrize("failing", ["fsync", "replace", "chmod"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO, errno.EDQUOT])
def test_a_failed_write_leaves_the_old_report_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str, code: int
) -> None:
    report = tmp_path / "report.txt"
    report.write_text("the old report")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(outputs.os, failing, fail)
    with pytest.raises(OutputError) as raised, text_writer(str(report)) as write:
        write("new text")
    assert str(raised.value) == f"{report}: cannot write: {os.strerror(code)}"
    assert report.read_text() == "the old report"
    assert _temporaries(tmp_path) == []


@needs_cli
@pytest.mark.parametrize("fmt", ["json", "jsonl", "text"])
def test_a_report_too_big_for_the_disk_quota_is_named_and_the_old_one_kept(
    tmp_path: Path, article: Path, fmt: str
) -> None:
    resource = pytest.importorskip("resource")
    import signal

    report = tmp_path / "report.out"
    report.write_text("the old report")

    def small_files() -> None:  # in the child: files may not grow past 4 KB
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    # the text format's first screen fits in 4 KB; its verbose report does not
    verbose = ["--verbose"] if fmt == "text" else []
    result = _run(
        "scan", "--format", fmt, *verbose, "-o", str(report), str(article), preexec_fn=small_files
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"hedgecheck: error: {report}: cannot write: File too large"
    )
    assert report.read_text() == "the old report"
    assert _temporaries(tmp_path) == []


def test_an_interrupted_block_leaves_the_old_report(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("the old report")
    with pytest.raises(KeyboardInterrupt), text_writer(str(report)) as write:
        write("half of a new ")
        raise KeyboardInterrupt
    assert report.read_text() == "the old report"
    assert _temporaries(tmp_path) == []


# -- outputs that cannot be written are named, never a traceback ----------------------------


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        (lambda tmp: tmp / "missing" / "report.json", "no such folder"),
        (lambda tmp: tmp / "missing" / "deeper" / "report.json", "no such folder"),
        (lambda tmp: tmp / "a-file" / "report.json", "a part of the path is not a folder"),
        (lambda tmp: Path("/proc/self/no-such-folder/report.json"), "no such folder"),
        (lambda tmp: Path("/proc/report.json"), "cannot write"),  # not a place for files
        (lambda tmp: Path("/sys/report.json"), "cannot write"),
    ],
    ids=["missing", "missing-deeper", "parent-is-a-file", "proc-folder", "proc", "sys"],
)
@pytest.mark.parametrize("option", ["--output", "--predictions"])
def test_an_unwritable_output_is_named(
    tmp_path: Path, article: Path, where: Callable[[Path], Path], reason: str, option: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    output = where(tmp_path)
    if not output.parent.parent.exists() and str(output).startswith(("/proc", "/sys")):
        pytest.skip(f"no {output.parent.parent} here")
    if option == "--output":
        result = CliRunner().invoke(main, ["scan", "-o", str(output), str(article)])
    else:
        data = tmp_path / "strength.jsonl"
        data.write_text(json.dumps({"id": "a", "text": "Tea may help.", "label": 2}) + "\n")
        result = CliRunner().invoke(
            main, ["evaluate", "strength", str(data), "--predictions", str(output)]
        )
    assert result.exit_code == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"hedgecheck: error: {output}: ") and reason in last
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(ROOT, reason="root may write into a read-only folder")
def test_a_read_only_folder_is_named(tmp_path: Path, article: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = _scan("-o", str(locked / "r.json"), str(article))
    finally:
        locked.chmod(0o700)
    assert code == 2 and "Permission denied" in err


def test_refuse_inputs_lets_an_unrelated_output_through(tmp_path: Path, article: Path) -> None:
    refuse_inputs(str(tmp_path / "elsewhere.json"), files=[str(article)], folders=[])
    refuse_inputs("/dev/null", files=[str(article)], folders=["/"])  # written in place
    with pytest.raises(UsageError):
        refuse_inputs(str(tmp_path / "x.json"), files=[], folders=["/"])


# -- Parquet datasets: written beside the folder, renamed into place --------------------------


def _fill(names: list[str]) -> Callable[[str], None]:
    def fill(folder: str) -> None:
        for name in names:
            Path(folder, name).write_text(name)

    return fill


def test_a_dataset_goes_into_a_new_folder_whole(tmp_path: Path) -> None:
    target = tmp_path / "claims"
    write_dataset(str(target), _fill(["part.0.parquet", "part.1.parquet"]))
    assert sorted(p.name for p in target.iterdir()) == ["part.0.parquet", "part.1.parquet"]
    assert _temporaries(tmp_path) == []


def test_an_existing_dataset_is_replaced_only_when_asked_and_never_mixed(
    tmp_path: Path,
) -> None:
    target = tmp_path / "claims"
    write_dataset(str(target), _fill(["part.0.parquet", "part.1.parquet", "part.2.parquet"]))
    target.chmod(0o750)
    with pytest.raises(UsageError, match="not empty: pass --replace-parquet"):
        write_dataset(str(target), _fill(["part.0.parquet"]))
    assert len(list(target.iterdir())) == 3
    write_dataset(str(target), _fill(["part.0.parquet"]), replace=True)
    assert [p.name for p in target.iterdir()] == ["part.0.parquet"]  # no part of the old run
    assert stat.S_IMODE(target.stat().st_mode) == 0o750
    assert _temporaries(tmp_path) == []


@pytest.mark.parametrize(
    "stray", ["notes.txt", "README.md", ".git", "sub/part.0.parquet", "part.9.parquet/"]
)
def test_a_folder_holding_anything_but_a_dataset_is_never_replaced(
    tmp_path: Path, stray: str
) -> None:
    target = tmp_path / "project"
    target.mkdir()
    (target / "part.0.parquet").write_text("old")
    path = target / stray.rstrip("/")
    path.parent.mkdir(parents=True, exist_ok=True)
    if stray.endswith("/") or stray == ".git":
        path.mkdir()
    else:
        path.write_text("keep me")
    before = sorted(str(p) for p in target.rglob("*"))
    with pytest.raises(UsageError, match="not part of a Parquet dataset"):
        write_dataset(str(target), _fill(["part.0.parquet"]), replace=True)
    assert sorted(str(p) for p in target.rglob("*")) == before


def test_an_empty_folder_takes_a_dataset(tmp_path: Path) -> None:
    target = tmp_path / "claims"
    target.mkdir()
    write_dataset(str(target), _fill(["part.0.parquet"]))
    assert [p.name for p in target.iterdir()] == ["part.0.parquet"]


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"), KeyError])
def test_a_failed_dataset_leaves_the_old_one_and_no_temporary_folder(
    tmp_path: Path, error: BaseException | type[BaseException]
) -> None:
    target = tmp_path / "claims"
    write_dataset(str(target), _fill(["part.0.parquet"]))

    def fail(folder: str) -> None:
        Path(folder, "part.0.parquet").write_text("half")
        raise error

    expected = OutputError if isinstance(error, OSError) else KeyError
    with pytest.raises(expected):
        write_dataset(str(target), fail, replace=True)
    assert (target / "part.0.parquet").read_text() == "part.0.parquet"
    assert _temporaries(tmp_path) == []


def test_a_dataset_in_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="no such folder"):
        write_dataset(str(tmp_path / "missing" / "claims"), _fill(["part.0.parquet"]))


def test_the_cli_writes_and_replaces_a_dataset(tmp_path: Path, article: Path) -> None:
    pytest.importorskip("distributed")
    pd = pytest.importorskip("pandas")
    target = tmp_path / "claims"
    code, _, err = _scan("--output-parquet", str(target), str(article))
    assert code == 0, err
    rows = len(pd.read_parquet(target))
    (target / "part.7.parquet").write_bytes((target / "part.0.parquet").read_bytes())
    code, _, err = _scan("--output-parquet", str(target), str(article))
    assert code == 2 and "--replace-parquet" in err
    code, _, err = _scan("--output-parquet", str(target), "--replace-parquet", str(article))
    assert code == 0, err
    assert len(pd.read_parquet(target)) == rows  # the stale part of the other run is gone
    assert _temporaries(tmp_path) == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--replace-parquet"], "--replace-parquet needs --output-parquet"),
        (["--output-parquet", "{tmp}/c", "-o", "{tmp}/r.json"], "cannot be used together"),
        (["--output-parquet", "{corpus}/claims"], "--allow-output-in-input"),
        (["--output-parquet", "{corpus}"], "is also an input"),
    ],
)
def test_the_cli_refuses_parquet_outputs_that_would_lose_data(
    tmp_path: Path, article: Path, extra: list[str], message: str
) -> None:
    pytest.importorskip("distributed")
    filled = [e.format(tmp=tmp_path, corpus=article.parent) for e in extra]
    code, _, err = _scan(*filled, str(article.parent))
    assert code == 2 and message in err
    assert sorted(p.name for p in article.parent.iterdir()) == ["art.txt"]
