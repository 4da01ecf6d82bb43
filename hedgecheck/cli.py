"""The command line: a thin click layer over the library.

Exit codes: 0 success (nothing crossed the gate's thresholds); 1 a finding at or above
``--fail-on`` (warning by default), or an article label at or below ``--fail-on-label``, whose
main claims at or below it are then reported as LBL001 findings; 2 usage, configuration,
rule-pack, input or output error (the rest of the files are still checked and reported
first), or an unexpected internal error; 128 + the signal's number when stopped by SIGINT
(Ctrl-C, 130), SIGHUP (129) or SIGTERM (143); 141 standard output was closed early
(``| head``). A failure never exits 1, the gate's code.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import logging
import os
import select
import signal
import sys
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from hedgecheck import __version__
from hedgecheck.budget import BUDGET_KEYS, RuleBudget, seconds
from hedgecheck.errors import ConfigError, HedgecheckError, InputError, OutputError, UsageError
from hedgecheck.settings import (
    FAIL_ON,
    FAIL_ON_LABEL,
    MAX_MEGABYTES,
    ON_RULE_TIMEOUT,
    STOP_SIGNALS,
)

# The analysis is imported by the commands that run it, not here: `hedgecheck --help`
# imports none of it, and a scan only the output format it writes.
if TYPE_CHECKING:
    from hedgecheck.config import Config
    from hedgecheck.gate import Builtin
    from hedgecheck.model import Report
    from hedgecheck.ruleset import RuleSet
    from hedgecheck.ruletest import ExampleResult
    from hedgecheck.scanning import Recorded
    from hedgecheck.schema import Check, Rule

EXIT_OK = 0
EXIT_GATE = 1
EXIT_ERROR = 2
EXIT_SIGNALLED = 128  # plus the signal's number, as a shell reports a process it stopped
EXIT_CLOSED_PIPE = 141  # as a program killed by SIGPIPE
MAX_JOBS = 1024
# Seconds to reach a --dask scheduler: a wrong address fails fast instead of after distributed's
# default 30 s.
DASK_CONNECT_TIMEOUT = 5


class _LazyChoice(click.Choice):
    """A choice whose values come from a registry looked up when they are first needed (to
    parse a value, or for the command's own --help), so that declaring the options imports
    no registry."""

    def __init__(self, values: Callable[[], Iterable[str]]) -> None:
        self._values = values
        self._found: tuple[str, ...] | None = None
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        if self._found is None:
            self._found = tuple(self._values())
        return self._found

    @choices.setter
    def choices(self, values: Iterable[str]) -> None:
        self._found = tuple(values) or None  # click.Choice sets () at first: looked up later


def _format_names() -> list[str]:
    from hedgecheck.formats import FORMATS

    return sorted(FORMATS)


def _input_formats() -> list[str]:
    from hedgecheck.documents import INPUT_FORMATS

    return ["auto", *INPUT_FORMATS]


def _task_names() -> list[str]:
    from hedgecheck.evaluate import TASKS

    return sorted(TASKS)


class _Guarded(click.Group):
    """Every failure ends in a one-line ``hedgecheck: error:`` and exit 2, never a traceback
    and exit 1 (which CI would read as findings); a closed output pipe ends quietly."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own usage errors, exits and aborts, reported as click does
        except Exception as exc:
            if _stopped_by is not None:
                # The stop signal's exit, raised wherever the run was, broke something on
                # its way out (a lock in the middle of a wait): no error of its own.
                sys.exit(EXIT_SIGNALLED + _stopped_by)
            _report_failure(exc)


def _report_failure(exc: Exception) -> NoReturn:
    if isinstance(exc, HedgecheckError):
        _fail(exc)
    if isinstance(exc, OSError):
        _os_failure(exc)
    import traceback

    from hedgecheck.formats._safe import safe_line

    # A bug: its traceback is what a report of it needs. A traceback quotes input (file
    # names, text): each line is made safe like any other.
    for line in traceback.format_exc().splitlines():
        with contextlib.suppress(OSError):
            click.echo(safe_line(line), err=True)
    _fail(HedgecheckError(f"internal error ({type(exc).__name__}); please report it"))


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hedgecheck")
def main() -> None:
    """Check science and health writing for hedging, evidence and overclaiming."""
    _stop_on_signals()
    _no_collection_at_exit()


def _no_collection_at_exit() -> None:
    """At exit, the collector is told to leave every object alone (gc.freeze). The rule set
    and the modules are some 30,000 objects that live until the process ends; the
    collections at interpreter exit only walked them (about 50 ms of a one-line scan's
    0.34 s of CPU). Nothing is left undone: files are closed and workers reaped by the code
    that opened them, and atexit handlers still run."""
    import atexit
    import gc

    atexit.unregister(gc.freeze)  # once, however often main runs in one process
    atexit.register(gc.freeze)


def _rules_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--rules",
        "rule_paths",
        multiple=True,
        type=click.Path(dir_okay=True),
        help="Extra rule pack (TOML file or folder), added to the default packs. Repeatable.",
    )(function)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=_LazyChoice(_format_names),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    help="Write the report to FILE instead of standard output (-): a file is replaced "
    "atomically, keeping its mode; a device or pipe is written in place. FILE may not be an "
    "input.",
)
@click.option(
    "--allow-output-in-input",
    is_flag=True,
    help="Allow --output FILE or --output-parquet DIR inside a scanned folder (it may be "
    "read as an input by a later run). An output that is itself an input is always refused.",
)
@click.option(
    "--color/--no-color", default=None, help="Colour the text format (NO_COLOR is respected)."
)
@click.option(
    "--input-format",
    type=_LazyChoice(_input_formats),
    default=None,
    help="How to read the inputs; auto (the default) goes by extension (.md, .markdown, "
    ".html, .htm; anything else and - are plain text).",
)
@click.option("--include", multiple=True, help="Glob of files to scan in folders. Repeatable.")
@click.option("--exclude", multiple=True, help="Glob of files or folders to skip. Repeatable.")
@click.option("--select", multiple=True, help="Report only these rules, prefixes or categories.")
@click.option("--ignore", multiple=True, help="Do not report these rules, prefixes or categories.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="Exit 1 when a finding is at or above this severity (default: warning, or the "
    "config's fail-on).",
)
@click.option(
    "--fail-on-label",
    type=click.Choice(FAIL_ON_LABEL),
    default=None,
    help="Exit 1 when an article's label is at or below this label.",
)
@click.option(
    "--report-unused-suppressions",
    is_flag=True,
    default=None,
    help="Report hedgecheck: ignore/disable directives that suppress nothing.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, exists=True),
    help="Configuration file (default: the nearest .hedgecheck.toml or pyproject.toml "
    "with [tool.hedgecheck], looking up from the first path).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0, max=MAX_JOBS),
    default=1,
    show_default=True,
    help=f"Files checked in parallel processes; 0 uses every core (at most {MAX_JOBS}). "
    "Output is identical.",
)
@click.option(
    "--max-file-size",
    type=float,
    default=None,
    help=f"Skip files larger than this many megabytes (default 100, at most {MAX_MEGABYTES:,}), "
    "with a message.",
)
@click.option(
    "--part-size",
    type=float,
    default=None,
    help="Check a text or Markdown file longer than this many million characters in parts "
    f"that end at paragraph breaks, one report each (default 1, at most {MAX_MEGABYTES:,}).",
)
@click.option(
    "--output-parquet",
    type=click.Path(file_okay=False),
    default=None,
    help="Write one row per claim as a Parquet dataset in DIR instead of a report "
    "(needs hedgecheck[dask]). The dataset is written beside DIR and renamed into place; "
    "an existing non-empty DIR is refused unless --replace-parquet.",
)
@click.option(
    "--replace-parquet",
    is_flag=True,
    help="With --output-parquet: replace the dataset already in DIR (a folder holding "
    "anything but Parquet files is never replaced).",
)
@click.option(
    "--dask",
    "dask_scheduler",
    metavar="SCHEDULER",
    default=None,
    help="With --output-parquet: run on this Dask scheduler (tcp://host:8786), or 'local' "
    "for a local cluster.",
)
@click.option(
    "--on-rule-timeout",
    type=click.Choice(ON_RULE_TIMEOUT),
    default=None,
    help="When a rule's pattern runs past the match timeout or its time budget: go on "
    "without the rule (skip, the default; the run still exits 2) or stop the run at once.",
)
@click.option(
    "--rule-budget",
    multiple=True,
    metavar="KEY=SECONDS",
    help="Seconds of matching one rule of a pack you add may spend on a file (file, default "
    f"{RuleBudget().file:g}) and over the run (run, default {RuleBudget().run:g}), and all "
    f"of them together (scan, default {RuleBudget().scan:g}); a rule over its budget is "
    "switched off, named, and the run exits 2. Repeatable: --rule-budget file=2.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress and no notes on stderr.")
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Name the config and each file on stderr; the text format adds the report card and "
    "every claim with its cues and weights.",
)
@_rules_option
def scan(paths: tuple[str, ...], rule_paths: tuple[str, ...], **options: Any) -> None:
    """Label every claim in PATHS (files, folders, or - for standard input).

    Exit codes: 0 nothing at or above the --fail-on / --fail-on-label thresholds; 1 something
    is; 2 usage, configuration, input or output error (the other files are still checked);
    130, 129, 143 stopped by SIGINT (Ctrl-C), SIGHUP, SIGTERM; 141 standard output closed
    early.
    """
    from hedgecheck.formats import FORMATS, recorder
    from hedgecheck.outputs import STDIO
    from hedgecheck.scanning import Recorded, ScanJob, discover, scan_files, scan_records

    config = _config(paths, options)
    if options["dask_scheduler"] and not options["output_parquet"]:
        _fail(click.UsageError("--dask needs --output-parquet DIR"))
    if options["replace_parquet"] and not options["output_parquet"]:
        _fail(click.UsageError("--replace-parquet needs --output-parquet DIR"))
    if options["output"] and options["output_parquet"]:
        _fail(click.UsageError("--output and --output-parquet cannot be used together"))
    if options["output_parquet"]:
        extra = (*map(str, config.rule_paths), *rule_paths)
        _refuse_inputs(options["output_parquet"], paths, extra, config, options, "--output-parquet")
        _scan_to_parquet(paths, extra, options)
        sys.exit(EXIT_OK)
    job = ScanJob(config, rule_paths, options["input_format"] or config.input_format)
    rules = _load((*map(str, config.rule_paths), *rule_paths), quiet=options["quiet"])
    _refuse_unknown_selectors(config, options, rules)
    files, problems = discover(paths, config)
    if options["output"] and options["output"] != STDIO:
        extra = (*map(str, config.rule_paths), *rule_paths)
        _refuse_inputs(options["output"], (*paths, *files), extra, config, options, "--output")
    for problem in problems:
        _say(f"error: {problem}")
    quiet, verbose = options["quiet"], options["verbose"] and not options["quiet"]
    if verbose:
        _say(f"config: {config.path or 'none (defaults)'}")
    failed = bool(problems)
    use_color = _use_color(options["color"], options["output"])
    name = options["output_format"]
    chosen = FORMATS[name]
    # A streaming format writes each report as it arrives, from its record (made where the
    # file was checked); the others need every report.
    detail = {"verbose": options["verbose"]}
    stream = chosen.stream(color=use_color, rules=rules, **detail) if chosen.stream else None
    outcomes: Generator[Report | Recorded | InputError, None, None] = (
        scan_records(
            files,
            rules,
            job,
            recorder=partial(recorder, name, use_color, **detail),
            jobs=options["jobs"],
        )
        if stream
        else scan_files(files, rules, job, jobs=options["jobs"])
    )
    reports: list[Report] = []
    tally = GateTally()
    # Closed however the block ends, so that its worker processes end with it.
    with (
        contextlib.closing(outcomes),
        _output(options["output"], color=use_color) as write,
        _progress(len(files), enabled=not quiet and not verbose) as progress,
    ):
        if stream:
            write(stream.begin())
        for outcome in outcomes:
            part = None if isinstance(outcome, InputError) else outcome.part
            if part is None or part.index == part.count:
                progress.update(1)
            if isinstance(outcome, InputError):
                _say(f"error: {outcome}")
                failed = True
                continue
            for warning in outcome.warnings:
                _say(f"warning: {warning}")
            for error in outcome.errors:
                _say(f"error: {error}")
            if outcome.errors and config.on_rule_timeout == "stop":
                _say("stopping (--on-rule-timeout stop)")
                sys.exit(EXIT_ERROR)
            failed = failed or bool(outcome.errors)
            if verbose:
                _say_checked(outcome)
            if isinstance(outcome, Recorded):
                tally.add_ranks(outcome.worst_severity, outcome.label_gate)
                write(stream.add_record(outcome.record))  # type: ignore[union-attr]
            else:
                tally.add(outcome)
                reports.append(outcome)
        if stream:
            for piece in stream.end_pieces():
                write(piece)
        else:
            write(chosen.render(reports, color=use_color, rules=rules, verbose=options["verbose"]))
    sys.exit(EXIT_ERROR if failed else tally.exit_code(config))


