"""hedgecheck beside its peers: CPU seconds on the same corpus, measured in one run.

    python benchmarks/peers.py [--data ../shared/eval/dev] [--runs 3] [--scratch DIR]
                               [--install] [--only KEY ...] [--write]

The corpus is the one ``speed.py`` reads: the article texts of
``article-fakehealth-story.jsonl``, one ``.txt`` file per story in a temporary folder. Each
tool is one whole process over every file, measured as ``speed.py`` measures (``measuring.py``:
CPU seconds are user + system of the process and its children); one warm-up (on the first
20 stories), then ``--runs`` runs with the tools taking turns (so that a change in the
machine's load falls on all of them alike), the median reported, fastest first, with
"× one-regex read" from the same run:

- ``baseline``: one ``regex`` alternation of about 80 hedge words (the floor);
- ``retext``: retext with retext-intensify (hedges, weasels, fillers), one node process;
- ``write-good``: write-good's JS API, one node process;
- ``textlint``: textlint with textlint-rule-write-good, one process over the folder;
- ``medspacy``: spaCy's sentencizer and medspaCy's ConText with its default rules;
- ``proselint``: proselint's command line, every check its default configuration turns on;
- ``hedgecheck``: ``hedgecheck scan --format jsonl``, and ``nomatch``: the same with rule
  matching switched off (what is left when no cue is found).

The peers are not hedgecheck's dependencies. ``--install`` puts them in a scratch folder
(``--scratch``, by default ``hedgecheck-peers`` in the system's temporary folder): the npm
packages with ``npm install --prefix SCRATCH/npm``, the Python ones in the virtual environment
``SCRATCH/venv``, at the versions pinned below; never into the repository, and never in CI.
A peer that is not installed is named with the command that installs it, and the rest are
measured. The node scripts are ``benchmarks/peers/*.mjs|cjs`` (copied into SCRATCH/npm, where
node finds the packages), the medspaCy one ``benchmarks/peers/medspacy_context.py``.

Without ``--write`` the section is printed; with it, it replaces the part of BENCHMARKS.md
between ``<!-- peers:start -->`` and ``<!-- peers:end -->``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import measuring
from measuring import Cost, MeasureError, Row
from sections import markers, publish

START, END = markers("peers")
SCRIPTS = Path(__file__).resolve().parent / "peers"
# The warm-up reads this many stories: enough to load and compile each tool, at a fraction of
# the cost of a whole run (on a shared machine the runs themselves take minutes).
WARM_UP_FILES = 20

# Pinned so that a rerun measures the same code. medspaCy 1.3.1 wants spaCy < 3.8; 3.7.5 is
# the newest of those with wheels for Python 3.11 (no compiler needed).
NPM_PACKAGES = {
    "retext": "9.0.0",
    "retext-intensify": "7.0.0",
    "write-good": "1.0.8",
    "textlint": "15.8.0",
    "textlint-rule-write-good": "2.0.0",
}
PYPI_PACKAGES = {"medspacy": "1.3.1", "spacy": "3.7.5", "proselint": "0.16.0"}


@dataclass(frozen=True)
class Scratch:
    """Where the peers are installed."""

    root: Path

    @property
    def npm(self) -> Path:
        return self.root / "npm"

    @property
    def venv(self) -> Path:
        return self.root / "venv"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def npm_version(self, package: str) -> str | None:
        try:
            manifest = self.npm / "node_modules" / package / "package.json"
            return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
        except (OSError, ValueError, KeyError):
            return None

    def pypi_version(self, package: str) -> str | None:
        found = sorted(self.venv.glob("lib/python*/site-packages"))
        for dist in importlib.metadata.distributions(name=package, path=[str(p) for p in found]):
            return dist.version
        return None


@dataclass(frozen=True)
class Peer:
    key: str
    label: str
    registry: str  # "npm", "pypi", or "" for what this repository brings
    packages: tuple[str, ...]
    argv: Callable[[Scratch, Path], list[str]]
    ours: bool = False

    def versions(self, scratch: Scratch) -> dict[str, str | None]:
        if self.registry == "npm":
            return {p: scratch.npm_version(p) for p in self.packages}
        if self.registry == "pypi":
            return {p: scratch.pypi_version(p) for p in self.packages}
        return {p: importlib.metadata.version(p) for p in self.packages}

    def missing(self, scratch: Scratch) -> list[str]:
        absent = [name for name, version in self.versions(scratch).items() if version is None]
        if self.registry == "npm" and not shutil.which("node"):
            absent.append("node (the program)")
        return absent


def _node(script: str) -> Callable[[Scratch, Path], list[str]]:
    return lambda scratch, corpus: ["node", str(scratch.npm / script), str(corpus)]


def _textlint(scratch: Scratch, corpus: Path) -> list[str]:
    modules = scratch.npm / "node_modules"
    return [
        str(modules / ".bin" / "textlint"),
        "--no-textlintrc",
        "--rule",
        "write-good",
        "--rules-base-directory",
        str(modules),
        "--format",
        "compact",
        str(corpus),
    ]


def _script(text: str, name: str) -> Callable[[Scratch, Path], list[str]]:
    """A command for a Python script held in this file, written beside the corpus."""

    def argv(scratch: Scratch, corpus: Path) -> list[str]:
        path = corpus.parent / name
        path.write_text(text, encoding="utf-8")
        return [sys.executable, str(path), str(corpus)]

    return argv


PEERS = (
    Peer(
        "baseline",
        f"one `regex` alternation of {len(measuring.HEDGE_WORDS.split())} hedge words (the floor)",
        "",
        ("regex",),
        lambda scratch, corpus: [
            *_script(measuring.BASELINE, "baseline.py")(scratch, corpus),
            measuring.HEDGE_WORDS,
        ],
    ),
    Peer(
        "retext",
        "retext-intensify (hedge, weasel and filler lists; one node process)",
        "npm",
        ("retext", "retext-intensify"),
        _node("retext-intensify.mjs"),
    ),
    Peer("write-good", "write-good (JS API)", "npm", ("write-good",), _node("write-good.cjs")),
    Peer(
        "textlint",
        "textlint + write-good rule",
        "npm",
        ("textlint", "textlint-rule-write-good"),
        _textlint,
    ),
    Peer(
        "medspacy",
        "medspaCy ConText (spaCy sentencizer)",
        "pypi",
        ("medspacy", "spacy"),
        lambda scratch, corpus: [
            str(scratch.python),
            str(SCRIPTS / "medspacy_context.py"),
            str(corpus),
        ],
    ),
    Peer(
        "proselint",
        "proselint, every check on by default (CLI)",
        "pypi",
        ("proselint",),
        lambda scratch, corpus: [str(scratch.venv / "bin" / "proselint"), "check", str(corpus)],
    ),
    Peer(
        "hedgecheck",
        "hedgecheck `scan --format jsonl`",
        "",
        ("hedgecheck",),
        lambda scratch, corpus: [
            *measuring.hedgecheck_command(),
            "scan",
            "--format",
            "jsonl",
            "--quiet",
            str(corpus),
        ],
        ours=True,
    ),
    Peer(
        "nomatch",
        "hedgecheck with rule matching switched off",
        "",
        ("hedgecheck",),
        _script(measuring.NO_MATCHING, "no_matching.py"),
        ours=True,
    ),
)


# -- installing ------------------------------------------------------------------------------


def install_commands(scratch: Scratch) -> list[list[str]]:
    npm = [f"{name}@{version}" for name, version in NPM_PACKAGES.items()]
    pypi = [f"{name}=={version}" for name, version in PYPI_PACKAGES.items()]
    return [
        ["npm", "install", "--prefix", str(scratch.npm), "--no-audit", "--no-fund", *npm],
        [sys.executable, "-m", "venv", str(scratch.venv)],
        [str(scratch.python), "-m", "pip", "install", "--quiet", *pypi],
    ]


def install(scratch: Scratch) -> None:
    if not shutil.which("npm"):
        raise SystemExit("npm is not installed: the node peers need node and npm")
    scratch.npm.mkdir(parents=True, exist_ok=True)
    manifest = scratch.npm / "package.json"
    if not manifest.exists():  # else npm looks for a project in the folders above
        manifest.write_text('{"private": true}\n', encoding="utf-8")
    for argv in install_commands(scratch):
        if argv[1:3] == ["-m", "venv"] and scratch.python.exists():
            continue
        print("$", shlex.join(argv), flush=True)
        if subprocess.run(argv, check=False).returncode != 0:
            raise SystemExit(f"installing the peers failed: {shlex.join(argv)}")


def copy_scripts(scratch: Scratch) -> None:
    """The node scripts go beside node_modules, where node's import finds the packages."""
    if scratch.npm.is_dir():
        for script in (*SCRIPTS.glob("*.mjs"), *SCRIPTS.glob("*.cjs")):
            shutil.copyfile(script, scratch.npm / script.name)


