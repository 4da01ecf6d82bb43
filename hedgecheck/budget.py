"""Time budgets for the rules of untrusted packs: per file, per run, and for the whole scan.

A pack from outside the shipped ones may hold a pattern that is slow without ever running
past the matcher's timeout (``(?:.|\\n)*(?:.|\\n)*x`` takes a third of a second at every
cue start: hours for a megabyte of prose). So what each such rule spends matching is
charged to a :class:`ScanBudget`, and a rule that spends its budget is switched off, named
in the report's errors (the command line exits 2): for the rest of the file when it spent
its budget for one file, for the rest of the run when it spent its budget for the run or
ran past the timeout. When the untrusted rules together spend the scan's budget, every one
of them is switched off for the rest of the run.

The charge is cheap: a call that matches one branch is timed (its clock reads are the ones
a timed match makes anyway); a call on an alternation of many rules' branches is charged
only when it was slow or is one of a sample, by timing its untrusted branches alone. The
shipped packs are vetted and never timed.

A budget belongs to one scan, not to the rule set: the rule set is shared (between files,
threads, a server's requests) and never changes, and ``check`` without a budget starts a
fresh one, so a rule switched off in one call is back in the next unless the caller passes
the same budget on. A budget is not to be shared between threads. What a call switched off
comes back with its cues (``RuleSet.find``'s ``problems``), one message per rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hedgecheck.arguments import require
from hedgecheck.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from hedgecheck.matcher import Matcher

# The most a budget may be set to (in seconds): far above any real run, low enough that a
# typo or "inf" is named instead of being taken as no limit.
MAX_SECONDS = 1_000_000.0
# One call on an alternation in this many is charged to its untrusted branches, each timed
# alone, and the charge scaled up by as much: an estimate whose cost is a small part of the
# matching, whatever the text.
SAMPLE = 64
# A call slower than this (a real cue pattern takes microseconds) is always charged.
SLOW_CALL = 0.002


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleBudget:
    """Seconds of matching one untrusted rule may spend on one file (``file``; each part of
    a file checked in parts counts as a file) and over a run (``run``), and that all of
    them together may spend over a run (``scan``)."""

    file: float = 10.0
    run: float = 120.0
    scan: float = 600.0

    def __post_init__(self) -> None:
        for name in BUDGET_KEYS:
            value = getattr(self, name)
            require(value, (int, float), argument=f"RuleBudget(): {name}")
            try:
                seconds(value)
            except ValueError as exc:
                raise UsageError(f"RuleBudget(): {name}: {exc}") from None


BUDGET_KEYS = ("file", "run", "scan")


def seconds(value: object) -> float:
    """A budget in seconds: anything but a finite number above zero and at most
    ``MAX_SECONDS`` is a ValueError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number of seconds, not {value!r}")
    if not 0 < value <= MAX_SECONDS:  # False for NaN too
        raise ValueError(
            f"expected a number of seconds above 0 and at most {MAX_SECONDS:,g}, not {value}"
        )
    return float(value)


class SwitchedOff(Exception):
    """Raised inside a walk over a text when a rule is switched off: the walk starts again
    without it, so that the cues found do not depend on where the budget ran out.
    ``problems`` says what was switched off (none when the rule already was)."""

    def __init__(self, *problems: str) -> None:
        super().__init__(*problems)
        self.problems = problems