def _say_checked(outcome: Report | Recorded) -> None:
    part = outcome.part
    where = f" (part {part.index} of {part.count})" if part else ""
    from hedgecheck.scanning import Recorded

    claims = outcome.claim_count if isinstance(outcome, Recorded) else len(outcome.claims)
    _say(f"checked {outcome.path}{where}: {claims} claim(s)")


def _refuse_inputs(
    output: str,
    inputs: tuple[str, ...],
    rule_paths: tuple[str, ...],
    config: Config,
    options: dict[str, Any],
    option: str,
) -> None:
    """No output may be an input (a scanned file, standard input, a rule pack, the config),
    nor, unless --allow-output-in-input, lie in a scanned folder or a folder of packs."""
    from hedgecheck.outputs import STDIO, refuse_inputs

    read = (*inputs, *rule_paths, *([str(config.path)] if config.path else []))
    refuse_inputs(
        output,
        files=read,
        folders=[p for p in read if p != STDIO and Path(p).is_dir()],
        option=option,
        allow_in_folders=options["allow_output_in_input"],
    )


def _scan_to_parquet(
    paths: tuple[str, ...], rule_paths: tuple[str, ...], options: dict[str, Any]
) -> None:
    """The claim table of ``hedgecheck.dask.scan`` written as Parquet, on a Dask cluster."""
    try:
        import distributed  # noqa: F401  (needed by --dask; named here if missing)

        import hedgecheck.dask as hedgecheck_dask
        from hedgecheck.outputs import refuse_dataset_target, write_dataset
    except ImportError as exc:
        _fail(HedgecheckError(f"--output-parquet needs hedgecheck[dask] ({exc.name} missing)"))
    _load(rule_paths)  # a bad pack is reported before any cluster starts
    folder = options["output_parquet"]
    refuse_dataset_target(folder, replace=options["replace_parquet"])  # before any cluster
    with _dask_client(options["dask_scheduler"]):
        frame = hedgecheck_dask.scan(list(paths), rules=rule_paths)
        write_dataset(
            folder,
            lambda into: frame.to_parquet(into, write_index=False),
            replace=options["replace_parquet"],
        )
    _say(f"wrote the claims to {folder}")


