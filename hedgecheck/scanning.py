"""Scanning many files: discovery, reading, and checking them in one or many processes.

Files are found in a stable order (sorted paths, folders recursively), filtered by include
and exclude globs and by the simple patterns of ``.gitignore`` files in scanned folders.
With ``jobs`` above one, files are checked in worker processes that each load the rules
once; results come back in input order, so the output is the same for any ``jobs``.
"""

from __future__ import annotations

import fnmatch
import os
import signal
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from hedgecheck.api import check
from hedgecheck.config import Config
from hedgecheck.documents import format_for_path
from hedgecheck.errors import InputError
from hedgecheck.model import Report
from hedgecheck.reading import DEFAULT_MAX_BYTES, Source, display_name, read_path, read_stdin
from hedgecheck.rules import RuleSet, default_rules, load_rules

SCAN_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm")
STDIN = "-"
_ALWAYS_SKIPPED = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", ".tox"}


@dataclass(frozen=True, slots=True)
class ScanJob:
    """What every worker needs to check a file: settings, and how to load the rules."""

    config: Config
    rule_paths: tuple[str, ...] = ()
    input_format: str = "auto"


def discover(paths: Sequence[str], config: Config) -> tuple[list[str], list[InputError]]:
    """The files to check, in a stable order, and the paths that could not be used."""
    files: list[str] = []
    problems: list[InputError] = []
    for raw in paths:
        path = Path(raw)
        if raw == STDIN:
            files.append(STDIN)
        elif path.is_dir():
            files.extend(str(p) for p in _walk(path, config, problems))
        elif path.exists() or path.is_symlink():
            files.append(raw)
        else:
            problems.append(InputError("no such file or folder", path=raw))
    return files, problems


def _walk(root: Path, config: Config, problems: list[InputError]) -> list[Path]:
    found: list[Path] = []
    ignored = _gitignore(root)

    def unreadable(error: OSError) -> None:
        where = display_name(str(error.filename or root))
        problems.append(InputError(f"cannot read folder: {error.strerror}", path=where))

    # Symbolic links to folders are not followed, so a link loop cannot trap the walk.
    for folder, subfolders, names in os.walk(root, followlinks=False, onerror=unreadable):
        here = Path(folder)
        subfolders[:] = sorted(
            d
            for d in subfolders
            if d not in _ALWAYS_SKIPPED and not _excluded(here / d, root, config.exclude + ignored)
        )
        for name in sorted(names):
            file = here / name
            if _wanted(file, root, config) and not _excluded(file, root, ignored):
                found.append(file)
    return found


def _wanted(file: Path, root: Path, config: Config) -> bool:
    if _excluded(file, root, config.exclude):
        return False
    if config.include:
        return _matches_any(file, root, config.include)
    return file.suffix.lower() in SCAN_EXTENSIONS


def _excluded(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    return _matches_any(path, root, patterns)


def _matches_any(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    relative = path.relative_to(root).as_posix()
    for pattern in patterns:
        pattern = pattern.rstrip("/").removeprefix("/")
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(path.name, pattern):
            return True
    return False


def _gitignore(root: Path) -> tuple[str, ...]:
    """The plain patterns of the folder's .gitignore; negations are beyond a cheap reading."""
    try:
        lines = (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith(("#", "!")))


def read_source(name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Source | InputError:
    """The text of a file (or standard input), or the error that names what is wrong."""
    return (
        read_stdin(max_bytes=max_bytes) if name == STDIN else read_path(name, max_bytes=max_bytes)
    )


def check_file(name: str, rules: RuleSet, job: ScanJob) -> Report | InputError:
    """Read and check one file with the settings that apply to it."""
    source = read_source(name, max_bytes=job.config.max_bytes)
    if isinstance(source, InputError):
        return source
    fmt = job.input_format
    if fmt == "auto":
        fmt = "text" if name == STDIN else format_for_path(name)
    report = check(
        source.text,
        rules=rules,
        path=display_name(name),
        format=fmt,
        policy=job.config.policy_for(name),
    )
    return replace(report, warnings=source.warnings) if source.warnings else report


def scan_files(
    files: Sequence[str], rules: RuleSet, job: ScanJob, *, jobs: int = 1
) -> Iterator[Report | InputError]:
    """Check ``files`` in order; with ``jobs`` > 1 (0: every core) in worker processes."""
    workers = (os.cpu_count() or 1) if jobs == 0 else jobs
    on_disk = [f for f in files if f != STDIN]
    if workers <= 1 or len(on_disk) <= 1 or STDIN in files:
        for name in files:
            yield check_file(name, rules, job)
        return
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(files)), initializer=_start_worker, initargs=(job,)
    )
    try:
        yield from pool.map(_check_in_worker, files, chunksize=max(1, len(files) // (workers * 8)))
    finally:
        # On Ctrl-C or a closed pipe, drop the queued files instead of waiting for them.
        pool.shutdown(wait=False, cancel_futures=True)


_WORKER: tuple[RuleSet, ScanJob] | None = None


def _start_worker(job: ScanJob) -> None:
    # Ctrl-C is the parent's to handle: workers ignore it and end with the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _WORKER
    paths = (*map(str, job.config.rule_paths), *job.rule_paths)
    rules = load_rules(*paths, include_defaults=True) if paths else default_rules()
    _WORKER = (rules, job)


def _check_in_worker(name: str) -> Report | InputError:
    assert _WORKER is not None, "worker started without its initializer"
    rules, job = _WORKER
    return check_file(name, rules, job)
