"""``hedgecheck explain``: why each finding of one file fired, and each claim's score."""

from __future__ import annotations

import sys
from typing import Any

import click

from hedgecheck.cli.exits import EXIT_ERROR, fail, say
from hedgecheck.cli.options import (
    LazyChoice,
    config_from_options,
    input_formats,
    load_packs,
    refuse_unknown_selectors,
    rules_option,
)
from hedgecheck.errors import InputError
from hedgecheck.settings import FAIL_ON_LABEL


@click.command(name="explain")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--input-format", type=LazyChoice(input_formats), default=None)
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
@rules_option
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
    from hedgecheck.scanning import check_word_document, read_source

    options = {**_EXPLAIN_DEFAULTS, "config_path": config_path, "fail_on_label": fail_on_label}
    config = config_from_options((file,), options)
    rules = load_packs((*map(str, config.rule_paths), *rule_paths))
    refuse_unknown_selectors(config, options, rules)
    fmt = input_format or config.input_format
    if fmt == "auto":
        fmt = "text" if file == "-" else format_for_path(file)
    policy, budget = config.policy_for(file), ScanBudget(config.rule_budget)
    if fmt == "docx":
        # A Word document is read from its bytes; what is explained is the text it holds.
        word = check_word_document(
            file, rules, max_bytes=config.max_bytes, policy=policy, budget=budget
        )
        if isinstance(word, InputError):
            fail(word)
        report, source = word, word.source or ""
    else:
        read = read_source(file, max_bytes=config.max_bytes)
        if isinstance(read, InputError):
            fail(read)
        for warning in read.warnings:
            say(f"warning: {warning}")
        source = read.text
        report = check(source, rules=rules, path=file, format=fmt, policy=policy, budget=budget)
    for error in report.errors:
        say(f"error: {error}")
    click.echo(guard(explain(report, source, rules), TEXT), nl=False)
    if report.errors:
        sys.exit(EXIT_ERROR)


# The scan options that explain does not offer, at their defaults, for config_from_options.
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
