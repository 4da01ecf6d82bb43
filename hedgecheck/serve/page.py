"""The page an editor opens: a draft on the left, its HTML report on the right.

The draft is checked as it is edited, 400 ms after the last keystroke; an answer to an
older draft than the one last sent is dropped, so the report never goes back in time. A
dropped or chosen file is sent as it is to ``/api/render-file``, which reads it by its
extension; a text file's contents then fill the draft, in the format the server read it
as, so editing goes on from there (a Word file is shown, not edited here).

The report is the HTML format's own page, shown in a sandboxed frame: it is rendered and
escaped by :mod:`hedgecheck.formats.html_format` alone, and its script runs with no access
to this page. Everything is in this one document: the page loads nothing.
"""

from __future__ import annotations

_CSS = """
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #f4f4f6; }
header { padding: .5rem 1rem; background: #fff; border-bottom: 1px solid #ddd; }
h1 { font-size: 1.15rem; margin: 0; display: inline; }
header p { display: inline; margin-left: 1rem; color: #555; font-size: .85rem; }
main { display: grid; grid-template-columns: minmax(18rem, 2fr) 3fr; gap: .8rem;
  padding: .8rem; height: calc(100vh - 3rem); }
@media (max-width: 60rem) { main { grid-template-columns: 1fr; height: auto; } }
.pane { display: flex; flex-direction: column; min-height: 0; gap: .4rem; }
.controls { display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; font-size: .9rem; }
textarea { flex: 1; min-height: 20rem; width: 100%; resize: vertical; padding: .6rem;
  font: 14px/1.5 ui-monospace, monospace; border: 1px solid #bbb; border-radius: .3rem; }
#drop.dragging textarea { outline: 3px dashed #1f6feb; }
#status { font-size: .9rem; min-height: 1.4em; }
#problems { margin: 0; padding-left: 1.2rem; color: #a8660a; font-size: .85rem; }
#problems:empty { display: none; }
#status.failed { color: #c0221a; }
iframe { flex: 1; width: 100%; min-height: 30rem; border: 1px solid #bbb; border-radius: .3rem;
  background: #fff; }
"""

_JS = """
(function () {
  "use strict";
  var draft = document.getElementById("draft");
  var format = document.getElementById("format");
  var picker = document.getElementById("file");
  var drop = document.getElementById("drop");
  var status = document.getElementById("status");
  var problems = document.getElementById("problems");
  var frame = document.getElementById("report");
  var latest = 0, timer = null, pending = null;

  function say(text, failed) {
    status.textContent = text;
    status.className = failed ? "failed" : "";
  }
  function listProblems(items) {
    problems.replaceChildren.apply(problems, items.map(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      return li;
    }));
  }
  function show(answer, file) {
    frame.srcdoc = answer.html;
    say((file ? file.name + ": " : "") + "article " + (answer.label || "without claims") +
        ", " + answer.claims + " claim(s), " + answer.findings + " finding(s)", false);
    listProblems(answer.errors.concat(answer.warnings));
    document.body.dataset.checked = String(latest);
  }
  // Only the answer to the last request sent is shown; an older one is dropped.
  function send(url, body, type, file) {
    var number = ++latest;
    if (pending) { pending.abort(); }
    pending = new AbortController();
    say("checking…", false);
    fetch(url, {method: "POST", headers: {"Content-Type": type}, body: body,
                signal: pending.signal})
      .then(function (response) {
        return response.json().then(function (data) { return [response.ok, data]; });
      })
      .then(function (done) {
        if (number !== latest) { return; }
        if (!done[0]) { say(done[1].error || "the check failed", true); return; }
        show(done[1], file);
        if (file && format.querySelector("option[value='" + done[1].format + "']")) {
          file.text().then(function (text) {
            if (number !== latest) { return; }
            draft.value = text;
            format.value = done[1].format;
          });
        }
      })
      .catch(function (error) {
        if (number === latest && error.name !== "AbortError") { say(String(error), true); }
      });
  }
  function checkDraft() {
    clearTimeout(timer);
    if (!draft.value.trim()) {
      latest++;
      frame.srcdoc = "";
      say("Paste a draft or drop a file.", false);
      listProblems([]);
      return;
    }
    send("/api/render", JSON.stringify({text: draft.value, format: format.value}),
         "application/json", null);
  }
  function checkFile(file) {
    if (!file) { return; }
    send("/api/render-file?name=" + encodeURIComponent(file.name), file,
         "application/octet-stream", file);
  }
  draft.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(checkDraft, 400);
  });
  format.addEventListener("change", checkDraft);
  picker.addEventListener("change", function () { checkFile(picker.files[0]); });
  document.addEventListener("dragover", function (event) {
    event.preventDefault();
    drop.classList.add("dragging");
  });
  document.addEventListener("dragleave", function () { drop.classList.remove("dragging"); });
  document.addEventListener("drop", function (event) {
    event.preventDefault();
    drop.classList.remove("dragging");
    checkFile(event.dataTransfer.files[0]);
  });
  document.body.dataset.ready = "1";
})();
"""

PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hedgecheck</title>
<style>{_CSS}</style>
</head>
<body>
<header><h1>hedgecheck</h1><p>Checked on this machine: the draft is sent to this local
server only.</p></header>
<main>
<section class="pane" id="drop" aria-label="draft">
<div class="controls">
<label>Read as <select id="format">
<option value="text">plain text</option>
<option value="markdown">Markdown</option>
<option value="html">HTML</option>
</select></label>
<label>or open a file <input type="file" id="file"
accept=".txt,.md,.markdown,.html,.htm,.docx"></label>
</div>
<textarea id="draft" spellcheck="true" placeholder="Paste a draft here, or drop a .txt, .md,
.html or .docx file anywhere on the page. The first line is the headline."
aria-label="draft"></textarea>
</section>
<section class="pane" aria-label="report">
<div id="status" role="status" aria-live="polite">Paste a draft or drop a file.</div>
<ul id="problems"></ul>
<iframe id="report" title="report" sandbox="allow-scripts"></iframe>
</section>
</main>
<script>{_JS}</script>
</body>
</html>
"""