@contextlib.contextmanager
def _dask_client(scheduler: str | None) -> Iterator[None]:
    """A client of ``scheduler`` ("local": a cluster of this machine's cores) while the
    block runs; a scheduler that cannot be reached is an error naming it."""
    if not scheduler:
        yield
        return
    from distributed import Client, LocalCluster

    cluster = LocalCluster(processes=True) if scheduler == "local" else None
    try:
        client = Client(cluster if cluster is not None else scheduler, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        if cluster is not None:
            cluster.close()
        reason = str(exc) or f"no answer in {DASK_CONNECT_TIMEOUT} s"
        raise HedgecheckError(f"cannot reach the Dask scheduler {scheduler!r}: {reason}") from None
    try:
        yield
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@main.command(name="explain")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--input-format", type=_LazyChoice(_input_formats), default=None)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, exists=True),
    help="Configuration file (default: the nearest one, as for scan).",
)
@click.option(
    "--fail-on-label",
    type=click.Choice(FAIL_ON_LABEL),
    default=None,
    help="Explain the label gate's LBL001 findings for this label too.",
)
@_rules_option
def explain_command(
    file: str,
    input_format: str | None,
    config_path: str | None,
    fail_on_label: str | None,
    rule_paths: tuple[str, ...],
) -> None:
    """Show why each finding in FILE fired and how to suppress it, and why each claim got its
    label: cues, their scopes, and the score trail. The config applies as it does to scan."""
    from hedgecheck.api import check
    from hedgecheck.budget import ScanBudget
    from hedgecheck.documents import format_for_path
    from hedgecheck.explain import explain
    from hedgecheck.formats._safe import TEXT, guard
    from hedgecheck.scanning import read_source

    options = {**_EXPLAIN_DEFAULTS, "config_path": config_path, "fail_on_label": fail_on_label}
    config = _config((file,), options)
    rules = _load((*map(str, config.rule_paths), *rule_paths))
    _refuse_unknown_selectors(config, options, rules)
    read = read_source(file, max_bytes=config.max_bytes)
    if isinstance(read, InputError):
        _fail(read)
    for warning in read.warnings:
        _say(f"warning: {warning}")
    source = read.text
    fmt = input_format or config.input_format
    if fmt == "auto":
        fmt = "text" if file == "-" else format_for_path(file)
    report = check(
        source,
        rules=rules,
        path=file,
        format=fmt,
        policy=config.policy_for(file),
        budget=ScanBudget(config.rule_budget),
    )
    for error in report.errors:
        _say(f"error: {error}")
    click.echo(guard(explain(report, source, rules), TEXT), nl=False)
    if report.errors:
        sys.exit(EXIT_ERROR)