# -- measuring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    peer: Peer
    versions: str
    row: Row


def version_text(peer: Peer, scratch: Scratch) -> str:
    text = ", ".join(f"{name} {version}" for name, version in peer.versions(scratch).items())
    if peer.registry == "npm":
        node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False)
        text += f" (node {node.stdout.strip().lstrip('v')})"
    elif peer.key == "baseline":
        text += f" (Python {platform.python_version()})"
    return text


def run_all(
    peers: list[Peer], scratch: Scratch, corpora: tuple[Path, Path], megabytes: float, args
) -> tuple[list[Result], dict[str, str]]:
    """A warm-up of each on the small corpus (the tool's code read and compiled, any cache
    filled), then ``--runs`` rounds over the whole corpus in which the tools take turns."""
    warm, corpus = corpora
    argvs = {peer.key: [peer.argv(scratch, warm), peer.argv(scratch, corpus)] for peer in peers}
    costs: dict[str, list[Cost]] = {peer.key: [] for peer in peers}
    failed: dict[str, str] = {}
    for round_number in range(args.runs + 1):
        for peer in peers:
            if peer.key in failed:
                continue
            try:
                cost = measuring.measure(argvs[peer.key][min(round_number, 1)], args.timeout)
            except MeasureError as error:
                failed[peer.key] = str(error).strip().splitlines()[0]
                print(f"  {peer.key}: failed: {failed[peer.key]}", flush=True)
                continue
            what = "warm-up" if round_number == 0 else f"run {round_number}"
            print(
                f"  {peer.key} ({what}): {cost.cpu:.2f} s CPU, {cost.wall:.2f} s wall", flush=True
            )
            if round_number:
                costs[peer.key].append(cost)
    results = [
        Result(peer, version_text(peer, scratch), Row(peer.label, megabytes, costs[peer.key]))
        for peer in peers
        if peer.key not in failed
    ]
    return sorted(results, key=lambda result: result.row.cpu), failed


