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

The article is the report's ``source`` (the text its offsets point into). Plain text is
shown as it is; Markdown and HTML are read again into their prose, and each offset in the
report is carried into the prose through the reader's source map, so no markup is shown.
A report without its source (made by hand, or read back from JSON) falls back to the
claims alone, in order, one paragraph per source line; there a cue is placed in its claim
by :func:`locate_cues`.

Hovering, focusing or clicking a cue shows its rule id, name and why (from the rule set),
weight and scope; without JavaScript the cue's ``title`` gives the short form.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from tempfile import SpooledTemporaryFile

from hedgecheck.documents import read_document
from hedgecheck.formats._common import (
    CARD_SYMBOLS,
    all_findings,
    card_score,
    criterion_name,
    files_summary,
    files_summary_of,
    one_line,
    report_title,
    rule_doc,
    ruleset,
    study_type,
)
from hedgecheck.formats._safe import html_text, visible
from hedgecheck.model import (
    CardItem,
    Claim,
    Cue,
    EvidenceTag,
    Finding,
    Label,
    Mention,
    Part,
    Report,
    Severity,
)
from hedgecheck.patterns import compiled
from hedgecheck.ruleset import RuleSet

_CUE_GROUPS = {
    "hedge": "hedge",
    "booster": "booster",
    "hype": "hype",
    "negation": "negation",
    "relation": "relation",
    "design": "evidence",
    "subject": "evidence",
    "sample": "evidence",
    "publication": "evidence",
    "limitation": "evidence",
}
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
_SEVERITY_MARK = {"error": "✖", "warning": "▲", "info": "●"}
# A paragraph of the article: text between blank lines.
_PARAGRAPH_BREAK = compiled(r"\n[ \t\f\v\r]*\n\s*")
# What a note (a block) already stands for: the line break or the spaces after it.
_AFTER_NOTE = compiled(r"\n|[ \t]+(?=\S)")
# Where a sentence ends: the place a finding outside any claim is shown after.
_SENTENCE_END = compiled(r"[.!?…][\"'”’)\]]*(?=\s|$)")