# The scan options that explain does not offer, at their defaults, for _config.
_EXPLAIN_DEFAULTS: dict[str, Any] = {
    "select": (),
    "ignore": (),
    "report_unused_suppressions": None,
    "fail_on": None,
    "include": (),
    "exclude": (),
    "max_file_size": None,
    "part_size": None,
    "on_rule_timeout": None,
    "rule_budget": (),
}


@main.command(name="evaluate")
@click.argument("task", type=_LazyChoice(_task_names))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--predictions",
    type=click.Path(dir_okay=False, writable=True),
    help='Write one JSON line per item: {"id", "prediction"}.',
)
@_rules_option
def evaluate_command(
    task: str, file: str, predictions: str | None, rule_paths: tuple[str, ...]
) -> None:
    """Score TASK predictions on a labelled JSON-lines FILE and print the metrics as JSON."""
    from hedgecheck.evaluate import evaluate
    from hedgecheck.formats._safe import JSON, guard
    from hedgecheck.outputs import refuse_inputs, text_writer

    if predictions:
        refuse_inputs(predictions, files=(file, *rule_paths), option="--predictions")
    rules = _load(rule_paths)
    try:
        result = evaluate(task, file, rules=rules)
    except HedgecheckError as exc:
        _fail(exc)
    for problem in result.problems:
        _say(f"skipped: {problem}")
    if predictions:
        with text_writer(predictions) as write:
            for row in result.predictions:
                write(guard(json.dumps(row, ensure_ascii=False), JSON) + "\n")
    click.echo(guard(json.dumps(result.metrics, indent=2, sort_keys=True), JSON))
    sys.exit(EXIT_ERROR if result.problems else EXIT_OK)


