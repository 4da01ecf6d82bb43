"""Findings: what an editor is told to look at, and which of them a configuration wants.

A rule with a ``severity`` raises a finding wherever it fires in prose (a hype word, say);
cues in quoted speech are the source's words, not the writer's, so they drop to ``info``.
A :class:`FindingPolicy` (from the command line or a config file) selects, ignores and
re-grades findings by rule id, id prefix, rule name or category, and may set the label gate,
whose failures are findings too (``hedgecheck.gate``). Labels never depend on it: they always
use every loaded rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from hedgecheck.arguments import require
from hedgecheck.errors import UsageError
from hedgecheck.model import Finding, Label, Severity


@dataclass(frozen=True, slots=True)
class FindingPolicy:
    """Which findings to report, and at what severity."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # Selector and level; None is "off": no finding, as a pack's severity = "off" says.
    severity: tuple[tuple[str, Severity | None], ...] = ()
    report_unused_suppressions: bool = False
    # The label gate: each main claim at or below it, in an article at or below it, is an
    # LBL001 finding.
    label_gate: Label | None = None

    @classmethod
    def build(
        cls,
        *,
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        severity: Mapping[str, str] | None = None,
        report_unused_suppressions: bool = False,
        fail_on_label: str | None = None,
    ) -> FindingPolicy:
        """A policy from selectors (a single string counts as one); a wrong type, an
        unknown severity or an unknown label is a UsageError."""
        require(
            report_unused_suppressions,
            bool,
            argument="FindingPolicy.build(): report_unused_suppressions",
        )
        return cls(
            select=_selectors(select, "select"),
            ignore=_selectors(ignore, "ignore"),
            severity=_severities(severity),
            report_unused_suppressions=report_unused_suppressions,
            label_gate=_label(fail_on_label),
        )

    def merged(self, other: FindingPolicy) -> FindingPolicy:
        """This policy with ``other``'s settings layered on top (a per-file override)."""
        return FindingPolicy(
            select=other.select or self.select,
            ignore=self.ignore + other.ignore,
            severity=self.severity + other.severity,
            report_unused_suppressions=self.report_unused_suppressions
            or other.report_unused_suppressions,
            label_gate=other.label_gate or self.label_gate,
        )

    def wants(self, finding: Finding, category: str) -> bool:
        keys = _keys(finding, category)
        # The label gate asked for its findings by name: a selection of rules keeps them.
        selected = category == GATE_CATEGORY or any(_matches(s, keys) for s in self.select)
        if self.select and not selected:
            return False
        if any(_matches(i, keys) for i in self.ignore):
            return False
        best = self._override(keys)
        return best is None or best[0] is not None

    def graded(self, finding: Finding, category: str) -> Finding:
        """``finding`` at the severity the most specific override gives it."""
        best = self._override(_keys(finding, category))
        if best is None or best[0] is None or best[0] is finding.severity:
            return finding
        return _with_severity(finding, best[0])

    def _override(self, keys: _Keys) -> tuple[Severity | None] | None:
        """The level of the most specific severity override that matches (a later one of
        the same length wins), or None when none does."""
        best: tuple[int, Severity | None] | None = None
        for selector, level in self.severity:
            if _matches(selector, keys) and (best is None or len(selector) >= best[0]):
                best = (len(selector), level)
        return None if best is None else (best[1],)


_SEVERITIES = tuple(level.value for level in Severity)
# A severity override that turns findings off, as a pack's ``severity = "off"`` does.
OFF = "off"
# The category of the label gate's findings (hedgecheck.gate, which imports this module).
GATE_CATEGORY = "label"


def _selectors(value: object, name: str) -> tuple[str, ...]:
    argument = f"FindingPolicy.build(): {name}"
    if isinstance(value, str):
        return (value,)
    require(value, Iterable, argument=argument)
    selectors = tuple(value)  # type: ignore[call-overload]
    for selector in selectors:
        require(selector, str, argument=f"{argument} items")
    return selectors


def _label(value: object) -> Label | None:
    argument = "FindingPolicy.build(): fail_on_label"
    require(value, (str, type(None)), argument=argument)
    if value is None:
        return None
    labels = [label.value for label in Label]
    if value not in labels:
        raise UsageError(f"{argument} must be one of {', '.join(labels)}")
    return Label(value)


def _severities(value: object) -> tuple[tuple[str, Severity | None], ...]:
    argument = "FindingPolicy.build(): severity"
    require(value, (Mapping, type(None)), argument=argument)
    pairs = []
    for key, level in (value or {}).items():  # type: ignore[attr-defined]
        require(key, str, argument=f"{argument} keys")
        if not isinstance(level, str) or level not in (*_SEVERITIES, OFF):
            raise UsageError(
                f"{argument}[{key!r}] must be one of {', '.join(_SEVERITIES)} or {OFF}"
            )
        pairs.append((key, None if level == OFF else Severity(level)))
    return tuple(pairs)


@dataclass(frozen=True, slots=True)
class _Keys:
    """What a selector matches a finding by: its code (upper case), name and category."""

    code: str
    name: str
    category: str


def _keys(finding: Finding, category: str) -> _Keys:
    return _Keys(finding.code.upper(), finding.name.lower(), category.lower())


def _matches(selector: str, keys: _Keys) -> bool:
    """ "ALL", a rule id or id prefix ("HYP"), a rule name or a category."""
    wanted = selector.strip()
    upper, lower = wanted.upper(), wanted.lower()
    return upper == "ALL" or keys.code.startswith(upper) or lower in (keys.name, keys.category)


def _with_severity(finding: Finding, severity: Severity) -> Finding:
    return replace(finding, severity=severity)


def quoted_severity(severity: Severity) -> Severity:
    """A quoted source's words are reported, not held against the writer."""
    return Severity.INFO if severity is not Severity.ERROR else Severity.WARNING