_CSS = """
:root { color-scheme: light; --est: #c8ecd0; --sup: #cde7f7; --pre: #fbeec1; --spe: #f8d3d0;
  --error: #c0221a; --warning: #a8660a; --info: #4a5a6a; }
* { box-sizing: border-box; }
body { font: 16px/1.6 system-ui, sans-serif; margin: 0 auto; max-width: 50rem; padding: 1rem;
  color: #1d1d1f; background: #fff; overflow-wrap: anywhere; }
h1 { font-size: 1.3rem; margin: .2rem 0; } header p { margin: .2rem 0; }
h2 { font-size: 1.1rem; margin: 2rem 0 .5rem; border-top: 1px solid #ccc; padding-top: 1rem; }
.badge { display: inline-block; padding: 0 .5em; border-radius: .3em; font-weight: 600; }
.label-established { background: var(--est); } .label-supported { background: var(--sup); }
.label-preliminary { background: var(--pre); } .label-speculative { background: var(--spe); }
.summary { border: 1px solid #ccc; border-radius: .4rem; padding: .6rem .8rem;
  background: #fafafa; font-size: .92rem; }
.summary > * { margin: .4rem 0; }
.verdict { font-size: 1.05rem; }
.finding-index { margin: .3rem 0; padding-left: 1.6rem; }
.finding-index li { margin: .15rem 0; }
.finding-index a { color: inherit; }
.sev { font-weight: 600; text-transform: uppercase; font-size: .72rem; padding: 0 .4em;
  border-radius: .2em; color: #fff; white-space: nowrap; }
.sev-error { background: var(--error); } .sev-warning { background: var(--warning); }
.sev-info { background: var(--info); }
.note { color: #555; font-size: .85rem; }
.evidence-tag { display: flex; flex-wrap: wrap; gap: .1rem 1.2rem; padding: .3rem .6rem;
  border-left: 4px solid #7d3cbd; background: #f6f2fa; border-radius: .2rem; }
.evidence-tag dl { display: contents; }
.evidence-tag dt { display: inline; font-weight: 600; } .evidence-tag dd { display: inline;
  margin: 0 0 0 .3em; }
details.card summary { cursor: pointer; font-weight: 600; }
.scroll { overflow-x: auto; }
.report-card { border-collapse: collapse; font-size: .82rem; margin: .4rem 0; width: 100%; }
.report-card th, .report-card td { border: 1px solid #ddd; padding: .2rem .4rem;
  text-align: left; vertical-align: top; }
.report-card ul { margin: 0; padding-left: 1rem; }
.status-satisfied { background: #e3f4e7; } .status-not-satisfied { background: #fbe3e1; }
.status-not-applicable { background: #eee; }
.legend { font-size: .8rem; display: flex; flex-wrap: wrap; gap: .2rem .9rem; }
.article { margin-top: 1rem; }
.article p { margin: .8rem 0; white-space: pre-wrap; }
.article .headline { font-size: 1.25rem; font-weight: 700; line-height: 1.35; }
.claim { padding: .1em .1em; border-radius: .2em; box-decoration-break: clone;
  -webkit-box-decoration-break: clone; }
.where { color: #666; font-size: .75rem; margin-right: .3em; }
.cue, .swatch { text-decoration: underline 2px; text-underline-offset: 3px; }
.cue { cursor: help; }
.cue:focus { outline: 2px solid #333; }
.cue-hedge { text-decoration-color: #1f6feb; } .cue-booster { text-decoration-color: #d4760a; }
.cue-hype { text-decoration-color: #c0221a; text-decoration-style: wavy; }
.cue-evidence { text-decoration-color: #7d3cbd; text-decoration-style: double; }
.cue-relation { text-decoration-color: #0f7b6c; text-decoration-style: dashed; }
.cue-negation { text-decoration-color: #444; text-decoration-style: dotted; }
.cue-other { text-decoration-color: #999; text-decoration-style: dotted; }
.more { font-size: .8rem; color: #444; margin-left: .3em; }
.finding { display: block; white-space: normal; margin: .35rem 0 .5rem; padding: .3rem .6rem;
  border-left: 4px solid var(--info); background: #f3f5f7; border-radius: .2rem;
  font-size: .88rem; line-height: 1.45; font-weight: 400; }
.finding.finding-error { border-color: var(--error); background: #fdf0ef; }
.finding.finding-warning { border-color: var(--warning); background: #fdf6ea; }
.finding:target { outline: 2px solid #1f6feb; }
.finding .back { text-decoration: none; font-weight: 700; margin-right: .3em; }
.finding .suggestion { display: block; color: #333; }
#hc-help { position: absolute; z-index: 10; max-width: min(26rem, 90vw); background: #222;
  color: #fff; padding: .6rem .8rem; border-radius: .4rem; font-size: .85rem; line-height: 1.4;
  box-shadow: 0 2px 8px rgba(0,0,0,.3); }
#hc-help p { margin: .3rem 0 0; } #hc-help .id { font-family: monospace; }
"""

_JS = """
(function () {
  var rules = JSON.parse(document.getElementById("hc-rules").textContent);
  var help = document.getElementById("hc-help");
  var current = null;
  function line(text, cls) {
    var p = document.createElement("p");
    if (cls) { p.className = cls; }
    p.textContent = text;
    return p;
  }
  function show(cue) {
    var d = cue.dataset, rule = rules[d.rule] || {};
    help.replaceChildren(
      line(d.rule + " " + (rule.name || "") + " (" + (rule.category || "") + ")", "id"),
      line("weight " + d.weight + ", scope " + d.scope + (d.quoted ? ", quoted" : "")),
      line(rule.why || rule.summary || "")
    );
    var box = cue.getBoundingClientRect();
    help.hidden = false;
    // kept inside the window, so a narrow screen never scrolls sideways
    var left = Math.min(box.left, document.documentElement.clientWidth - help.offsetWidth - 4);
    help.style.left = (window.scrollX + Math.max(left, 4)) + "px";
    help.style.top = (window.scrollY + box.bottom + 6) + "px";
    current = cue;
  }
  function hide() { help.hidden = true; current = null; }
  document.addEventListener("mouseover", function (e) {
    var cue = e.target.closest(".cue");
    if (cue) { show(cue); } else if (current && !help.contains(e.target)) { hide(); }
  });
  document.addEventListener("focusin", function (e) {
    var cue = e.target.closest(".cue");
    if (cue) { show(cue); }
  });
  document.addEventListener("click", function (e) {
    var cue = e.target.closest(".cue");
    if (cue) { show(cue); } else if (!help.contains(e.target)) { hide(); }
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });
  document.body.dataset.ready = "1";
})();
"""


