"""Scanning many files: discovery, reading, and checking them in one or many processes.

Files are found in a stable order (sorted paths, folders recursively), filtered by include
and exclude globs and by the simple patterns of ``.gitignore`` files in scanned folders.
``exclude`` also skips a file named on the command line (pre-commit names every staged
file): it matches paths as ``overrides.files`` do, by one function
(:meth:`hedgecheck.config.Config.matches`): from the config's folder and from each scanned
folder that holds the file.
With ``jobs`` above one, files are checked in worker processes that each load the rules
once; results come back in input order, so the output is the same for any ``jobs``, and
the workers end with the scan however it ends (``hedgecheck.workers``). A text or Markdown
file longer than the part size is checked in parts (``hedgecheck.parts``), in the calling
process, one report per part, so memory stays flat however big the file.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from hedgecheck.api import check, check_document
from hedgecheck.budget import ScanBudget
from hedgecheck.config import Config
from hedgecheck.documents import format_for_path
from hedgecheck.errors import ConfigError, InputError
from hedgecheck.findings import FindingPolicy
from hedgecheck.gate import LABEL_GATE_CODE
from hedgecheck.loader import default_rules, load_rules
from hedgecheck.model import Part, Report
from hedgecheck.parts import check_parts, check_stream
from hedgecheck.reading import (
    DEFAULT_MAX_BYTES,
    Source,
    display_name,
    open_stream,
    read_bytes,
    read_path,
    read_stdin,
    read_stdin_bytes,
)
from hedgecheck.ruleset import RuleSet
from hedgecheck.tomlfile import read_toml_bytes

SCAN_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".docx")
STDIN = "-"
# Files sent to a worker at a time: a worker holds a chunk's records until it is done, so a
# chunk that grew with the corpus made the worker's memory grow with it.
_MOST_PER_CHUNK = 16
_ALWAYS_SKIPPED = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", ".tox"}


@dataclass(frozen=True, slots=True)
class ScanJob:
    """What every worker needs to check a file: settings, and how to load the rules."""

    config: Config
    rule_paths: tuple[str, ...] = ()
    input_format: str = "auto"


def discover(paths: Sequence[str], config: Config) -> tuple[list[str], list[InputError]]:
    """The files to check, in a stable order, and the paths that could not be used."""
    if not config.folders:
        config = replace(config, folders=scanned_folders(paths))
    files: list[str] = []
    problems: list[InputError] = []
    for raw in paths:
        path = Path(raw)
        if raw == STDIN:
            files.append(STDIN)
        elif path.is_dir():
            files.extend(str(p) for p in _walk(path, config, problems))
        elif config.excludes(path):
            continue  # named (as pre-commit names files) but excluded by the config
        elif path.exists() or path.is_symlink():
            files.append(raw)
        else:
            problems.append(InputError("no such file or folder", path=raw))
    return files, problems


def scanned_folders(paths: Sequence[str]) -> tuple[Path, ...]:
    """The folders among the paths a scan was given (:attr:`Config.folders`)."""
    return tuple(Path(p) for p in paths if p != STDIN and Path(p).is_dir())


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
            if d not in _ALWAYS_SKIPPED
            and not _excluded(here / d, root, ignored)
            and not config.excludes(here / d)
        )
        for name in sorted(names):
            file = here / name
            if _wanted(file, root, config) and not _excluded(file, root, ignored):
                found.append(file)
    return found


def _wanted(file: Path, root: Path, config: Config) -> bool:
    if config.excludes(file) or _word_lock(file):
        return False
    if config.include:
        return _matches_any(file, root, config.include)
    return file.suffix.lower() in SCAN_EXTENSIONS


def _word_lock(file: Path) -> bool:
    """Word keeps "~$draft.docx" beside a document it has open: a lock, not a document."""
    return file.name.startswith("~$") and file.suffix.lower() == ".docx"


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
        # read as a config file is, within bounds: a FIFO or a link to /dev/zero cannot hang
        data = read_toml_bytes(root / ".gitignore", error=ConfigError)
        lines = data.decode("utf-8").splitlines()
    except (ConfigError, UnicodeDecodeError):
        return ()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith(("#", "!")))


@dataclass(frozen=True, slots=True)
class Recorded:
    """A checked file as a streaming output format records it, with what the run needs
    besides: the report's messages and what the gate weighs. With ``--jobs`` it is made in
    the worker that checked the file, and sending it back costs a small part of what
    pickling the whole report and unpickling it in the parent would. ``record`` is the
    record's pieces: made in a worker, its whole text (one piece, to be pickled); made in
    the calling process, pieces made as the output takes them, so that the text of a big
    file's part is never held whole."""

    path: str | None
    part: Part | None
    warnings: tuple[str, ...]
    errors: tuple[str, ...]
    claim_count: int
    worst_severity: int | None  # rank of the most severe finding
    label_gate: bool  # whether the label gate failed: a label-gate finding is reported
    record: Iterable[str]

    @classmethod
    def of(cls, report: Report, record: Record) -> Recorded:
        worst_severity, label_gate = gate_ranks(report)
        return cls(
            path=report.path,
            part=report.part,
            warnings=report.warnings,
            errors=report.errors,
            claim_count=len(report.claims),
            worst_severity=worst_severity,
            label_gate=label_gate,
            record=record(report),
        )