class _RulesGroup(click.Group):
    """``hedgecheck rules`` lists, ``rules ID`` documents one rule, ``rules test`` checks packs."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # The first argument that is no option (nor the value of --rules) names a
        # subcommand or a rule: `rules --rules house.toml HSE001` documents a house rule.
        index = 0
        while index < len(args) and args[index].startswith("-"):
            index += 2 if args[index] == "--rules" else 1
        if index < len(args) and args[index] not in self.commands:
            args = [*args[:index], "show", *args[index:]]
        return super().parse_args(ctx, args)


@main.group(name="rules", cls=_RulesGroup, invoke_without_command=True)
@_rules_option
@click.pass_context
def rules_command(ctx: click.Context, rule_paths: tuple[str, ...]) -> None:
    """List the loaded rules and article checks (id, category, severity, summary);
    RULE_ID documents one. The packs of the config file found from the current folder
    are loaded too, as a scan from here would load them."""
    ctx.obj = (*_config_packs(), *rule_paths)
    rule_paths = ctx.obj
    if ctx.invoked_subcommand is None:
        from hedgecheck.formats._safe import safe_line
        from hedgecheck.gate import BUILTIN

        rules = _load(rule_paths)
        for rule in rules.rules:
            severity = rule.severity or "-"
            click.echo(
                safe_line(
                    f"{rule.id}  {rule.category:<11} {severity:<8} {rule.name:<28} {rule.summary}"
                )
            )
        for check in rules.checks:
            click.echo(
                safe_line(
                    f"{check.id}  {'check':<11} {check.severity:<8} {check.name:<28} "
                    f"{check.summary}"
                )
            )
        for own in BUILTIN.values():
            click.echo(
                safe_line(
                    f"{own.id}  {own.category:<11} {own.severity.value:<8} {own.name:<28} "
                    f"{own.summary}"
                )
            )


@rules_command.command(name="show", hidden=True)
@click.argument("rule_id")
@_rules_option
@click.pass_obj
def rules_show(given: tuple[str, ...], rule_id: str, rule_paths: tuple[str, ...]) -> None:
    """Document one rule or check: summary, why, settings, examples, source."""
    from hedgecheck.formats._safe import TEXT, guard
    from hedgecheck.gate import BUILTIN

    rules = _load((*given, *rule_paths))
    rule = rules.get(rule_id.upper())
    check = next((c for c in rules.checks if c.id == rule_id.upper()), None)
    if rule is not None:
        click.echo(guard(_rule_doc(rule), TEXT))
    elif check is not None:
        click.echo(guard(_check_doc(check), TEXT))
    elif rule_id.upper() in BUILTIN:
        click.echo(guard(_builtin_doc(BUILTIN[rule_id.upper()]), TEXT))
    else:
        _fail(HedgecheckError(f"no rule {rule_id!r}; `hedgecheck rules` lists them"))


@rules_command.command(name="test")
@click.argument("packs", nargs=-1, type=click.Path(exists=True))
@_rules_option
@click.pass_obj
def rules_test(given: tuple[str, ...], packs: tuple[str, ...], rule_paths: tuple[str, ...]) -> None:
    """Run the match / no-match examples of PACKS (default: every loaded rule).

    Each example is reported as Validated, False positive or Missed; the exit code is 1 when
    any example fails. A missed match that another rule took names that rule and pattern.
    """
    from hedgecheck.formats._safe import safe_line
    from hedgecheck.ruleset import default_rules_path
    from hedgecheck.ruletest import FALSE_POSITIVE, MISSED, run_check_examples, run_examples

    rule_paths = (*given, *rule_paths)
    shipped = default_rules_path().resolve()
    extra = [p for p in packs if shipped not in (Path(p).resolve(), *Path(p).resolve().parents)]
    rules = _load((*rule_paths, *extra))
    chosen = {str(Path(p).resolve()) for p in packs}
    only = [r for r in rules.rules if not chosen or _in_packs(r.file, chosen)]
    results = run_examples(rules, only=only)
    for result in results:
        if not result.ok:
            click.echo(safe_line(_example_failure(result)))
    checks = [c for c in rules.checks if not chosen or _in_packs(c.file, chosen)]
    check_results = run_check_examples(rules, only=checks)
    for outcome in check_results:
        if not outcome.ok:
            expected = "raise" if outcome.expected else "not raise"
            click.echo(
                safe_line(
                    f"{outcome.check.file}: {outcome.check.id} {_STATUS[outcome.status]}: "
                    f"{outcome.text!r} should {expected} it"
                )
            )
    statuses = [r.status for r in results] + [r.status for r in check_results]
    counts = {status: statuses.count(status) for status in _STATUS}
    click.echo(
        f"{len(only)} rule(s), {len(checks)} check(s), {len(statuses)} example(s): "
        + ", ".join(f"{counts[s]} {_STATUS[s].lower()}" for s in _STATUS)
    )
    sys.exit(EXIT_GATE if counts[MISSED] or counts[FALSE_POSITIVE] else EXIT_OK)


# ruletest's statuses (VALIDATED, FALSE_POSITIVE, MISSED), as the report names them.
_STATUS = {"validated": "Validated", "false-positive": "False positive", "missed": "Missed"}


def _example_failure(result: ExampleResult) -> str:
    """One failed example; a missed match names the rule that took it, with its pattern."""
    text = result.example.text
    from hedgecheck.ruleset import pattern_of

    marked = [text[s:e] for s, e in result.example.spans]
    head = f"{result.rule.file}: {result.rule.id} {_STATUS[result.status]}: {text!r}"
    if not result.taken_by:
        found = list(result.found) or "nothing"
        return f"{head} (expected {marked or 'no match'}, found {found})"
    takers = "; ".join(
        f"{m.rule.id} took the match ({m.text!r}, {m.rule.category}, pattern "
        f"{pattern_of(m, text)!r}, from {m.rule.file})"
        for m in result.taken_by
    )
    found = f", found {list(result.found)}" if result.found else ""
    return f"{head} (expected {marked}{found}): {takers}"


def _config_packs() -> tuple[str, ...]:
    """The ``rules`` of the config file found from the current folder."""
    from hedgecheck.config import find_config, load_config

    try:
        found = find_config(Path.cwd())
        return tuple(map(str, load_config(found).rule_paths)) if found else ()
    except HedgecheckError as exc:
        _fail(exc)


def _in_packs(file: str, chosen: set[str]) -> bool:
    """Whether a rule's file is one of the packs (or in one of the folders) asked for."""
    path = Path(file).resolve()
    return str(path) in chosen or str(path.parent) in chosen