# -- the report ------------------------------------------------------------------------------


def table(results: list[Result]) -> list[str]:
    """The rows, fastest first (``results`` are sorted); hedgecheck's in bold."""
    base = next(r.row for r in results if r.peer.key == "baseline")
    lines = [
        "| tool | versions | CPU (s) | MB/s (CPU) | × one-regex read (CPU) | wall (s) "
        "| peak RSS (MB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for result in results:
        row = result.row
        cells = [
            row.name,
            f"{row.cpu:.2f}",
            f"{row.megabytes / row.cpu:.2f}",
            f"{row.cpu / base.cpu:.1f}",
        ]
        if result.peer.ours:
            cells = [f"**{cell}**" for cell in cells]
        lines.append(
            f"| {cells[0]} | {result.versions} | {' | '.join(cells[1:])} | "
            f"{row.wall:.2f} | {row.rss_mb:.0f} |"
        )
    return lines


def missing_note(missing: dict[str, list[str]], failed: dict[str, str]) -> str:
    notes = []
    if missing:
        names = "; ".join(f"{key} ({', '.join(absent)})" for key, absent in missing.items())
        notes.append(
            f"Not measured, not installed: {names}. `python benchmarks/peers.py --install` "
            "installs them in a scratch folder."
        )
    notes += [f"Not measured, {key} failed: {reason}" for key, reason in failed.items()]
    return "\n\n".join(notes)


def section(
    results: list[Result],
    note: str,
    args: argparse.Namespace,
    load: tuple[str, str],
    corpus_files: int,
) -> str:
    megabytes = results[0].row.megabytes
    command = shlex.join(["python", "benchmarks/peers.py", *sys.argv[1:]])
    lines = [
        START,
        "## hedgecheck beside its peers",
        "",
        measuring.written(command, load, "(and so the wall column)"),
        "",
        f"Corpus: {megabytes:.2f} MB in {corpus_files} files, the article texts of "
        f"`{measuring.DATA_FILE}`, one file per story. Each tool is one whole process over "
        "every file; CPU is user + system of the process and its children, the median of "
        f"{args.runs} runs after a warm-up on {WARM_UP_FILES} files, the tools taking turns. "
        "MB/s is megabytes per CPU second. Fastest first; hedgecheck's rows in bold.",
        "",
        *table(results),
    ]
    if note:
        lines += ["", note]
    lines.append(END)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=measuring.DEFAULT_DATA)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per tool (median)")
    parser.add_argument(
        "--scratch",
        type=Path,
        default=Path(tempfile.gettempdir()) / "hedgecheck-peers",
        help="where the peers are (or --install puts them)",
    )
    parser.add_argument("--install", action="store_true", help="install the peers first")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=[p.key for p in PEERS],
        help="measure only these tools",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per process")
    parser.add_argument("--write", action="store_true", help="write into BENCHMARKS.md")
    parser.add_argument("--output", type=Path, default=measuring.ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    if args.runs < 1:
        raise SystemExit("--runs must be at least 1")
    scratch = Scratch(args.scratch.resolve())
    if scratch.root.is_relative_to(measuring.ROOT):
        raise SystemExit("--scratch must be outside the repository")
    if args.install:
        install(scratch)
    copy_scripts(scratch)
    wanted = [p for p in PEERS if p.key in {"baseline", *(args.only or [p.key for p in PEERS])}]
    missing = {p.key: absent for p in wanted if (absent := p.missing(scratch))}
    for key, absent in missing.items():
        print(f"{key}: not installed in {scratch.root} ({', '.join(absent)}); skipped")
    if missing:
        print("to install them there: python benchmarks/peers.py --install, which runs")
        print("\n".join(f"  {shlex.join(argv)}" for argv in install_commands(scratch)), flush=True)
    items = measuring.stories(args.data)
    load_start = measuring.loadavg()
    with tempfile.TemporaryDirectory(prefix="hedgecheck-peers-") as temporary:
        corpus, warm = Path(temporary) / "corpus", Path(temporary) / "warm"
        megabytes = measuring.write_corpus(corpus, items)
        measuring.write_corpus(warm, items[:WARM_UP_FILES])
        print(f"corpus: {len(items)} files, {megabytes:.2f} MB; load {load_start}", flush=True)
        measured = [p for p in wanted if p.key not in missing]
        results, failed = run_all(measured, scratch, (warm, corpus), megabytes, args)
    if "baseline" in failed:
        raise SystemExit(f"the one-regex read failed: {failed['baseline']}")
    note = missing_note(missing, failed)
    text = section(results, note, args, (load_start, measuring.loadavg()), len(items))
    publish(text, args.output, "peers", write=args.write)


if __name__ == "__main__":
    main()
