"""One self-contained HTML page per run: the whole article, its claims tinted by label.

Per file, a summary comes first: the verdict (the article label, what it means, the findings
counted by severity), the evidence tag, the findings as a list of links to where they sit,
the report card folded in a ``<details>`` and a legend. Then the article itself, every word
of it: each claim tinted by its label (``claim.label``, never its certainty), each cue
underlined (its ``title`` gives rule id, category, weight and scope), and each finding shown
where it was raised, right after its sentence, with its message and suggestion, linked back
to the summary. The page has inline CSS and a little inline JavaScript and loads nothing.
Everything from the report goes through :func:`hedgecheck.formats._safe.html_text`: escaped,
controls and bidi characters shown as escapes (``\\x1b``), line breaks as character
references.

The article's markup is :mod:`hedgecheck.formats._html_article`'s, the page's style sheet
and script :mod:`hedgecheck.formats._html_assets`'.

Hovering, focusing or clicking a cue shows its rule id, name and why (from the rule set),
weight and scope; without JavaScript the cue's ``title`` gives the short form.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence

from hedgecheck.formats._common import (
    CARD_SYMBOLS,
    ReportStream,
    Spool,
    Tally,
    all_findings,
    card_score,
    criterion_name,
    files_summary,
    ranked_counts,
    report_title,
    ruleset,
    study_type,
)
from hedgecheck.formats._html_article import article
from hedgecheck.formats._html_assets import CSS, JS
from hedgecheck.formats._safe import html_text
from hedgecheck.model import CardItem, EvidenceTag, Finding, Label, Mention, Report, Severity
from hedgecheck.patterns import compiled
from hedgecheck.ruledoc import hovers
from hedgecheck.ruleset import RuleSet

_CUE_LEGEND = {
    "hedge": "hedge (lowers certainty)",
    "booster": "booster (raises certainty)",
    "hype": "hype",
    "evidence": "evidence signal (design, subjects, sample, publication, limitation)",
    "relation": "relation (correlational / causal)",
    "negation": "negation",
    "other": "other",
}
_LABEL_MEANING = {
    Label.ESTABLISHED: "strong evidence, firmly stated",
    Label.SUPPORTED: "good evidence behind it, stated without heavy hedging",
    Label.PRELIMINARY: "early evidence, or a hedged claim on good evidence",
    Label.SPECULATIVE: "no evidence stated, or only rhetoric (hype, boosters), or heavy hedging",
}


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    findings = all_findings(reports)
    head = _head(
        files_summary(reports),
        sum(len(r.claims) for r in reports),
        _counted(findings),
    )
    sections = [_render_report(report, number) for number, report in enumerate(reports, 1)]
    return "\n".join([head, *sections, _foot(_cue_codes(reports), rules)])


class Stream(ReportStream):
    """The page written one report at a time. Its header counts every file, claim and
    finding, so each file's section is set aside as it comes (in a temporary file once
    there are many) and the page is written out at the end, one piece at a time: memory
    holds the totals, whatever the number of files.

    A section is rendered (``record``) where its report is, with the placeholder anchor
    ``f0``, after a line of its share of the totals and one of the rules its cues name;
    ``add_record`` numbers it."""

    def __init__(self, *, color: bool = False, rules: RuleSet | None = None) -> None:
        self._rules = rules
        self._tally = Tally()
        self._codes: set[str] = set()
        self._sections = Spool()

    def record(self, report: Report) -> str:
        codes = json.dumps(_cue_codes([report]))
        return Tally.counted(report, codes + "\n" + _render_report(report, 0))

    def add_record(self, record: str) -> str:
        codes, section = self._tally.add(record).split("\n", 1)
        self._codes.update(json.loads(codes))
        number = self._tally.reports
        self._sections.write("\n" + _PLACEHOLDER.sub(lambda m: f"{m.group(1)}f{number}", section))
        return ""

    def end_pieces(self) -> Iterator[str]:
        """The page, a piece at a time: the header, the sections, the footer."""
        tally = self._tally
        yield _head(tally.files_summary(), tally.claims, _counted_of(tally.severities))
        yield from self._sections.pieces()
        yield "\n" + _foot(sorted(self._codes), self._rules)


# ``id="f0…"`` and ``href="#f0…"``: a quote never comes from the report's text (html_text
# escapes it), so only the section's own anchors match.
_PLACEHOLDER = compiled(r'(id="|href="#)f0(?=["-])')


def _cue_codes(reports: Sequence[Report]) -> list[str]:
    return sorted(
        {cue.rule for r in reports for c in r.claims for cue in c.cues}
        | {cue.rule for r in reports for cue in r.study_cues}
    )


def _head(files: str, claims: int, counted: str) -> str:
    """The page up to the first file's section: totals over every file."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="hedgecheck">',
            "<title>hedgecheck report</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            "<header>",
            "<h1>hedgecheck report</h1>",
            f'<p class="note">{html_text(files)}, {claims} claim(s), '
            f"{html_text(counted)}. Hover over, focus or click an underlined cue for "
            "its rule.</p>",
            "</header>",
            "<main>",
        ]
    )


