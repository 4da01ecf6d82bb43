"""What no output of hedgecheck may hold, whatever the article, its file name or a rule pack
says: shared by the output-safety tests, the hostile corpus and the fuzz target
(fuzz/fuzz_output.py).

* No line, as GitHub's Actions runner reads lines (split at CR, LF or CR LF, leading white
  space trimmed), starts with ``::`` or holds the legacy ``##[`` command prefix anywhere, but
  the GitHub format's own annotations (which the runner reads as annotations first).
* No C0 control other than tab and line feed, no DEL, no C1 control, no bidi control, no line
  or paragraph separator and no lone surrogate (the output encodes as UTF-8); with colour on,
  ESC only as the text format's own SGR colour codes.
* Line-oriented formats keep their shape: every GitHub line is one annotation, every Markdown
  line belongs to a table, a heading or the summary, and every text line is a header, an
  indented line, the closing summary or blank; a line break in outside text would leave a
  line that is none of these.
* Markdown, rendered, makes no link, image, emphasis or HTML element of its own (only the
  format's tables, headings, bold labels, ``<details>`` and ``<br>``), and its text holds
  nothing GitHub would turn into a mention, an autolink or an issue reference.
* JSON, JSON lines and SARIF parse.
"""

from __future__ import annotations

import html
import json
import re

from markdown_it import MarkdownIt

UNSAFE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    r"\u2028\u2029\ud800-\udfff]"
)
SGR = re.compile(r"\x1b\[[0-9;]*m")
RUNNER_LINE = re.compile(r"\r\n|\r|\n")
ANNOTATION = re.compile(
    r"::(error|warning|notice) ((?:file|line|col|endLine|endColumn|title)=[^:,]*"
    r"(?:,(?:file|line|col|endLine|endColumn|title)=[^:,]*)*)::[^\r\n]*"
)
TEXT_HEADER = re.compile(
    r".+: (?:(?:established|supported|preliminary|speculative)(?: — .+; .+)?|no claims)"
)
CONCISE_LINE = re.compile(r".+:\d+:\d+: \S+ \[(?:error|warning|info)\] .*")
TEXT_SUMMARY = re.compile(r"\d+ file\(s\)( \(.*\))?, \d+ claim\(s\), \d+ finding\(s\) \(.*\)")
MARKDOWN_LINE = re.compile(r"\||#{3,4} |\*\*|</?details>|$")
MARKDOWN = MarkdownIt("commonmark").enable("table")
# The elements the Markdown format makes itself; any other one came from outside text.
MARKDOWN_OWN_TAG = re.compile(
    r"</?(?:table|thead|tbody|tr|th|td|br|p|h3|h4|strong|details|summary)\b[^>]*>"
)
# What GitHub links or notifies in rendered text, whatever the Markdown source said.
GITHUB_REFERENCES = re.compile(
    r"(?<![\w])@[a-z0-9]|[a-z][a-z0-9+.-]*://|www\.|#\d|GH-\d|[\w.+-]+@[\w-]+\.\w", re.I
)


def problems(output: str, fmt: str, *, color: bool = False) -> list[str]:
    """Every way ``output`` of format ``fmt`` (or ``"stderr"``) breaks the rules above."""
    found: list[str] = []
    shown = SGR.sub("", output) if color else output
    for char in sorted(set(UNSAFE.findall(shown))):
        found.append(f"raw {char!r}")
    for line in RUNNER_LINE.split(output):
        if fmt == "github" and ANNOTATION.fullmatch(line):
            continue
        if "##[" in line:
            found.append(f"legacy command in {line!r}")
        if line.lstrip().startswith("::"):
            found.append(f"workflow command {line!r}")
    found += _shape(shown, fmt)
    return found


def _shape(output: str, fmt: str) -> list[str]:
    lines = output.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if fmt == "github":
        return [f"not one annotation: {line!r}" for line in lines if not ANNOTATION.fullmatch(line)]
    if fmt == "markdown":
        found = [f"stray Markdown line {line!r}" for line in lines if not MARKDOWN_LINE.match(line)]
        return found + rendered_markdown_problems(output)
    if fmt == "text":
        return [
            f"stray text line {line!r}"
            for line in lines
            if line
            and not line.startswith("  ")
            and not TEXT_HEADER.fullmatch(line)
            and not TEXT_SUMMARY.fullmatch(line)
        ]
    if fmt == "concise":
        return [
            f"stray concise line {line!r}" for line in lines if not CONCISE_LINE.fullmatch(line)
        ]
    if fmt == "stderr":
        return [
            f"stray stderr line {line!r}" for line in lines if not line.startswith("hedgecheck")
        ]
    if fmt in ("json", "sarif"):
        json.loads(output)
    if fmt == "jsonl":
        for line in lines:
            json.loads(line)
    return []


def rendered_markdown_problems(source: str) -> list[str]:
    """What rendering ``source`` as GitHub would makes of outside text: elements, mentions,
    links and references."""
    page = MARKDOWN.render(source)
    tags = re.findall(r"<[^>]*>", page)
    found = [f"element {tag!r}" for tag in tags if not MARKDOWN_OWN_TAG.fullmatch(tag)]
    text = html.unescape(re.sub(r"<[^>]*>", " ", page))
    found += [f"reference {m.group()!r}" for m in GITHUB_REFERENCES.finditer(text)]
    return found


def assert_safe(output: str, fmt: str, *, color: bool = False) -> None:
    found = problems(output, fmt, color=color)
    assert not found, f"{fmt}: {found[:5]}"
    output.encode("utf-8")
