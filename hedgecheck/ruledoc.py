"""One document per rule, article check or built-in code, and its renderings.

A code is documented from wherever it is defined: a cue rule or an article check of the rule
set, or one of the findings hedgecheck raises itself (:data:`hedgecheck.gate.BUILTIN`:
``HCS001``, an unused suppression, and ``LBL001``, the label gate), which are in no pack. A
code the rule set lacks is described by its finding. Every place that shows a rule's text
reads it from :class:`RuleDoc`:

* :func:`text`: what ``hedgecheck rules ID`` prints (the same words as the docs);
* :func:`listing_line`: its line in ``hedgecheck rules``;
* :func:`markdown_table`: the table of every shipped rule in ``docs/rules.md``;
* :func:`hover`: what the HTML page shows over a cue;
* the SARIF rule descriptors and ``hedgecheck explain`` read its fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hedgecheck.formats._safe import visible
from hedgecheck.gate import BUILTIN
from hedgecheck.model import Finding, Severity

if TYPE_CHECKING:
    from hedgecheck.gate import Builtin
    from hedgecheck.lexicon import LexiconEntry
    from hedgecheck.ruleset import RuleSet
    from hedgecheck.schema import Check, Rule

RULE = "rule"
CHECK = "check"
LEXICON = "lexicon"
BUILTIN_CODE = "builtin"
UNKNOWN = "unknown"  # a finding's code that the rule set does not define


@dataclass(frozen=True, slots=True)
class Section:
    """One ``## heading`` of a rule's text and its lines."""

    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """The documentation of the rule, check or built-in code behind a finding or cue."""

    id: str
    name: str
    kind: str  # RULE, CHECK, LEXICON, BUILTIN_CODE or UNKNOWN
    category: str  # a check's is "editorial"
    summary: str
    why: str
    suggestion: str | None = None
    # The severity of its findings; None for a cue rule that raises none of itself.
    severity: Severity | None = None
    source: str = ""
    origin: str = ""  # said in brackets after its id and name: pack, kind, severity
    sections: tuple[Section, ...] = ()

    @property
    def finding_severity(self) -> Severity:
        """The severity a finding of it has unless the config sets another (a cue rule
        without one is info)."""
        return self.severity or Severity.INFO


def find(code: str, rules: RuleSet) -> RuleDoc | None:
    """The document of ``code``: a rule, else an article check, else a lexicon entry, else a
    built-in code; None when none of them has it."""
    rule = rules.get(code)
    if rule is not None:
        return of_rule(rule)
    check = next((c for c in rules.checks if c.id == code), None)
    if check is not None:
        return of_check(check)
    entry = rules.lexicon.get(code)
    if entry is not None:
        return of_entry(entry)
    own = BUILTIN.get(code)
    return of_builtin(own) if own is not None else None


def document(code: str, rules: RuleSet, finding: Finding | None = None) -> RuleDoc:
    """The document of ``code``; one the rule set lacks is described by its finding."""
    found = find(code, rules)
    if found is not None:
        return found
    return RuleDoc(
        id=code,
        name=finding.name if finding else code,
        kind=UNKNOWN,
        category="",
        summary=finding.message if finding else "",
        why="",
        suggestion=finding.suggestion if finding else None,
        severity=finding.severity if finding else Severity.INFO,
    )


def documents(rules: RuleSet) -> list[RuleDoc]:
    """Every rule, then every article check, every lexicon entry, then the built-in codes,
    in their order."""
    return [
        *map(of_rule, rules.rules),
        *map(of_check, rules.checks),
        *map(of_entry, rules.lexicon.entries),
        *map(of_builtin, BUILTIN.values()),
    ]


def of_rule(rule: Rule) -> RuleDoc:
    examples = [f"  + {e.text}" for e in rule.match_examples]
    examples += [f"  - {e.text}" for e in rule.no_match_examples]
    return RuleDoc(
        id=rule.id,
        name=rule.name,
        kind=RULE,
        category=rule.category,
        summary=rule.summary,
        why=rule.why,
        suggestion=rule.suggestion,
        severity=Severity(rule.severity) if rule.severity else None,
        source=rule.source,
        origin=rule.pack,
        sections=_sections(
            rule,
            Section("Settings", (_settings(rule),)),
            Section("Examples", tuple(examples)),
            *_rewrites(rule),
        ),
    )


def _rewrites(rule: Rule) -> list[Section]:
    """The rewrites a rule's finding offers, each example as the text before and after."""
    if not rule.rewrites:
        return []
    lines = [
        f"  {before}  →  {after}" for rewrite in rule.rewrites for before, after in rewrite.examples
    ]
    return [Section("Rewrites", tuple(lines))]


def _settings(rule: Rule) -> str:
    settings = f"category {rule.category}, weight {rule.weight:+g}, direction {rule.direction}"
    if rule.max_scope:
        settings += f" ({rule.max_scope} tokens)"
    if rule.cap:
        settings += f", caps the label at {rule.cap}"
    if rule.relation:
        settings += f", also states a {rule.relation} relation"
    return settings