def _check_doc(check: Check) -> str:
    return "\n".join(
        [
            f"{check.id} {check.name} ({check.pack}, article check, {check.severity})",
            "",
            "## What it does",
            check.summary,
            "",
            "## Why",
            check.why,
            "",
            "## Message",
            check.message,
            *(["", "## Suggestion", check.suggestion] if check.suggestion else []),
            "",
            "## Examples",
            *(f"  + {text!r}" for text in check.raise_examples),
            *(f"  - {text!r}" for text in check.pass_examples),
            "",
            "## Source",
            check.source,
        ]
    )


def _builtin_doc(own: Builtin) -> str:
    return "\n".join(
        [
            f"{own.id} {own.name} (hedgecheck, {own.category}, {own.severity.value})",
            "",
            "## What it does",
            own.summary,
            "",
            "## Why",
            own.why,
            "",
            "## Suggestion",
            own.suggestion,
            "",
            "## Source",
            own.source,
        ]
    )


def _rule_doc(rule: Rule) -> str:
    examples = [f"  + {e.text}" for e in rule.match_examples]
    examples += [f"  - {e.text}" for e in rule.no_match_examples]
    settings = f"category {rule.category}, weight {rule.weight:+g}, direction {rule.direction}"
    if rule.max_scope:
        settings += f" ({rule.max_scope} tokens)"
    if rule.cap:
        settings += f", caps the label at {rule.cap}"
    if rule.relation:
        settings += f", also states a {rule.relation} relation"
    return "\n".join(
        [
            f"{rule.id} {rule.name} ({rule.pack})",
            "",
            "## What it does",
            rule.summary,
            "",
            "## Why",
            rule.why,
            "",
            "## Settings",
            settings,
            "",
            "## Examples",
            *examples,
            "",
            "## Source",
            rule.source,
        ]
    )


_stopped_by: int | None = None  # the stop signal received, if any


def _stop_on_signals() -> None:
    """Ctrl-C (SIGINT), SIGTERM and SIGHUP end the run at once with the shell's code for the
    signal (128 + its number) and no traceback. ``finally`` blocks still run: the workers
    are killed and reaped, and a half-written --output file is removed. A second signal is
    ignored, so it cannot cut that clean-up short (which takes well under a second). The
    handlers in place before are put back when the command ends, so a program that runs the
    command in its own process (a test's CliRunner) keeps its own handling of its signals."""
    if threading.current_thread() is not threading.main_thread():
        return
    previous = {stop_signal: signal.getsignal(stop_signal) for stop_signal in STOP_SIGNALS}
    click.get_current_context().call_on_close(lambda: _restore_handlers(previous))

    def stop(signum: int, frame: object) -> None:
        global _stopped_by
        _stopped_by = signum
        for stop_signal in STOP_SIGNALS:
            signal.signal(stop_signal, signal.SIG_IGN)
        # The report on standard output is cut short anyway; what is still buffered must
        # not hold up the exit on a pipe that nobody reads.
        _silence_stdout()
        raise SystemExit(EXIT_SIGNALLED + signum)

    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, stop)


def _restore_handlers(handlers: dict[int, Any]) -> None:
    for signum, handler in handlers.items():
        if handler is not None:  # None: set outside Python, and cannot be set back from it
            signal.signal(signum, handler)


