"""``hedgecheck evaluate``: score a task's predictions on a labelled corpus."""

from __future__ import annotations

import sys

import click

from hedgecheck.cli.exits import EXIT_ERROR, EXIT_OK, fail, say
from hedgecheck.cli.options import LazyChoice, load_packs, rules_option, task_names
from hedgecheck.errors import HedgecheckError


@click.command(name="evaluate")
@click.argument("task", type=LazyChoice(task_names))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--predictions",
    type=click.Path(dir_okay=False, writable=True),
    help='Write one JSON line per item: {"id", "prediction"}.',
)
@rules_option
def evaluate_command(
    task: str, file: str, predictions: str | None, rule_paths: tuple[str, ...]
) -> None:
    """Score TASK predictions on a labelled JSON-lines FILE and print the metrics as JSON."""
    import json

    from hedgecheck.evaluate import evaluate
    from hedgecheck.formats._safe import JSON, guard
    from hedgecheck.outputs import refuse_inputs, text_writer

    if predictions:
        refuse_inputs(predictions, files=(file, *rule_paths), option="--predictions")
    rules = load_packs(rule_paths)
    try:
        result = evaluate(task, file, rules=rules)
    except HedgecheckError as exc:
        fail(exc)
    for problem in result.problems:
        say(f"skipped: {problem}")
    if predictions:
        with text_writer(predictions) as write:
            for row in result.predictions:
                write(guard(json.dumps(row, ensure_ascii=False), JSON) + "\n")
    click.echo(guard(json.dumps(result.metrics, indent=2, sort_keys=True), JSON))
    sys.exit(EXIT_ERROR if result.problems else EXIT_OK)
