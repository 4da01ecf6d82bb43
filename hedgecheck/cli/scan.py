"""``hedgecheck scan``: label every claim of the files and write the report."""

from __future__ import annotations

import contextlib
import sys
from functools import partial
from typing import TYPE_CHECKING, Any

import click

from hedgecheck.budget import RuleBudget
from hedgecheck.cli.exits import EXIT_ERROR, EXIT_GATE, EXIT_OK, say
from hedgecheck.cli.options import (
    LazyChoice,
    config_from_options,
    format_names,
    input_formats,
    load_packs,
    refuse_unknown_selectors,
    rules_option,
)
from hedgecheck.cli.output import output_writer, progress_bar, refuse_output_in_inputs, wants_color
from hedgecheck.cli.parquet import refuse_parquet_misuse, scan_to_parquet
from hedgecheck.errors import InputError
from hedgecheck.settings import FAIL_ON, FAIL_ON_LABEL, MAX_MEGABYTES, ON_RULE_TIMEOUT

if TYPE_CHECKING:
    from hedgecheck.config import Config
    from hedgecheck.ruleset import RuleSet
    from hedgecheck.scanning import Recorded, ScanJob

MAX_JOBS = 1024


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=LazyChoice(format_names),
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
    type=LazyChoice(input_formats),
    default=None,
    help="How to read the inputs; auto (the default) goes by extension (.md, .markdown, "
    ".html, .htm, .docx; anything else and - are plain text).",
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
@rules_option
def scan(paths: tuple[str, ...], rule_paths: tuple[str, ...], **options: Any) -> None:
    """Label every claim in PATHS (files, folders, or - for standard input).

    Exit codes: 0 nothing at or above the --fail-on / --fail-on-label thresholds; 1 something
    is; 2 usage, configuration, input or output error (the other files are still checked);
    130, 129, 143 stopped by SIGINT (Ctrl-C), SIGHUP, SIGTERM; 141 standard output closed
    early.
    """
    from hedgecheck.outputs import STDIO
    from hedgecheck.scanning import ScanJob, discover

    config = config_from_options(paths, options)
    refuse_parquet_misuse(options)
    packs = (*map(str, config.rule_paths), *rule_paths)
    if options["output_parquet"]:
        target = options["output_parquet"]
        refuse_output_in_inputs(target, paths, packs, config, options, "--output-parquet")
        scan_to_parquet(paths, packs, options)
        sys.exit(EXIT_OK)
    rules = load_packs(packs, quiet=options["quiet"])
    refuse_unknown_selectors(config, options, rules)
    files, problems = discover(paths, config)
    if options["output"] and options["output"] != STDIO:
        inputs = (*paths, *files)
        refuse_output_in_inputs(options["output"], inputs, packs, config, options, "--output")
    for problem in problems:
        say(f"error: {problem}")
    if options["verbose"] and not options["quiet"]:
        say(f"config: {config.path or 'none (defaults)'}")
    job = ScanJob(config, rule_paths, options["input_format"] or config.input_format)
    failed, tally = _write_reports(files, rules, job, options)
    sys.exit(EXIT_ERROR if failed or problems else tally.exit_code(config))


def _write_reports(
    files: list[str], rules: RuleSet, job: ScanJob, options: dict[str, Any]
) -> tuple[bool, GateTally]:
    """Checks ``files`` and writes each report as it comes, in the chosen format; whether a
    file failed, and what the gate needs."""
    from hedgecheck.formats import FORMATS, recorder
    from hedgecheck.scanning import scan_records

    color = wants_color(options["color"], options["output"])
    name, verbose = options["output_format"], options["verbose"]
    # Each report is written as it arrives, from its record (made where the file was
    # checked, in a worker with --jobs; here, piece by piece as it is written).
    stream = FORMATS[name].stream(color=color, rules=rules, verbose=verbose)
    outcomes = scan_records(
        files,
        rules,
        job,
        recorder=partial(recorder, name, color, verbose=verbose),
        jobs=options["jobs"],
    )
    quiet = options["quiet"]
    failed, tally = False, GateTally()
    # Closed however the block ends, so that its worker processes end with it.
    with (
        contextlib.closing(outcomes),
        output_writer(options["output"], color=color) as write,
        progress_bar(len(files), enabled=not quiet and not verbose) as progress,
    ):
        write(stream.begin())
        for outcome in outcomes:
            part = None if isinstance(outcome, InputError) else outcome.part
            if part is None or part.index == part.count:
                progress.update(1)
            if isinstance(outcome, InputError):
                say(f"error: {outcome}")
                failed = True
                continue
            failed = _say_outcome(outcome, job.config, verbose=verbose and not quiet) or failed
            tally.add_ranks(outcome.worst_severity, outcome.label_gate)
            for piece in stream.add_pieces(outcome.record):
                write(piece)
        for piece in stream.end_pieces():
            write(piece)
    return failed, tally


def _say_outcome(outcome: Recorded, config: Config, *, verbose: bool) -> bool:
    """Says a file's warnings and errors (and, ``verbose``, that it was checked); whether
    it failed. An error of a rule stops the run at once with --on-rule-timeout stop."""
    for warning in outcome.warnings:
        say(f"warning: {warning}")
    for error in outcome.errors:
        say(f"error: {error}")
    if outcome.errors and config.on_rule_timeout == "stop":
        say("stopping (--on-rule-timeout stop)")
        sys.exit(EXIT_ERROR)
    if verbose:
        part = outcome.part
        where = f" (part {part.index} of {part.count})" if part else ""
        say(f"checked {outcome.path}{where}: {outcome.claim_count} claim(s)")
    return bool(outcome.errors)


class GateTally:
    """What the gate needs from the reports seen so far: the highest finding severity and
    whether a label-gate finding was reported. A scan adds each file's as it goes, from its
    record, and keeps none of the reports."""

    def __init__(self) -> None:
        self.worst_severity: int | None = None
        self.label_gate = False

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
