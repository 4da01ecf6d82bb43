"""Inline suppressions: ``hedgecheck: ignore[RULE]`` and ``disable[RULE]`` … ``enable[RULE]``.

A directive may sit in a Markdown or HTML comment or on a plain-text line. ``ignore``
silences findings on its own line, or, when the directive is alone on its line, on the
paragraph that follows. ``disable`` silences findings until a matching ``enable`` (or the
end of the file). Without brackets a directive covers every rule; inside them, rule ids,
id prefixes, rule names or categories, separated by commas. Suppressions silence findings
only; labels are never changed by them.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from hedgecheck.model import Finding, Severity
from hedgecheck.patterns import compiled
from hedgecheck.text import LINE_BREAK, line_starts

DIRECTIVE = compiled(
    r"hedgecheck:\s*(?P<verb>ignore|disable|enable)\b(?:\[(?P<codes>[^\]\n]*)\])?",
    regex.IGNORECASE,
)
# What may stand beside a directive on a line that holds nothing else.
_COMMENT_MARKS = compiled(r"<!--|-->|^\s*(?:#|//|%|;)|\s")
UNUSED_CODE = "HCS001"


@dataclass(frozen=True, slots=True)
class Directive:
    """One ``hedgecheck:`` directive and the lines (1-based, inclusive) it covers."""

    verb: str
    codes: tuple[str, ...]
    line: int
    column: int
    start: int
    end: int
    first_line: int
    last_line: int

    def covers(self, finding: Finding, category: str) -> bool:
        if not self.first_line <= finding.line <= self.last_line:
            return False
        if not self.codes:
            return True
        code, name = finding.code.upper(), finding.name.lower()
        return any(
            code.startswith(c.upper()) or c.lower() in (name, category.lower()) for c in self.codes
        )


def find_directives(source: str) -> list[Directive]:
    """Every directive in ``source`` with the lines it covers."""
    rows = LINE_BREAK.split(source)
    starts = line_starts(source)
    directives: list[Directive] = []
    open_blocks: list[Directive] = []
    for number, row in enumerate(rows, start=1):
        for match in DIRECTIVE.finditer(row):
            verb = match.group("verb").lower()
            codes = _codes(match.group("codes"))
            start = starts[number - 1] + match.start()
            end = starts[number - 1] + match.end()
            if verb == "ignore":
                last = _paragraph_end(rows, number) if _alone(row, match) else number
                directives.append(
                    Directive(verb, codes, number, match.start() + 1, start, end, number, last)
                )
            elif verb == "disable":
                open_blocks.append(
                    Directive(verb, codes, number, match.start() + 1, start, end, number, 0)
                )
            else:
                open_blocks = _close(open_blocks, codes, number, directives)
    for block in open_blocks:
        directives.append(_until(block, len(rows)))
    return directives


def suppress(
    findings: list[tuple[Finding, str]], directives: list[Directive]
) -> tuple[list[tuple[Finding, str]], list[Directive]]:
    """The findings no directive covers, and the directives that covered nothing."""
    used: set[int] = set()
    kept = []
    for finding, category in findings:
        covering = [i for i, d in enumerate(directives) if d.covers(finding, category)]
        used.update(covering)
        if not covering:
            kept.append((finding, category))
    return kept, [d for i, d in enumerate(directives) if i not in used]


def unused_finding(directive: Directive) -> Finding:
    what = ", ".join(directive.codes) if directive.codes else "every rule"
    return Finding(
        code=UNUSED_CODE,
        name="unused-suppression",
        severity=Severity.WARNING,
        message=f"this `hedgecheck: {directive.verb}` ({what}) suppresses no finding",
        text=f"hedgecheck: {directive.verb}",
        start=directive.start,
        end=directive.end,
        line=directive.line,
        column=directive.column,
        suggestion="remove the directive",
    )


def _codes(raw: str | None) -> tuple[str, ...]:
    if raw is None:
        return ()
    return tuple(code.strip() for code in raw.split(",") if code.strip())


def _alone(row: str, match: regex.Match[str]) -> bool:
    rest = row[: match.start()] + row[match.end() :]
    return not _COMMENT_MARKS.sub("", rest)


def _paragraph_end(rows: list[str], number: int) -> int:
    """The last line of the paragraph after line ``number`` (1-based)."""
    index = number  # rows[index] is the line after the directive
    while index < len(rows) and not rows[index].strip():
        index += 1
    while index < len(rows) and rows[index].strip():
        index += 1
    return max(index, number)


def _close(
    open_blocks: list[Directive], codes: tuple[str, ...], line: int, out: list[Directive]
) -> list[Directive]:
    """An ``enable`` ends the open blocks it names (all of them when it names none)."""
    remaining = []
    for block in open_blocks:
        if not codes or set(c.upper() for c in codes) >= set(c.upper() for c in block.codes):
            out.append(_until(block, line))
        else:
            remaining.append(block)
    return remaining


def _until(block: Directive, last: int) -> Directive:
    return Directive(
        block.verb,
        block.codes,
        block.line,
        block.column,
        block.start,
        block.end,
        block.first_line,
        last,
    )