def _config(paths: tuple[str, ...], options: dict[str, Any]) -> Config:
    """The configuration file's settings, with the command line's on top."""
    from dataclasses import replace

    from hedgecheck.config import Config, find_config, load_config
    from hedgecheck.findings import FindingPolicy
    from hedgecheck.scanning import scanned_folders

    try:
        if options["config_path"]:
            config = load_config(Path(options["config_path"]))
        else:
            first = next((Path(p) for p in paths if p != "-"), Path.cwd())
            found = find_config(first)
            config = load_config(found) if found else Config()
    except HedgecheckError as exc:
        _fail(exc)
    max_bytes = _megabytes(options, "max_file_size", "megabytes") or config.max_bytes
    part_chars = _megabytes(options, "part_size", "million characters") or config.part_chars
    cli_policy = FindingPolicy.build(
        select=options["select"],
        ignore=options["ignore"],
        report_unused_suppressions=bool(options["report_unused_suppressions"]),
    )
    return replace(
        config,
        policy=config.policy.merged(cli_policy),
        fail_on=options["fail_on"] or config.fail_on,
        fail_on_label=options["fail_on_label"] or config.fail_on_label,
        include=config.include + options["include"],
        exclude=config.exclude + options["exclude"],
        folders=scanned_folders(paths),
        max_bytes=max_bytes,
        on_rule_timeout=options["on_rule_timeout"] or config.on_rule_timeout,
        part_chars=part_chars,
        rule_budget=_rule_budget(options["rule_budget"], config.rule_budget),
    )


def _rule_budget(given: tuple[str, ...], base: RuleBudget) -> RuleBudget:
    """The config's rule budget with each --rule-budget KEY=SECONDS on top."""
    from dataclasses import replace

    changes: dict[str, float] = {}
    for item in given:
        key, sign, value = item.partition("=")
        if key not in BUDGET_KEYS or not sign:
            _fail(
                UsageError(
                    f"--rule-budget {item!r}: expected KEY=SECONDS, KEY one of "
                    f"{', '.join(BUDGET_KEYS)}"
                )
            )
        try:
            changes[key] = seconds(float(value))
        except ValueError as exc:
            _fail(UsageError(f"--rule-budget {item!r}: {exc}"))
    return replace(base, **changes)


def _refuse_unknown_selectors(config: Config, options: dict[str, Any], rules: RuleSet) -> None:
    """A selector in --select / --ignore or in the config's select, ignore, [severity] or
    overrides that names no rule, check or category is an error naming it: a typo would
    otherwise silently select or ignore nothing."""
    from hedgecheck.selectors import Vocabulary

    vocabulary = Vocabulary.of(rules)
    for option in ("select", "ignore"):
        for selector in vocabulary.unknown(options[option]):
            _fail(UsageError(f"--{option} {selector!r}: {_NAMES_NOTHING}"))
    # The command line's selectors are known by now, so any left came from the config file.
    keyed = [
        *((key, s) for key in ("select", "ignore") for s in getattr(config.policy, key)),
        *((f"severity.{s}", s) for s, _ in config.policy.severity),
        *(
            (f"overrides[{n}].{key}", s)
            for n, override in enumerate(config.overrides)
            for key in ("select", "ignore")
            for s in getattr(override.policy, key)
        ),
        *(
            (f"overrides[{n}].severity.{s}", s)
            for n, override in enumerate(config.overrides)
            for s, _ in override.policy.severity
        ),
    ]
    prefix = "tool.hedgecheck." if config.path and config.path.name == "pyproject.toml" else ""
    for key, selector in keyed:
        if not vocabulary.names(selector):
            where = str(config.path) if config.path else ""
            _fail(ConfigError(f"{selector!r}: {_NAMES_NOTHING}", path=where, key=prefix + key))


_NAMES_NOTHING = "names no rule id, id prefix, rule name or category (see hedgecheck rules)"


def _megabytes(options: dict[str, Any], key: str, unit: str) -> int | None:
    """A size option in bytes (or characters), or None when it was not given."""
    from hedgecheck.config import megabytes

    value = options.get(key)
    if value is None:
        return None
    try:
        return megabytes(value, unit=unit)
    except ValueError as exc:
        _fail(UsageError(f"--{key.replace('_', '-')}: {exc}"))


class GateTally:
    """What the gate needs from the reports seen so far: the highest finding severity and
    whether a label-gate finding was reported. A scan adds each report as it goes and keeps
    none of them."""

    def __init__(self) -> None:
        self.worst_severity: int | None = None
        self.label_gate = False

    def add(self, report: Report) -> None:
        from hedgecheck.scanning import gate_ranks

        self.add_ranks(*gate_ranks(report))

    def add_ranks(self, worst_severity: int | None, label_gate: bool) -> None:
        """A report's most severe finding, as a rank, and whether the label gate failed it."""
        if worst_severity is not None and (
            self.worst_severity is None or worst_severity > self.worst_severity
        ):
            self.worst_severity = worst_severity
        self.label_gate = self.label_gate or label_gate

    def exit_code(self, config: Config) -> int:
        """1 when a finding crosses --fail-on or the label gate reported a claim, else 0.
        The label gate was asked for by name, so its findings fail the run whatever
        --fail-on says; suppressing or ignoring them is how to let a claim through."""
        from hedgecheck.model import Severity

        worst = self.worst_severity
        if (
            config.fail_on != "never"
            and worst is not None
            and worst >= Severity(config.fail_on).rank
        ):
            return EXIT_GATE
        return EXIT_GATE if self.label_gate else EXIT_OK