def gate_ranks(report: Report) -> tuple[int | None, bool]:
    """What the CI gate weighs in a report: the rank of its most severe finding (None when
    it has none), and whether the label gate failed it (an LBL001 finding was kept)."""
    worst = max((finding.severity.rank for finding in report.findings), default=None)
    return worst, any(finding.code == LABEL_GATE_CODE for finding in report.findings)


# Builds, from the rules a process loaded, what turns a report into its record's pieces;
# picklable (a functools.partial of a module-level function) so that each worker builds its
# own.
Record = Callable[[Report], Iterable[str]]
Recorder = Callable[[RuleSet], Record]


def read_source(name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Source | InputError:
    """The text of a file (or standard input), or the error that names what is wrong."""
    return (
        read_stdin(max_bytes=max_bytes) if name == STDIN else read_path(name, max_bytes=max_bytes)
    )


def check_file(
    name: str, rules: RuleSet, job: ScanJob, budget: ScanBudget | None = None
) -> Report | InputError:
    """Read and check one file with the settings that apply to it, as one article; the
    run's ``budget``, or one for this file alone."""
    budget = budget or ScanBudget(job.config.rule_budget)
    fmt = _format_of(name, job)
    if fmt == "docx":
        return _check_word_document(name, rules, job, budget)
    source = read_source(name, max_bytes=job.config.max_bytes)
    if isinstance(source, InputError):
        return source
    report = check(
        source.text,
        rules=rules,
        path=display_name(name),
        format=fmt,
        policy=job.config.policy_for(name),
        budget=budget,
    )
    return replace(report, warnings=source.warnings) if source.warnings else report


def _check_word_document(
    name: str, rules: RuleSet, job: ScanJob, budget: ScanBudget
) -> Report | InputError:
    return check_word_document(
        name,
        rules,
        max_bytes=job.config.max_bytes,
        policy=job.config.policy_for(name),
        budget=budget,
    )


def check_word_document(
    name: str, rules: RuleSet, *, max_bytes: int, policy: FindingPolicy, budget: ScanBudget
) -> Report | InputError:
    """A Word document, read from its bytes (to the text reader a zip archive is binary),
    its parts weighed against the size limit before they are unpacked."""
    from hedgecheck.documents.docx import read_docx

    data = (
        read_stdin_bytes(max_bytes=max_bytes)
        if name == STDIN
        else read_bytes(name, max_bytes=max_bytes)
    )
    if isinstance(data, InputError):
        return data
    shown = display_name(name)
    try:
        document = read_docx(data, name=shown, max_bytes=max_bytes)
    except InputError as error:
        return error
    return check_document(document, rules=rules, path=shown, policy=policy, budget=budget)


def check_file_in_parts(
    name: str, rules: RuleSet, job: ScanJob, budget: ScanBudget | None = None
) -> Iterator[Report | InputError]:
    """Read and check one file; a text or Markdown file longer than the part size comes out
    as one report per part (see ``hedgecheck.parts``), each made when it is asked for. A big
    UTF-8 file is read line by line, never whole, so memory stays flat. Without a
    ``budget`` the file has one of its own, of the job's rule budget."""
    if budget is None:
        budget = ScanBudget(job.config.rule_budget)
    fmt = _format_of(name, job)
    if fmt == "docx":
        yield check_file(name, rules, job, budget)
        return
    if fmt != "html" and name != STDIN and _in_parts(name, job):
        stream = open_stream(name, max_bytes=job.config.max_bytes)
        if stream is not None:
            if isinstance(stream, InputError):
                yield stream
                return
            size, policy = job.config.part_chars, job.config.policy_for(name)
            try:
                yield from check_stream(
                    stream, size=size, rules=rules, format=fmt, policy=policy, budget=budget
                )
            except InputError as exc:  # binary past its head, or grown past the limit
                yield exc
            return
    source = read_source(name, max_bytes=job.config.max_bytes)
    if isinstance(source, InputError):
        yield source
        return
    policy = job.config.policy_for(name)
    parts = check_parts(
        source.text,
        size=job.config.part_chars,
        rules=rules,
        path=display_name(name),
        format=fmt,
        policy=policy,
        budget=budget,
    )
    for number, report in enumerate(parts):
        first = number == 0 and source.warnings
        yield replace(report, warnings=source.warnings) if first else report
        del report  # not held while the next part is checked


def _format_of(name: str, job: ScanJob) -> str:
    if job.input_format != "auto":
        return job.input_format
    return "text" if name == STDIN else format_for_path(name)


def _in_parts(name: str, job: ScanJob) -> bool:
    """Whether a file may be too big for one article (bytes bound its characters from
    above); standard input is always read whole first, so it may be. A Word document is
    never checked in parts: its size says little of its prose."""
    if _format_of(name, job) == "docx":
        return False
    if name == STDIN:
        return True
    try:
        return os.stat(name).st_size > job.config.part_chars
    except OSError:
        return False  # the reader will say what is wrong


def scan_files(
    files: Sequence[str], rules: RuleSet, job: ScanJob, *, jobs: int = 1
) -> Generator[Report | InputError, None, None]:
    """Check ``files`` in order; with ``jobs`` > 1 (0: every core) in worker processes.
    The rules of untrusted packs have one budget for the run (``job.config.rule_budget``),
    in each process that checks files. Closing the iterator before its end (``close()``, or
    an exception while it runs) kills the workers and reaps them."""
    return _scan(files, rules, job, jobs, None)  # type: ignore[return-value]


def scan_records(
    files: Sequence[str], rules: RuleSet, job: ScanJob, *, recorder: Recorder, jobs: int = 1
) -> Generator[Recorded | InputError, None, None]:
    """As :func:`scan_files`, each report turned into its :class:`Recorded` where it was made
    (``recorder`` builds the function that writes a report's record, once per process)."""
    return _scan(files, rules, job, jobs, recorder)  # type: ignore[return-value]


def _scan(
    files: Sequence[str], rules: RuleSet, job: ScanJob, jobs: int, recorder: Recorder | None
) -> Generator[Report | Recorded | InputError, None, None]:
    workers = (os.cpu_count() or 1) if jobs == 0 else jobs
    big = [_in_parts(name, job) for name in files]
    small = [name for name, in_parts in zip(files, big, strict=True) if not in_parts]
    record = recorder(rules) if recorder else None
    budget = ScanBudget(job.config.rule_budget)
    if workers <= 1 or len(small) <= 1:
        for name in files:
            yield from _outcomes(check_file_in_parts(name, rules, job, budget), record)
        return
    from hedgecheck.workers import worker_map  # multiprocessing: only for --jobs

    # On Ctrl-C, a stop signal or a closed pipe, the workers are killed, not waited for.
    with worker_map(
        _check_in_worker,
        small,
        workers=min(workers, len(small)),
        chunksize=max(1, min(len(small) // (workers * 8), _MOST_PER_CHUNK)),
        initializer=_start_worker,
        initargs=(job, recorder),
    ) as checked:
        # Big files are checked here, part by part, so that no worker holds a whole big
        # file's reports; the workers take the rest, and the output keeps the input order.
        for name, in_parts in zip(files, big, strict=True):
            if in_parts:
                yield from _outcomes(check_file_in_parts(name, rules, job, budget), record)
            else:
                yield next(checked)


def _outcomes(
    outcomes: Iterator[Report | InputError], record: Record | None
) -> Iterator[Report | Recorded | InputError]:
    for outcome in outcomes:
        recorded = _recorded(outcome, record)
        del outcome  # not held while the next part is checked
        yield recorded


def _recorded(
    outcome: Report | InputError, record: Record | None
) -> Report | Recorded | InputError:
    if record is None or isinstance(outcome, InputError):
        return outcome
    return Recorded.of(outcome, record)


_WORKER: tuple[RuleSet, ScanJob, Record | None, ScanBudget] | None = None


def _start_worker(job: ScanJob, recorder: Recorder | None) -> None:
    global _WORKER
    paths = (*map(str, job.config.rule_paths), *job.rule_paths)
    rules = load_rules(*paths, include_defaults=True) if paths else default_rules()
    _WORKER = (
        rules,
        job,
        recorder(rules) if recorder else None,
        ScanBudget(job.config.rule_budget),
    )


def _check_in_worker(name: str) -> Report | Recorded | InputError:
    assert _WORKER is not None, "worker started without its initializer"
    rules, job, record, budget = _WORKER
    return _recorded(check_file(name, rules, job, budget), record and partial(_joined, record))


def _joined(record: Record, report: Report) -> tuple[str]:
    """The record as one piece, to be sent to the parent."""
    return ("".join(record(report)),)
