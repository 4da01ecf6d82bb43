"""``hedgecheck rules``: list the rules, document one, run the packs' examples."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hedgecheck.cli.exits import EXIT_GATE, EXIT_OK, fail
from hedgecheck.cli.options import config_packs, load_packs, rules_option
from hedgecheck.errors import HedgecheckError

if TYPE_CHECKING:
    from hedgecheck.ruletest import ExampleResult


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


@click.group(name="rules", cls=_RulesGroup, invoke_without_command=True)
@rules_option
@click.pass_context
def rules_command(ctx: click.Context, rule_paths: tuple[str, ...]) -> None:
    """List the loaded rules and article checks (id, category, severity, summary);
    RULE_ID documents one. The packs of the config file found from the current folder
    are loaded too, as a scan from here would load them."""
    ctx.obj = (*config_packs(), *rule_paths)
    rule_paths = ctx.obj
    if ctx.invoked_subcommand is None:
        from hedgecheck.formats._safe import safe_line
        from hedgecheck.ruledoc import documents, listing_line

        for doc in documents(load_packs(rule_paths)):
            click.echo(safe_line(listing_line(doc)))


@rules_command.command(name="show", hidden=True)
@click.argument("rule_id")
@rules_option
@click.pass_obj
def rules_show(given: tuple[str, ...], rule_id: str, rule_paths: tuple[str, ...]) -> None:
    """Document one rule or check: summary, why, settings, examples, source."""
    from hedgecheck.formats._safe import TEXT, guard
    from hedgecheck.ruledoc import find, text

    doc = find(rule_id.upper(), load_packs((*given, *rule_paths)))
    if doc is None:
        fail(HedgecheckError(f"no rule {rule_id!r}; `hedgecheck rules` lists them"))
    click.echo(guard(text(doc), TEXT))


@rules_command.command(name="test")
@click.argument("packs", nargs=-1, type=click.Path(exists=True))
@rules_option
@click.pass_obj
def rules_test(given: tuple[str, ...], packs: tuple[str, ...], rule_paths: tuple[str, ...]) -> None:
    """Run the match / no-match examples of PACKS (default: every loaded rule).

    Each example is reported as Validated, False positive or Missed; the exit code is 1 when
    any example fails. A missed match that another rule took names that rule and pattern.
    """
    from hedgecheck.formats._safe import safe_line
    from hedgecheck.ruleset import default_rules_path
    from hedgecheck.ruletest import (
        FALSE_POSITIVE,
        MISSED,
        run_check_examples,
        run_examples,
        run_lexicon_examples,
        run_rewrite_examples,
    )

    rule_paths = (*given, *rule_paths)
    shipped = default_rules_path().resolve()
    extra = [p for p in packs if shipped not in (Path(p).resolve(), *Path(p).resolve().parents)]
    rules = load_packs((*rule_paths, *extra))
    chosen = {str(Path(p).resolve()) for p in packs}
    only = [r for r in rules.rules if not chosen or _in_packs(r.file, chosen)]
    results = run_examples(rules, only=only)
    for result in results:
        if not result.ok:
            click.echo(safe_line(_example_failure(result)))
    checks = [c for c in rules.checks if not chosen or _in_packs(c.file, chosen)]
    check_results = run_check_examples(rules, only=checks)
    entries = [e for e in rules.lexicon.entries if not chosen or _in_packs(e.file, chosen)]
    lexicon_results = run_lexicon_examples(rules.lexicon, only=entries)
    rewrite_results = run_rewrite_examples(rules, only=only)
    failed = [
        (o, o.check.file, o.check.id, "raise it" if o.expected else "not raise it")
        for o in check_results
        if not o.ok
    ]
    failed += [
        (o, o.entry.file, o.entry.id, "apply" if o.expected else "not apply")
        for o in lexicon_results
        if not o.ok
    ]
    failed += [
        (o, o.rule.file, o.rule.id, f"be rewritten {o.wanted!r}, not {o.got!r}")
        for o in rewrite_results
        if not o.ok
    ]
    for outcome, file, item_id, should in failed:
        click.echo(
            safe_line(
                f"{file}: {item_id} {_STATUS[outcome.status]}: {outcome.text!r} should {should}"
            )
        )
    statuses = [r.status for r in (*results, *check_results, *lexicon_results, *rewrite_results)]
    counts = {status: statuses.count(status) for status in _STATUS}
    click.echo(
        f"{len(only)} rule(s), {len(checks)} check(s), {len(entries)} lexicon entr(ies), "
        f"{len(statuses)} example(s): "
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


def _in_packs(file: str, chosen: set[str]) -> bool:
    """Whether a rule's file is one of the packs (or in one of the folders) asked for."""
    path = Path(file).resolve()
    return str(path) in chosen or str(path.parent) in chosen