def _foot(codes: Sequence[str], rules: RuleSet | None) -> str:
    """The page after the last section: the help of every rule a cue named."""
    docs = hovers(codes, ruleset(rules))
    # "<" escaped so no "</script>" or "<!--" can end the data block early.
    data = json.dumps(docs, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    parts = [
        "</main>",
        '<div id="hc-help" role="tooltip" hidden></div>',
        f'<script type="application/json" id="hc-rules">{data}</script>',
        f"<script>{JS}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _counted(findings: Sequence[Finding]) -> str:
    """``3 finding(s): 1 warning, 2 info`` (only the severities present)."""
    return _counted_of(Counter(f.severity for f in findings))


def _counted_of(severities: Counter[Severity]) -> str:
    """:func:`_counted` of findings with these severities."""
    present = [f"{n} {s.value}" for s, n in ranked_counts(severities).items() if n]
    return f"{severities.total()} finding(s)" + (": " + ", ".join(present) if present else "")


def _render_report(report: Report, number: int) -> str:
    ref = f"f{number}"
    return "\n".join(
        [
            f'<section class="file" id="{ref}">',
            f"<h2>{html_text(report_title(report))}</h2>",
            _summary(report, ref),
            article(report, ref),
            "</section>",
        ]
    )


def _summary(report: Report, ref: str) -> str:
    label = report.label
    verdict = (
        f'<span class="badge label-{label.value}">{label.value}</span> '
        f"{html_text(_LABEL_MEANING[label])}"
        if label
        else '<span class="badge">no claims</span>'
    )
    parts = [
        f'<div class="summary" id="{ref}-summary">',
        f'<p class="verdict article-label"><strong>Article:</strong> {verdict}. '
        f'<span class="note">{len(report.claims)} claim(s), '
        f"{html_text(_counted(report.findings))}; input {html_text(report.input_format)}"
        "</span></p>",
        _evidence_tag(report.evidence_tag),
    ]
    if report.findings:
        parts.append('<ol class="finding-index">')
        # most severe first; each keeps the number its note has in the article
        ranked = sorted(
            enumerate(report.findings, 1), key=lambda item: (-item[1].severity.rank, item[0])
        )
        parts += [_index_entry(finding, f"{ref}-finding-{n}", n) for n, finding in ranked]
        parts.append("</ol>")
    parts += [_report_card(report.report_card), _legend(), "</div>"]
    return "\n".join(parts)


def _index_entry(finding: Finding, anchor: str, number: int) -> str:
    severity = finding.severity.value
    return (
        f'<li id="{anchor}-index" value="{number}"><a href="#{anchor}">'
        f'<span class="sev sev-{severity}">'
        f"{severity}</span> <code>{html_text(finding.code)}</code> "
        f"{html_text(finding.message)}</a> "
        f'<span class="note">line {finding.line}</span></li>'
    )


def _evidence_tag(tag: EvidenceTag | None) -> str:
    if tag is None:
        return '<div class="evidence-tag" role="note">Evidence tag: not assessed (no prose)</div>'
    fields = [
        ("Peer-reviewed", tag.peer_reviewed),
        ("Study type", study_type(tag)),
        ("Subjects", tag.subjects or "not stated"),
    ]
    items = "".join(f"<div><dt>{k}</dt><dd>{html_text(v)}</dd></div>" for k, v in fields)
    basis = (
        f'<div><span class="note">from {_mentions_inline(tag.basis)}</span></div>'
        if tag.basis
        else ""
    )
    return (
        '<div class="evidence-tag" role="note" aria-label="evidence tag">'
        f"<strong>Evidence tag</strong><dl>{items}</dl>{basis}</div>"
    )


def _mentions_inline(mentions: Sequence[Mention]) -> str:
    return ", ".join(f"“{html_text(m.text)}” ({m.line}:{m.column})" for m in mentions)


def _report_card(card: Sequence[CardItem]) -> str:
    if not card:
        return '<p class="note">Report card: not assessed (no prose).</p>'
    rows = "\n".join(_card_row(item) for item in card)
    return (
        f'<details class="card"><summary>Report card: {html_text(card_score(card))}</summary>\n'
        '<div class="scroll"><table class="report-card">\n'
        "<thead><tr><th>Criterion</th><th>Status</th><th>Note</th><th>Evidence</th></tr>"
        f"</thead>\n<tbody>\n{rows}\n</tbody>\n</table></div></details>"
    )


def _card_row(item: CardItem) -> str:
    status = item.status
    css = "status-" + "-".join(status.split())
    symbol = CARD_SYMBOLS.get(status, "?")
    evidence = ""
    if item.evidence:
        evidence = (
            "<ul>"
            + "".join(
                f'<li>“{html_text(m.text)}” <span class="note">{m.line}:{m.column} '
                f"{html_text(m.rule)}</span></li>"
                for m in item.evidence
            )
            + "</ul>"
        )
    return (
        f'<tr data-criterion="{html_text(item.criterion)}"><td>'
        f"{html_text(criterion_name(item.criterion))}</td>"
        f'<td class="{html_text(css)}">{symbol} {html_text(status)}</td>'
        f"<td>{html_text(item.note)}</td><td>{evidence}</td></tr>"
    )


def _legend() -> str:
    labels = " ".join(
        f'<span><span class="badge label-{label.value}">{label.value}</span> '
        f"{html_text(meaning)}</span>"
        for label, meaning in _LABEL_MEANING.items()
    )
    cues = " ".join(
        f'<span><span class="swatch cue-{group}">cue</span> {html_text(meaning)}</span>'
        for group, meaning in _CUE_LEGEND.items()
    )
    return (
        '<div class="legend" role="note" aria-label="legend"><strong>Claims:</strong> '
        f"{labels} <strong>Cues:</strong> {cues}</div>"
    )