@dataclass(frozen=True, slots=True)
class _Placed:
    """A cue and where its text sits inside the claim text."""

    cue: Cue
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Article:
    """The article as shown: its prose, and where each source offset of the report falls in
    it (``starts[i]`` is the source offset of prose character ``i``; None when the prose is
    the source)."""

    text: str
    base: int
    starts: list[int] | None

    def at(self, offset: int) -> int:
        """Where source offset ``offset`` (of the whole file) falls in the prose."""
        local = offset - self.base
        if self.starts is None:
            return min(max(local, 0), len(self.text))
        return bisect_left(self.starts, local)


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    item: Claim | Cue


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    findings = all_findings(reports)
    head = _head(
        files_summary(reports),
        sum(len(r.claims) for r in reports),
        _counted_of(len(findings), Counter(f.severity for f in findings)),
    )
    sections = [_render_report(report, number) for number, report in enumerate(reports, 1)]
    return "\n".join([head, *sections, _foot(_cue_codes(reports), rules)])


class Stream:
    """The page written one report at a time. Its header counts every file, claim and
    finding, so each file's section is set aside as it comes, in a temporary file once it
    passes ``_SPOOL_BYTES``, and the page is written out at the end, one section at a
    time: memory holds the totals and one section, whatever the number of files.

    A section is rendered (``record``) where its report is, with the placeholder anchor
    ``f0`` and a first line of what the totals need; ``add_record`` numbers it."""

    def __init__(self, *, color: bool = False, rules: RuleSet | None = None) -> None:
        self._rules = rules
        self._parts: list[Part | None] = []
        self._claims = 0
        self._severities: Counter[Severity] = Counter()
        self._codes: set[str] = set()
        self._spool: SpooledTemporaryFile[str] | None = None
        self._lengths: list[int] = []

    def begin(self) -> str:
        return ""

    def add(self, report: Report) -> str:
        return self.add_record(self.record(report))

    def record(self, report: Report) -> str:
        totals = {
            "part": None if report.part is None else [report.part.index, report.part.count],
            "claims": len(report.claims),
            "severities": [f.severity.value for f in report.findings],
            "codes": _cue_codes([report]),
        }
        return json.dumps(totals) + "\n" + _render_report(report, 0)

    def add_record(self, record: str) -> str:
        totals, section = record.split("\n", 1)
        counted = json.loads(totals)
        part = counted["part"]
        self._parts.append(None if part is None else Part(*part, 0, 0, 0))
        self._claims += counted["claims"]
        self._severities.update(Severity(value) for value in counted["severities"])
        self._codes.update(counted["codes"])
        number = len(self._parts)
        section = _PLACEHOLDER.sub(lambda m: f"{m.group(1)}f{number}", section)
        if self._spool is None:
            # kept open across calls: end_pieces reads it back and closes it
            self._spool = SpooledTemporaryFile(_SPOOL_BYTES, mode="w+", encoding="utf-8")  # noqa: SIM115
        self._spool.write(section)
        self._lengths.append(len(section))
        return ""

    def end(self) -> str:
        return "".join(self.end_pieces())

    def end_pieces(self) -> Iterator[str]:
        """The page, a piece at a time: the header, each section, the footer."""
        total = sum(self._severities.values())
        yield _head(
            files_summary_of(self._parts), self._claims, _counted_of(total, self._severities)
        )
        if self._spool is not None:
            with self._spool:
                self._spool.seek(0)
                for length in self._lengths:
                    yield "\n" + self._spool.read(length)
        yield "\n" + _foot(sorted(self._codes), self._rules)


