"""The HTML page's assets: its inline style sheet and the script that shows a cue's rule.

The page loads nothing: both are written into it. The script reads the rules' help from
the page's ``hc-rules`` data block (see :func:`hedgecheck.ruledoc.hover`) and shows it as
text over a cue that is hovered, focused or clicked.
"""

CSS = """
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

JS = """
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