def gate(reports: list[Report], config: Config) -> int:
    """1 when a finding or an article label crosses the configured threshold, else 0."""
    tally = GateTally()
    for report in reports:
        tally.add(report)
    return tally.exit_code(config)


def _progress(total: int, *, enabled: bool) -> Any:
    """A progress bar on a terminal's stderr for multi-file scans; silent otherwise."""
    show = enabled and total > 1 and sys.stderr.isatty()
    return click.progressbar(
        length=total, file=sys.stderr if show else io.StringIO(), label="checking"
    )


def _use_color(flag: bool | None, output: str | None) -> bool:
    if flag is not None:
        return flag
    from hedgecheck.outputs import STDIO

    to_stdout = output is None or output == STDIO
    return to_stdout and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@contextlib.contextmanager
def _output(output: str | None, *, color: bool = False) -> Iterator[Callable[[str], object]]:
    """A writer to standard output (no FILE, or -), or to FILE as ``hedgecheck.outputs``
    writes it: a file is replaced atomically when the block ends without an exception, so
    no half-written report is left."""
    from hedgecheck.outputs import STDIO, text_writer

    if not output or output == STDIO:
        stdout = _WholeWrites()
        yield lambda chunk: click.echo(chunk, nl=False, color=color, file=stdout) if chunk else None
        return
    with text_writer(output) as write:
        yield write


class _WholeWrites:
    """Standard output that writes the whole of every chunk. An unbuffered one
    (PYTHONUNBUFFERED=1, common in CI images) silently drops the rest of a chunk the system
    took only part of, as when the reader of a pipe goes away: the run would end 0 with half
    a report instead of with the closed pipe's error."""

    def write(self, text: str) -> int:
        stream = sys.stdout
        raw = getattr(stream, "buffer", None)
        if not isinstance(raw, io.RawIOBase):
            return stream.write(text)  # a buffered stream writes everything or raises
        stream.flush()
        view = memoryview(text.encode(stream.encoding, stream.errors or "strict"))
        while view:
            written = raw.write(view)
            if written is None:  # a non-blocking descriptor that is full for now
                select.select([], [raw], [])
                continue
            view = view[written:]
        return len(text)

    def flush(self) -> None:
        sys.stdout.flush()


def _load(rule_paths: tuple[str, ...], *, quiet: bool = False) -> RuleSet:
    from hedgecheck.loader import default_rules, load_rules

    try:
        with _library_notes(quiet=quiet):
            rules = (
                load_rules(*rule_paths, include_defaults=True) if rule_paths else default_rules()
            )
    except HedgecheckError as exc:
        _fail(exc)
    for warning in rules.warnings:
        _say(f"warning: {warning}")
    return rules


class _SayHandler(logging.Handler):
    """The library's notes (a rule cache build that takes a while) as lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(OSError):
            _say(record.getMessage())


@contextlib.contextmanager
def _library_notes(*, quiet: bool) -> Iterator[None]:
    """While the block runs, the ``hedgecheck`` logger's INFO notes are said on stderr
    (the library prints nothing itself); with ``quiet``, nothing is."""
    if quiet:
        yield
        return
    logger = logging.getLogger("hedgecheck")
    handler, level = _SayHandler(logging.INFO), logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _fail(exc: Exception) -> NoReturn:
    with contextlib.suppress(OSError):  # a closed or full stderr cannot be told either
        _say(f"error: {exc}")
    sys.exit(EXIT_ERROR)


def _os_failure(exc: OSError) -> NoReturn:
    """An OSError that reached the top. Files are read and written by code that names
    them, so one without a file name came from writing standard output: closed early by
    its reader (quiet), or full or failing (named)."""
    if exc.filename is not None:
        _fail(HedgecheckError(f"{exc.filename}: {exc.strerror or exc}"))
    _silence_stdout()
    if exc.errno == errno.EPIPE:
        sys.exit(EXIT_CLOSED_PIPE)
    _fail(OutputError(f"cannot write: {exc.strerror or exc}", path="standard output"))


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the text still waiting in its
    buffer does not fail again, with a traceback and exit 120, in Python's last flush."""
    with contextlib.suppress(AttributeError, ValueError, OSError):  # not a real file
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def _say(message: str) -> None:
    """One line on stderr. Messages quote file names and input, so every control and line
    break in them is shown as an escape: none can reach the terminal or start a line."""
    from hedgecheck.formats._safe import safe_line

    click.echo(safe_line(f"hedgecheck: {message}"), err=True)
