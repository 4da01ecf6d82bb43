"""One self-contained HTML page per run: the claims tinted by label, their cues explained.

Per file: the article label, the evidence tag (peer review, study type, subjects and the text
it rests on), the report card (a table of the ten criteria: status, note and the mentions each
rests on, with their line:column), a legend, the reading text and the findings. The page has inline
CSS and a little inline JavaScript and loads nothing. Everything from the report goes through
:func:`hedgecheck.formats._safe.html_text`: escaped, controls and bidi characters shown as
escapes (``\\x1b``), line breaks as character references.

The formatter does not have the source, so the reading text is rebuilt from the claims: each
claim's text in order, claims that share a source line in one paragraph. Non-claim sentences
are not shown. Cues are underlined inside their claim: a cue's ``start - claim.start`` is its
place in the claim text only when that text equals the source slice (plain text); for
Markdown and HTML the claim text is prose, so the cue's text is looked for at that place
first, then at the occurrence nearest to it. A cue that lies outside its claim (a study-level
cue applied to the study's claims) or cannot be found is listed after the claim instead.

Hovering, focusing or clicking a cue shows its rule id, name and why (from the rule set),
weight and scope; without JavaScript the cue's ``title`` gives the short form.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from hedgecheck.formats._common import (
    CARD_SYMBOLS,
    all_findings,
    card_score,
    criterion_name,
    files_summary,
    one_line,
    report_title,
    rule_doc,
    ruleset,
    severity_counts,
    study_type,
)
from hedgecheck.formats._safe import html_text, visible
from hedgecheck.model import CardItem, Claim, Cue, EvidenceTag, Finding, Label, Mention, Report
from hedgecheck.rules import RuleSet

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
    Label.SUPPORTED: "good evidence, stated without heavy hedging",
    Label.PRELIMINARY: "early evidence: small, unreviewed, animal or cell study, or hedged",
    Label.SPECULATIVE: "hedged, with little or no evidence",
}

_CSS = """
:root { color-scheme: light; --est: #c8ecd0; --sup: #cde7f7; --pre: #fbeec1; --spe: #f8d3d0; }
body { font: 16px/1.6 system-ui, sans-serif; margin: 0 auto; max-width: 52rem; padding: 1rem;
  color: #1d1d1f; background: #fff; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2.5rem;
  border-top: 1px solid #ccc; padding-top: 1rem; word-break: break-all; }
.badge { display: inline-block; padding: 0 .5em; border-radius: .3em; font-weight: 600; }
.label-established { background: var(--est); } .label-supported { background: var(--sup); }
.label-preliminary { background: var(--pre); } .label-speculative { background: var(--spe); }
.legend { font-size: .85rem; display: flex; flex-wrap: wrap; gap: .4rem 1rem;
  padding: .5rem; border: 1px solid #ddd; border-radius: .3rem; }
.legend span { white-space: nowrap; }
.reading p { margin: .6rem 0; } .reading .headline { font-size: 1.15rem; font-weight: 600; }
.claim { padding: .1em .15em; border-radius: .2em; box-decoration-break: clone;
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
.findings { padding-left: 1.2rem; } .findings li { margin: .3rem 0; }
.sev { font-weight: 600; text-transform: uppercase; font-size: .75rem; padding: 0 .4em;
  border-radius: .2em; color: #fff; }
.sev-error { background: #c0221a; } .sev-warning { background: #a8660a; }
.sev-info { background: #4a5a6a; }
.note { color: #555; font-size: .85rem; }
.evidence-tag { display: flex; flex-wrap: wrap; gap: .3rem 1.5rem; margin: .5rem 0;
  padding: .5rem .7rem; border: 1px solid #bbb; border-left: 4px solid #7d3cbd;
  border-radius: .3rem; background: #faf8fc; }
.evidence-tag dl { display: contents; } .evidence-tag div { white-space: nowrap; }
.evidence-tag dt { display: inline; font-weight: 600; } .evidence-tag dd { display: inline;
  margin: 0 0 0 .3em; }
.report-card { border-collapse: collapse; font-size: .85rem; margin: .5rem 0 1rem;
  width: 100%; }
.report-card caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
.report-card th, .report-card td { border: 1px solid #ddd; padding: .2rem .4rem;
  text-align: left; vertical-align: top; }
.report-card ul { margin: 0; padding-left: 1rem; }
.status-satisfied { background: #e3f4e7; } .status-not-satisfied { background: #fbe3e1; }
.status-not-applicable { background: #eee; }
#hc-help { position: absolute; z-index: 10; max-width: 26rem; background: #222; color: #fff;
  padding: .6rem .8rem; border-radius: .4rem; font-size: .85rem; line-height: 1.4;
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
    help.style.left = (window.scrollX + box.left) + "px";
    help.style.top = (window.scrollY + box.bottom + 6) + "px";
    help.hidden = false;
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


def render(reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None) -> str:
    known = ruleset(rules)
    findings = all_findings(reports)
    claims = sum(len(r.claims) for r in reports)
    counts = ", ".join(f"{n} {s.value}" for s, n in severity_counts(findings).items())
    codes = sorted(
        {cue.rule for r in reports for c in r.claims for cue in c.cues}
        | {cue.rule for r in reports for cue in r.study_cues}
    )
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
        f"<p>{html_text(files_summary(reports))}, {claims} claim(s), {len(findings)} finding(s) "
        f"({html_text(counts)}).</p>",
        '<p class="note">Only the sentences read as claims are shown, in order, one paragraph '
        "per source line. Hover over, focus or click an underlined cue for its rule.</p>",
        "</header>",
        "<main>",
        *(_render_report(report) for report in reports),
        "</main>",
        '<div id="hc-help" role="tooltip" hidden></div>',
        f'<script type="application/json" id="hc-rules">{data}</script>',
        f"<script>{_JS}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _render_report(report: Report) -> str:
    label = report.label
    badge = (
        f'<span class="badge label-{label.value}">{label.value}</span>'
        if label
        else '<span class="badge">no claims</span>'
    )
    parts = [
        '<section class="file">',
        f"<h2>{html_text(report_title(report))}</h2>",
        f'<p class="article-label">Article: {badge} '
        f'<span class="note">({len(report.claims)} claim(s), '
        f"input {html_text(report.input_format)})</span></p>",
        _evidence_tag(report.evidence_tag),
        _report_card(report.report_card),
        _legend(),
        '<div class="reading">',
    ]
    for line, group in groupby(report.claims, key=lambda c: c.line):
        claims = list(group)
        css = ' class="headline"' if any(c.headline for c in claims) else ""
        where = f'<span class="where">{line}</span>' if line else ""
        body = " ".join(_render_claim(claim) for claim in claims)
        parts.append(f'<p data-line="{line}"{css}>{where}{body}</p>')
    parts.append("</div>")
    parts.append("<h3>Findings</h3>")
    if report.findings:
        parts.append('<ul class="findings">')
        parts += [_render_finding(f) for f in report.findings]
        parts.append("</ul>")
    else:
        parts.append('<p class="note">No findings.</p>')
    parts.append("</section>")
    return "\n".join(parts)


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
        '<table class="report-card">\n'
        f"<caption>Report card: {html_text(card_score(card))}</caption>\n"
        "<thead><tr><th>Criterion</th><th>Status</th><th>Note</th><th>Evidence</th></tr>"
        f"</thead>\n<tbody>\n{rows}\n</tbody>\n</table>"
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
    return f'<div class="legend" role="note">{labels} {cues}</div>'


def _render_claim(claim: Claim) -> str:
    placed, unplaced = locate_cues(claim)
    out: list[str] = []
    at = 0
    for item in placed:
        out.append(html_text(claim.text[at : item.start]))
        out.append(_cue_span(item.cue, html_text(claim.text[item.start : item.end])))
        at = item.end
    out.append(html_text(claim.text[at:]))
    title = (
        f"{claim.label.value}; strength {claim.strength.value}; "
        f"certainty {claim.certainty:.2f}; confidence {claim.confidence:.2f}"
    )
    extra = ""
    if unplaced:
        chips = ", ".join(_cue_span(cue, html_text(cue.text)) for cue in unplaced)
        extra = f'<span class="more">[also: {chips}]</span>'
    return (
        f'<span class="claim label-{claim.label.value}" data-label="{claim.label.value}" '
        f'title="{html_text(title)}">{"".join(out)}</span>{extra}'
    )


def _cue_span(cue: Cue, inner: str) -> str:
    group = _CUE_GROUPS.get(cue.category, "other")
    scope = "study-level" if cue.scope == "document" else "sentence"
    title = f"{cue.rule} {cue.name}: weight {cue.weight:+.2f}, scope {scope}"
    quoted = ' data-quoted="1"' if cue.quoted else ""
    return (
        f'<span class="cue cue-{group}" tabindex="0" data-rule="{html_text(cue.rule)}" '
        f'data-weight="{cue.weight:+.2f}" data-scope="{scope}"{quoted} '
        f'title="{html_text(title)}">{inner}</span>'
    )


def _render_finding(finding: Finding) -> str:
    severity = finding.severity.value
    suggestion = (
        f' <span class="note">Suggestion: {html_text(finding.suggestion)}</span>'
        if finding.suggestion
        else ""
    )
    return (
        f'<li><span class="sev sev-{severity}">{severity}</span> '
        f"{finding.line}:{finding.column} <code>{html_text(finding.code)}</code> "
        f"{html_text(finding.message)} (“{html_text(one_line(finding.text))}”){suggestion}</li>"
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