class ScanBudget:
    """What the untrusted rules spent in one scan, and which of them are switched off."""

    def __init__(self, limits: RuleBudget | None = None) -> None:
        require(limits, (RuleBudget, type(None)), argument="ScanBudget(): limits")
        self.limits = limits or RuleBudget()
        self._file: dict[str, float] = {}
        self._run: dict[str, float] = {}
        self._total = 0.0
        self._calls = 0
        self._off_file: set[str] = set()
        self._off_run: set[str] = set()
        self._spent = False  # the scan's budget: every untrusted rule is off
        # A matcher (by identity, kept alive here) -> the rules off when it was derived, and
        # the matcher without them.
        self._derived: dict[int, tuple[Matcher, frozenset[str], Matcher]] = {}

    def start_file(self) -> None:
        """A new file: its own budget for each rule, and the rules off for the last file
        back on (those off for the run stay off)."""
        self._file.clear()
        self._off_file.clear()

    @property
    def off(self) -> frozenset[str]:
        """The ids of the rules switched off for this file, the run's among them."""
        return frozenset(self._off_file | self._off_run)

    def active(self, matcher: Matcher) -> Matcher:
        """``matcher`` less the rules switched off (itself when none of its rules is)."""
        if not (self._off_file or self._off_run or self._spent):
            return matcher
        off = frozenset(self.off | (matcher.untrusted_ids() if self._spent else frozenset()))
        if not off & matcher.rule_ids():
            return matcher
        cached = self._derived.get(id(matcher))
        if cached is not None and cached[1] == off:
            return cached[2]
        derived = matcher.without(off)
        self._derived[id(matcher)] = (matcher, off, derived)
        return derived

    def charge(
        self,
        matcher: Matcher,
        branches: str | tuple[int, ...],
        seconds: float,
        text: str,
        position: int,
        end: int,
    ) -> None:
        """Charge ``seconds`` spent by one call on an alternation of ``branches`` (or of
        those that open with a prefix) at ``position``: when the call was slow or is one of
        the sample, to each untrusted branch by its own time, matched alone (all of it to
        the one untrusted branch of a slow call). Raises :class:`SwitchedOff` when a rule
        spends its budget."""
        self._calls += 1
        slow = seconds >= SLOW_CALL
        if not slow and self._calls % SAMPLE:
            return
        suspects = [i for i in matcher.branches_of(branches) if matcher.is_untrusted(i)]
        if len(suspects) == 1 and slow:
            self._add(matcher, suspects[0], seconds)
            return
        scale = 1 if slow else SAMPLE
        for index, alone in matcher.time_alone(suspects, text, position, end):
            if alone is None:
                self.timed_out(matcher, (index,), text, position, end)
            else:
                self._add(matcher, index, alone * scale)

    def charge_one(self, matcher: Matcher, index: int, seconds: float) -> None:
        """Charge a call that matched branch ``index`` alone."""
        if matcher.is_untrusted(index):
            self._add(matcher, index, seconds)

    def timed_out(
        self, matcher: Matcher, suspects: Iterable[int], text: str, position: int, end: int
    ) -> None:
        """A call on ``suspects`` at ``position`` ran past the match timeout: the untrusted
        ones that do alone too (all of them when none does alone) are off for the rest of
        the run, and :class:`SwitchedOff` is raised."""
        untrusted = [index for index in suspects if matcher.is_untrusted(index)]
        if not untrusted:
            return  # only shipped patterns, which are vetted: no match here
        slow = untrusted
        if len(untrusted) > 1:
            timed = matcher.time_alone(untrusted, text, position, end)
            slow = [index for index, alone in timed if alone is None] or untrusted
        problems: list[str] = []
        for index in slow:
            rule = matcher.rule_of(index)
            if rule.id not in self._off_run:
                self._off_run.add(rule.id)
                problems.append(
                    f"{rule.file}, rule {rule.id!r}: a pattern ran past the "
                    f"{matcher.timeout:g} s match timeout (catastrophic backtracking?); the "
                    "rule is off for the rest of this run"
                )
        raise SwitchedOff(*problems)

    def _add(self, matcher: Matcher, index: int, seconds: float) -> None:
        rule = matcher.rule_of(index)
        spent_file = self._file[rule.id] = self._file.get(rule.id, 0.0) + seconds
        spent_run = self._run[rule.id] = self._run.get(rule.id, 0.0) + seconds
        self._total += seconds
        limits = self.limits
        if self._total > limits.scan and not self._spent:
            self._spent = True
            ids = sorted(self._run, key=lambda rule_id: -self._run[rule_id])
            raise SwitchedOff(
                f"the rules of packs outside the shipped ones spent the scan's budget of "
                f"{limits.scan:g} s of matching (most: {_listed(ids)}); they are all off "
                "for the rest of this run"
            )
        if spent_run > limits.run:
            self._off_run.add(rule.id)
            raise SwitchedOff(
                f"{rule.file}, rule {rule.id!r}: spent its budget of {limits.run:g} s of "
                "matching for the run (a slow pattern?); the rule is off for the rest of "
                "this run"
            )
        if spent_file > limits.file:
            self._off_file.add(rule.id)
            raise SwitchedOff(
                f"{rule.file}, rule {rule.id!r}: spent its budget of {limits.file:g} s of "
                "matching for this file (a slow pattern?); the rule is off for the rest of "
                "this file"
            )


def _listed(ids: list[str], most: int = 5) -> str:
    shown = ", ".join(repr(rule_id) for rule_id in ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")
