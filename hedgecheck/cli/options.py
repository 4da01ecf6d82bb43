"""What the commands read from their options: the choices they offer, the configuration
(the config file's settings with the command line's on top) and the rule packs."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from hedgecheck.budget import BUDGET_KEYS, RuleBudget, seconds
from hedgecheck.cli import startup
from hedgecheck.cli.exits import fail, say
from hedgecheck.errors import ConfigError, HedgecheckError, UsageError

# The analysis is imported by the commands that run it, not here: `hedgecheck --help`
# imports none of it.
if TYPE_CHECKING:
    from hedgecheck.config import Config
    from hedgecheck.ruleset import RuleSet


class LazyChoice(click.Choice):
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


def format_names() -> list[str]:
    from hedgecheck.formats import FORMATS

    return sorted(FORMATS)


def input_formats() -> list[str]:
    from hedgecheck.documents import INPUT_FORMATS

    return ["auto", *INPUT_FORMATS]


def task_names() -> list[str]:
    from hedgecheck.evaluate import TASKS

    return sorted(TASKS)


def rules_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--rules",
        "rule_paths",
        multiple=True,
        type=click.Path(dir_okay=True),
        help="Extra rule pack (TOML file or folder), added to the default packs. Repeatable.",
    )(function)


def config_from_options(paths: tuple[str, ...], options: dict[str, Any]) -> Config:
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
        fail(exc)
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
            fail(
                UsageError(
                    f"--rule-budget {item!r}: expected KEY=SECONDS, KEY one of "
                    f"{', '.join(BUDGET_KEYS)}"
                )
            )
        try:
            changes[key] = seconds(float(value))
        except ValueError as exc:
            fail(UsageError(f"--rule-budget {item!r}: {exc}"))
    return replace(base, **changes)


def refuse_unknown_selectors(config: Config, options: dict[str, Any], rules: RuleSet) -> None:
    """A selector in --select / --ignore or in the config's select, ignore, [severity] or
    overrides that names no rule, check or category is an error naming it: a typo would
    otherwise silently select or ignore nothing."""
    from hedgecheck.selectors import Vocabulary

    vocabulary = Vocabulary.of(rules)
    for option in ("select", "ignore"):
        for selector in vocabulary.unknown(options[option]):
            fail(UsageError(f"--{option} {selector!r}: {_NAMES_NOTHING}"))
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
            fail(ConfigError(f"{selector!r}: {_NAMES_NOTHING}", path=where, key=prefix + key))


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
        fail(UsageError(f"--{key.replace('_', '-')}: {exc}"))


def load_packs(rule_paths: tuple[str, ...], *, quiet: bool = False) -> RuleSet:
    from hedgecheck.loader import default_rules, load_rules

    try:
        with _library_notes(quiet=quiet):
            rules = (
                load_rules(*rule_paths, include_defaults=True) if rule_paths else default_rules()
            )
    except HedgecheckError as exc:
        fail(exc)
    startup.resume_collections(freeze=True)  # the rule set lives as long as the process
    for warning in rules.warnings:
        say(f"warning: {warning}")
    return rules


@contextlib.contextmanager
def _library_notes(*, quiet: bool) -> Iterator[None]:
    """While the block runs, the ``hedgecheck`` logger's INFO notes are said on stderr
    (the library prints nothing itself); with ``quiet``, nothing is."""
    if quiet:
        yield  # nor is logging imported: a quiet one-line scan never needs it
        return
    import logging

    class SayHandler(logging.Handler):
        """The library's notes (a rule cache build that takes a while) as lines on
        stderr."""

        def emit(self, record: logging.LogRecord) -> None:
            with contextlib.suppress(OSError):
                say(record.getMessage())

    logger = logging.getLogger("hedgecheck")
    handler, level = SayHandler(logging.INFO), logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def config_packs() -> tuple[str, ...]:
    """The ``rules`` of the config file found from the current folder."""
    from hedgecheck.config import find_config, load_config

    try:
        found = find_config(Path.cwd())
        return tuple(map(str, load_config(found).rule_paths)) if found else ()
    except HedgecheckError as exc:
        fail(exc)