def of_check(check: Check) -> RuleDoc:
    examples = [f"  + {text!r}" for text in check.raise_examples]
    examples += [f"  - {text!r}" for text in check.pass_examples]
    suggestion = [Section("Suggestion", (check.suggestion,))] if check.suggestion else []
    return RuleDoc(
        id=check.id,
        name=check.name,
        kind=CHECK,
        category="editorial",
        summary=check.summary,
        why=check.why,
        suggestion=check.suggestion,
        severity=Severity(check.severity),
        source=check.source,
        origin=f"{check.pack}, article check, {check.severity}",
        sections=_sections(
            check,
            Section("Message", (check.message,)),
            *suggestion,
            Section("Examples", tuple(examples)),
        ),
    )


def of_entry(entry: LexiconEntry) -> RuleDoc:
    if entry.words:
        content = Section("Words", (", ".join(entry.words),))
    else:
        content = Section("Patterns", tuple(f"  {p}" for p in entry.patterns))
    clue = (f"  {entry.clue} (a text without it is not searched)",) if entry.clue else ()
    case = "case-sensitive" if entry.case_sensitive else "case-insensitive"
    examples = [f"  + {text}" for text in entry.match_examples]
    examples += [f"  - {text}" for text in entry.no_match_examples]
    return RuleDoc(
        id=entry.id,
        name=entry.name,
        kind=LEXICON,
        category=LEXICON,
        summary=entry.summary,
        why=entry.why,
        source=entry.source,
        origin=f"{entry.pack}, lexicon entry",
        sections=_sections(
            entry,
            Section("Applied", (f"{entry.use.describe()}; {case}",)),
            content,
            *([Section("Clue", clue)] if clue else []),
            Section("Examples", tuple(examples)),
        ),
    )


def of_builtin(own: Builtin) -> RuleDoc:
    return RuleDoc(
        id=own.id,
        name=own.name,
        kind=BUILTIN_CODE,
        category=own.category,
        summary=own.summary,
        why=own.why,
        suggestion=own.suggestion,
        severity=own.severity,
        source=own.source,
        origin=f"hedgecheck, {own.category}, {own.severity.value}",
        sections=_sections(own, Section("Suggestion", (own.suggestion,))),
    )


def _sections(
    documented: Rule | Check | LexiconEntry | Builtin, *middle: Section
) -> tuple[Section, ...]:
    """What it does and why, then ``middle``, then the source."""
    return (
        Section("What it does", (documented.summary,)),
        Section("Why", (documented.why,)),
        *middle,
        Section("Source", (documented.source,)),
    )


# -- renderings ---------------------------------------------------------------------------------


def text(doc: RuleDoc) -> str:
    """The text of ``hedgecheck rules ID``: a heading line, then each section."""
    lines = [f"{doc.id} {doc.name} ({doc.origin})"]
    for section in doc.sections:
        lines += ["", f"## {section.heading}", *section.lines]
    return "\n".join(lines)


def listed_kind(doc: RuleDoc) -> str:
    """What a listing names it by: a rule's category, ``check`` for an article check."""
    return "check" if doc.kind == CHECK else doc.category


def listing_line(doc: RuleDoc) -> str:
    """Its line in ``hedgecheck rules``: id, category, severity (``-`` for none), name and
    summary, in columns."""
    severity = doc.severity.value if doc.severity else "-"
    return f"{doc.id}  {listed_kind(doc):<11} {severity:<8} {doc.name:<28} {doc.summary}"


def markdown_table(docs: Iterable[RuleDoc]) -> str:
    """A Markdown table of ``docs``: id, category, severity and summary, one row each."""
    rows = [
        "| id | category | severity | name | summary |",
        "|---|---|---|---|---|",
        *(
            _row(
                f"`{doc.id}`",
                listed_kind(doc),
                doc.severity.value if doc.severity else "-",
                f"`{doc.name}`",
                doc.summary,
            )
            for doc in docs
        ),
    ]
    return "\n".join(rows) + "\n"


def _row(*cells: str) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _cell(text: str) -> str:
    """``text`` on one line, its pipes escaped so that it stays in its cell."""
    return " ".join(text.split()).replace("|", "\\|")


def hover(doc: RuleDoc) -> dict[str, str]:
    """What the HTML page shows over a cue of the rule. The page's script shows it as text,
    so controls are made visible here."""
    return {
        "name": visible(doc.name),
        "category": visible(doc.category),
        "summary": visible(doc.summary, layout=True),
        "why": visible(doc.why, layout=True),
    }


def hovers(codes: Sequence[str], rules: RuleSet) -> dict[str, dict[str, str]]:
    """:func:`hover` of each of ``codes``, by code."""
    return {code: hover(document(code, rules)) for code in codes}