# ``id="f0…"`` and ``href="#f0…"``: a quote never comes from the report's text (html_text
# escapes it), so only the section's own anchors match.
_PLACEHOLDER = compiled(r'(id="|href="#)f0(?=["-])')
_SPOOL_BYTES = 8 << 20


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
            f"<style>{_CSS}</style>",
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
    known = ruleset(rules)
    docs = {}
    for code in codes:
        doc = rule_doc(code, known)
        # shown by the script as text, so controls are made visible here
        docs[code] = {
            "name": visible(doc.name),
            "category": visible(doc.category),
            "summary": visible(doc.summary, layout=True),
            "why": visible(doc.why, layout=True),
        }
    # "<" escaped so no "</script>" or "<!--" can end the data block early.
    data = json.dumps(docs, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    parts = [
        "</main>",
        '<div id="hc-help" role="tooltip" hidden></div>',
        f'<script type="application/json" id="hc-rules">{data}</script>',
        f"<script>{_JS}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _counted(findings: Sequence[Finding]) -> str:
    """``3 finding(s): 1 warning, 2 info`` (only the severities present)."""
    return _counted_of(len(findings), Counter(f.severity for f in findings))


def _counted_of(total: int, severities: Counter[Severity]) -> str:
    ranked = sorted(Severity, key=lambda s: -s.rank)
    counts = [f"{severities[s]} {s.value}" for s in ranked if severities[s]]
    return f"{total} finding(s)" + (": " + ", ".join(counts) if counts else "")


def _render_report(report: Report, number: int) -> str:
    ref = f"f{number}"
    return "\n".join(
        [
            f'<section class="file" id="{ref}">',
            f"<h2>{html_text(report_title(report))}</h2>",
            _summary(report, ref),
            _article(report, ref),
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


# -- the article ------------------------------------------------------------------------------


def _article(report: Report, ref: str) -> str:
    """The whole article with claims, cues and findings in place; only the claims when the
    report does not carry its source."""
    article = _prose(report)
    if article is None:
        return _claims_only(report, ref)
    titled = [c for c in report.claims if c.line == 0]  # a separate title: not in the source
    inside = [c for c in report.claims if c.line != 0]
    claims = _spans(article, inside, lambda span: True)

    def free(span: _Span) -> bool:  # a cue lies within one claim or outside every claim
        return all(
            span.end <= c.start or span.start >= c.end or c.start <= span.start < span.end <= c.end
            for c in claims
        )

    cues = _unique_cues(report)
    underlined = _spans(article, [c for c in cues if c.line != 0], free)
    notes = _notes(report, article, claims, ref)
    parts = ['<div class="article">']
    if titled:
        body = " ".join(_render_claim(claim) for claim in titled)
        parts.append(f'<p class="headline">{body}</p>')
    for start, end in _joined(_paragraphs(article.text), claims):
        parts.append(_paragraph(article.text, start, end, claims, underlined, notes))
    leftover = [note for position in sorted(notes) for note in notes[position]]
    if leftover:  # findings that point past the prose (none expected): shown at the end
        parts.append("<p>" + "".join(leftover) + "</p>")
    parts.append("</div>")
    return "\n".join(parts)


def _prose(report: Report) -> _Article | None:
    if report.source is None:
        return None
    base = report.part.start if report.part else 0
    if report.input_format == "text":
        return _Article(report.source, base, None)
    document = read_document(report.source, format=report.input_format)
    source_map = document.source_map
    if source_map.identity:
        return _Article(document.text, base, None)
    starts = [source_map.start(i) for i in range(len(document.text))]
    return _Article(document.text, base, starts)


def _spans(
    article: _Article, items: Sequence[Claim | Cue], keep: Callable[[_Span], bool]
) -> list[_Span]:
    """Items placed in the prose, in order, none empty and none overlapping one kept before
    (and each one ``keep`` accepts)."""
    placed: list[_Span] = []
    for item in sorted(items, key=lambda i: (i.start, -i.end)):
        span = _Span(article.at(item.start), article.at(item.end), item)
        if span.end <= span.start or (placed and span.start < placed[-1].end):
            continue
        if keep(span):
            placed.append(span)
    return placed


def _unique_cues(report: Report) -> list[Cue]:
    seen: dict[tuple[str, int, int], Cue] = {}
    for cue in (*report.study_cues, *(c for claim in report.claims for c in claim.cues)):
        seen.setdefault((cue.rule, cue.start, cue.end), cue)
    return list(seen.values())


def _notes(
    report: Report, article: _Article, claims: list[_Span], ref: str
) -> dict[int, list[str]]:
    """Each finding's note, keyed by the prose offset it is shown after: the end of the claim
    it lies in, else the end of its sentence."""
    notes: dict[int, list[str]] = {}
    for number, finding in enumerate(report.findings, 1):
        start = article.at(finding.start) if finding.line != 0 else 0
        end = max(article.at(finding.end), start) if finding.line != 0 else 0
        home = next((c for c in claims if c.start <= start < c.end), None)
        if home is not None:
            place = home.end
        else:
            stop = _SENTENCE_END.search(article.text, end)
            place = stop.end() if stop else len(article.text)
            place = min([place, *(c.start for c in claims if c.start >= end)])
            if "\n\n" in article.text[end:place]:
                place = end + article.text[end:place].index("\n\n")
        notes.setdefault(place, []).append(_note(finding, f"{ref}-finding-{number}", number))
    return notes


def _note(finding: Finding, anchor: str, number: int) -> str:
    severity = finding.severity.value
    suggestion = (
        f'<span class="suggestion">Suggestion: {html_text(finding.suggestion)}</span>'
        if finding.suggestion
        else ""
    )
    return (
        f'<span class="finding finding-{severity}" id="{anchor}" role="note">'
        f'<a class="back" href="#{anchor}-index" title="back to the summary">'
        f"{_SEVERITY_MARK.get(severity, '!')} {number}</a>"
        f'<span class="sev sev-{severity}">{severity}</span> '
        f"<code>{html_text(finding.code)}</code> {html_text(finding.message)} "
        f'<span class="note">({finding.line}:{finding.column}, '
        f"“{html_text(one_line(finding.text))}”)</span>{suggestion}</span>"
    )


def _joined(paragraphs: list[tuple[int, int]], claims: list[_Span]) -> list[tuple[int, int]]:
    """The paragraphs, with those a claim runs across made one: a blank line inside an HTML
    or Markdown paragraph's source is no paragraph break, and a claim is shown whole."""
    joined: list[tuple[int, int]] = []
    for start, end in paragraphs:
        crossed = joined and any(c.start < joined[-1][1] and c.end > start for c in claims)
        if crossed:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines, leading and trailing
    white space left out."""
    spans: list[tuple[int, int]] = []
    at = 0
    for gap in (*_PARAGRAPH_BREAK.finditer(text), None):
        end = gap.start() if gap else len(text)
        chunk = text[at:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip("\n"))
            spans.append((at + lead, at + len(chunk.rstrip())))
        at = gap.end() if gap else len(text)
    return spans


def _paragraph(
    text: str,
    start: int,
    end: int,
    claims: list[_Span],
    cues: list[_Span],
    notes: dict[int, list[str]],
) -> str:
    out: list[str] = []
    at = start
    headline = False
    for span in claims:
        if span.end <= start or span.start >= end:
            continue
        claim = span.item
        assert isinstance(claim, Claim)
        headline = headline or claim.headline
        s, e = max(span.start, start), min(span.end, end)
        out.append(_run(text, at, s, cues, notes))
        out.append(_claim_open(claim) + _run(text, s, e, cues, {}) + "</span>")
        at = _after_notes(text, e, notes.pop(e, []), out)
    out.append(_run(text, at, end, cues, notes))
    for position in [p for p in notes if start <= p <= end]:
        out.extend(notes.pop(position))
    css = ' class="headline"' if headline else ""
    return f"<p{css}>{''.join(out)}</p>"


def _run(text: str, start: int, end: int, cues: list[_Span], notes: dict[int, list[str]]) -> str:
    """``text[start:end]`` with its cues underlined and the notes shown after theirs."""
    out: list[str] = []
    at = start
    for span in cues:
        if span.start < start or span.end > end:
            continue
        out.append(_plain(text, at, span.start, notes))
        cue = span.item
        assert isinstance(cue, Cue)
        out.append(_cue_span(cue, html_text(text[span.start : span.end])))
        for position in [p for p in notes if span.start < p <= span.end]:
            out.extend(notes.pop(position))
        at = span.end
    out.append(_plain(text, at, end, notes))
    return "".join(out)


def _plain(text: str, start: int, end: int, notes: dict[int, list[str]]) -> str:
    out: list[str] = []
    at = start
    for position in sorted(p for p in notes if start < p <= end):
        out.append(html_text(text[at:position]))
        at = min(_after_notes(text, position, notes.pop(position), out), end)
    out.append(html_text(text[at:end]))
    return "".join(out)


def _after_notes(text: str, at: int, shown: list[str], out: list[str]) -> int:
    """Adds the notes ``shown`` at ``at`` to ``out``; where the text goes on after them:
    past the line break or the spaces that follow, since a note is a block and already
    ends its line."""
    out.extend(shown)
    gap = _AFTER_NOTE.match(text, at) if shown else None
    return gap.end() if gap else at


def _claim_open(claim: Claim) -> str:
    title = (
        f"{claim.label.value}; strength {claim.strength.value}; "
        f"certainty {claim.certainty:.2f}; confidence {claim.confidence:.2f}"
    )
    return (
        f'<span class="claim label-{claim.label.value}" data-label="{claim.label.value}" '
        f'title="{html_text(title)}">'
    )


def _claims_only(report: Report, ref: str) -> str:
    parts = [
        '<div class="article">',
        '<p class="note">The text of this report is not at hand: only its claims are shown, '
        "one paragraph per source line.</p>",
    ]
    for line, group in groupby(report.claims, key=lambda c: c.line):
        claims = list(group)
        css = ' class="headline"' if any(c.headline for c in claims) else ""
        where = f'<span class="where">{line}</span>' if line else ""
        body = " ".join(_render_claim(claim) for claim in claims)
        parts.append(f"<p{css}>{where}{body}</p>")
    notes = [
        _note(finding, f"{ref}-finding-{number}", number)
        for number, finding in enumerate(report.findings, 1)
    ]
    if notes:
        parts.append("<p>" + "".join(notes) + "</p>")
    parts.append("</div>")
    return "\n".join(parts)


def _render_claim(claim: Claim) -> str:
    placed, unplaced = locate_cues(claim)
    out: list[str] = []
    at = 0
    for item in placed:
        out.append(html_text(claim.text[at : item.start]))
        out.append(_cue_span(item.cue, html_text(claim.text[item.start : item.end])))
        at = item.end
    out.append(html_text(claim.text[at:]))
    extra = ""
    if unplaced:
        chips = ", ".join(_cue_span(cue, html_text(cue.text)) for cue in unplaced)
        extra = f'<span class="more">[also: {chips}]</span>'
    return f"{_claim_open(claim)}{''.join(out)}</span>{extra}"


def _cue_span(cue: Cue, inner: str) -> str:
    group = _CUE_GROUPS.get(cue.category, "other")
    scope = "study-level" if cue.scope == "document" else "sentence"
    title = f"{cue.rule} {cue.name} ({cue.category}): weight {cue.weight:+.2f}, scope {scope}"
    quoted = ' data-quoted="1"' if cue.quoted else ""
    return (
        f'<span class="cue cue-{group}" tabindex="0" data-rule="{html_text(cue.rule)}" '
        f'data-weight="{cue.weight:+.2f}" data-scope="{scope}"{quoted} '
        f'title="{html_text(title)}">{inner}</span>'
    )


def locate_cues(claim: Claim) -> tuple[list[_Placed], list[Cue]]:
    """Cues placed in the claim text, in order and not overlapping, and the cues left over."""
    placed: list[_Placed] = []
    unplaced: list[Cue] = []
    for cue in sorted(claim.cues, key=lambda c: (c.start, -c.end)):
        same_text = (cue.line >= 1) == (claim.line >= 1)  # line 0: both in a separate title
        inside = same_text and claim.start <= cue.start and cue.end <= claim.end
        found = _find(claim.text, cue.text, cue.start - claim.start, placed) if inside else None
        if found is None:
            unplaced.append(cue)
        else:
            placed.append(_Placed(cue, found, found + len(cue.text)))
            placed.sort(key=lambda p: p.start)
    return placed, unplaced


def _find(text: str, needle: str, expected: int, taken: list[_Placed]) -> int | None:
    """Where ``needle`` sits in ``text``: at ``expected`` if it is there, else the nearest
    occurrence (exact case first) that overlaps no cue already placed."""
    if not needle:
        return None

    def free(at: int) -> bool:
        return all(at + len(needle) <= p.start or at >= p.end for p in taken)

    if text[expected : expected + len(needle)] == needle and free(expected):
        return expected
    for haystack, sought in ((text, needle), (text.lower(), needle.lower())):
        if len(haystack) != len(text) or len(sought) != len(needle):
            continue  # lower() changed a length: its offsets would not map back
        hits = []
        at = haystack.find(sought)
        while at != -1:
            hits.append(at)
            at = haystack.find(sought, at + 1)
        hits = [h for h in hits if free(h)]
        if hits:
            return min(hits, key=lambda h: abs(h - expected))
    return None
