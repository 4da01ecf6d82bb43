"""The command line: a thin click layer over the library.

Exit codes: 0 success; 2 usage, rule-pack or input error (the rest of the files are still
checked and reported before exiting with 2).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from hedgecheck import __version__
from hedgecheck.api import check
from hedgecheck.documents import INPUT_FORMATS, format_for_path
from hedgecheck.errors import HedgecheckError, InputError
from hedgecheck.evaluate import TASKS, evaluate
from hedgecheck.formats import FORMATS, render
from hedgecheck.model import Report
from hedgecheck.rules import Rule, RuleSet, default_rules, load_rules

SCAN_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm")
EXIT_OK = 0
EXIT_ERROR = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hedgecheck")
def main() -> None:
    """Check science and health writing for hedging, evidence and overclaiming."""


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
    type=click.Choice(sorted(FORMATS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the report to FILE instead of standard output.",
)
@click.option("--color/--no-color", default=None, help="Colour the text format.")
@click.option(
    "--input-format",
    type=click.Choice(["auto", *INPUT_FORMATS]),
    default="auto",
    show_default=True,
    help="How to read the inputs; auto goes by extension (.md, .markdown, .html, .htm; "
    "anything else and - are plain text).",
)
@_rules_option
def scan(
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    color: bool | None,
    input_format: str,
    rule_paths: tuple[str, ...],
) -> None:
    """Label every claim in PATHS (files, folders, or - for standard input)."""
    rules = _load(rule_paths)
    reports: list[Report] = []
    failed = False
    for name, text in _inputs(paths):
        if isinstance(text, InputError):
            click.echo(f"hedgecheck: error: {text}", err=True)
            failed = True
            continue
        fmt = input_format if input_format != "auto" else _format_of(name)
        reports.append(check(text, rules=rules, path=name, format=fmt))
    use_color = (color if color is not None else sys.stdout.isatty()) and output is None
    rendered = render(output_format, reports, color=bool(use_color))
    if output:
        Path(output).write_text(rendered, encoding="utf-8")
    else:
        click.echo(rendered, nl=False)
    sys.exit(EXIT_ERROR if failed else EXIT_OK)


@main.command(name="evaluate")
@click.argument("task", type=click.Choice(sorted(TASKS)))
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
    rules = _load(rule_paths)
    try:
        result = evaluate(task, file, rules=rules)
    except HedgecheckError as exc:
        _fail(exc)
    for problem in result.problems:
        click.echo(f"hedgecheck: skipped: {problem}", err=True)
    if predictions:
        with open(predictions, "w", encoding="utf-8") as handle:
            for row in result.predictions:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    click.echo(json.dumps(result.metrics, indent=2, sort_keys=True))
    sys.exit(EXIT_ERROR if result.problems else EXIT_OK)


@main.command(name="rules")
@click.argument("rule_id", required=False)
@_rules_option
def rules_command(rule_id: str | None, rule_paths: tuple[str, ...]) -> None:
    """List the loaded rules, or show one rule's documentation."""
    rules = _load(rule_paths)
    if rule_id is None:
        for rule in rules.rules:
            click.echo(f"{rule.id}  {rule.category:<11} {rule.name:<32} {rule.summary}")
        return
    rule = rules.get(rule_id.upper())
    if rule is None:
        _fail(HedgecheckError(f"no rule {rule_id!r}; `hedgecheck rules` lists them"))
    click.echo(_rule_doc(rule))


def _rule_doc(rule: Rule) -> str:
    examples = [f"  + {e.text}" for e in rule.match_examples]
    examples += [f"  - {e.text}" for e in rule.no_match_examples]
    settings = f"category {rule.category}, weight {rule.weight:+g}, direction {rule.direction}"
    if rule.max_scope:
        settings += f" ({rule.max_scope} tokens)"
    if rule.cap:
        settings += f", caps the label at {rule.cap}"
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


def _format_of(name: str) -> str:
    return "text" if name == "-" else format_for_path(name)


def _load(rule_paths: tuple[str, ...]) -> RuleSet:
    try:
        return load_rules(*rule_paths, include_defaults=True) if rule_paths else default_rules()
    except HedgecheckError as exc:
        _fail(exc)


def _fail(exc: Exception) -> None:
    click.echo(f"hedgecheck: error: {exc}", err=True)
    sys.exit(EXIT_ERROR)


def _inputs(paths: tuple[str, ...]) -> Iterator[tuple[str, str | InputError]]:
    for raw in paths:
        if raw == "-":
            yield "-", sys.stdin.read()
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SCAN_EXTENSIONS
            )
            for file in files:
                yield str(file), _read(file)
        else:
            yield raw, _read(path)


def _read(path: Path) -> str | InputError:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read().removeprefix("\ufeff")
    except FileNotFoundError:
        return InputError("no such file", path=str(path))
    except IsADirectoryError:
        return InputError("is a directory", path=str(path))
    except UnicodeDecodeError as exc:
        return InputError(f"not UTF-8 text (byte {exc.start}: {exc.reason})", path=str(path))
    except OSError as exc:
        return InputError(f"cannot read: {exc.strerror}", path=str(path))
