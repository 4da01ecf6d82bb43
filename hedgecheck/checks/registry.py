"""The registry of article checks, and the run of those a rule set configures.

A check is a function from an :class:`~hedgecheck.article.Article` to the places it fires
(:class:`CheckHit`), registered by :func:`check` under the name a pack's ``[[checks]]`` entry
gives it; the entry gives it its id, severity, message and suggested rewrite. ``CHECKS`` is
the registry as it stands: the loader validates ``[[checks]]`` names against it, and the
built-in checks (``hedgecheck.checks``, one module each) are in it once that package is
imported. A check registered from outside the package joins it the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from hedgecheck.errors import RuleError, UsageError
from hedgecheck.model import Finding, Mention, Severity
from hedgecheck.patterns import compiled

if TYPE_CHECKING:
    from hedgecheck.article import Article
    from hedgecheck.ruleset import RuleSet
    from hedgecheck.schema import Check


@dataclass(frozen=True, slots=True)
class CheckHit:
    """Where a check fires and the words for its message template."""

    start: int
    end: int
    line: int
    column: int
    text: str
    details: dict[str, str]
    quoted: bool = False
    basis: tuple[Mention, ...] = ()


CheckFunction = Callable[["Article"], Iterator[CheckHit]]

# The names packs may give: what a pack's rule names look like.
_CHECK_NAME = compiled(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_registered: dict[str, CheckFunction] = {}
CHECKS: Mapping[str, CheckFunction] = MappingProxyType(_registered)


def check(name: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the check a ``[[checks]]`` entry calls ``name``.

    A name is lower-case words joined by hyphens, and belongs to one function: registering
    another function under a name taken is a :class:`UsageError`.
    """
    if not isinstance(name, str) or not _CHECK_NAME.fullmatch(name):
        raise UsageError(f"check name {name!r} must be lower-case words joined by hyphens")

    def register(function: CheckFunction) -> CheckFunction:
        taken = _registered.get(name)
        if taken is not None and taken is not function:
            raise UsageError(f"check {name!r} is already registered by {_where(taken)}")
        _registered[name] = function
        return function

    return register


def _where(function: CheckFunction) -> str:
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', '?')}"


def run_checks(article: Article, rules: RuleSet) -> list[tuple[Finding, str]]:
    """Every check a pack configures, as findings paired with the category "editorial"."""
    findings = []
    for configured in rules.checks:
        for hit in _function(configured)(article):
            findings.append((_finding(configured, hit), "editorial"))
    return findings


def _function(configured: Check) -> CheckFunction:
    """The registered check of a ``[[checks]]`` entry. The loader refused unknown names; a
    rule set from the rule cache was validated in a process that may have registered more."""
    function = CHECKS.get(configured.name)
    if function is None:
        raise RuleError(no_such_check(), path=configured.file, rule=configured.id, key="name")
    return function


def no_such_check() -> str:
    """What is wrong with a ``[[checks]]`` name that is not registered."""
    return f"no such check (known: {', '.join(sorted(CHECKS))})"


def _finding(configured: Check, hit: CheckHit) -> Finding:
    return Finding(
        code=configured.id,
        name=configured.name,
        severity=Severity(configured.severity),
        message=configured.message.format_map(_Defaulting(hit.details)),
        text=hit.text,
        start=hit.start,
        end=hit.end,
        line=hit.line,
        column=hit.column,
        suggestion=configured.suggestion,
        quoted=hit.quoted,
        basis=hit.basis,
    )


class _Defaulting(dict[str, str]):
    """A message's words: a placeholder the check did not fill reads as an ellipsis."""

    def __missing__(self, key: str) -> str:
        return "…"
