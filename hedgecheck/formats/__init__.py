"""Output formats, one module each, registered by name and fed by the one report model.

Every format is a function ``render(reports, *, color=False, rules=None) -> str``. ``rules``
is the :class:`~hedgecheck.rules.RuleSet` the reports were made with; formats that document
rules (SARIF's rule metadata, the HTML page's cue help) read it, and fall back to the default
packs when it is None. ``color`` matters only to the text format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hedgecheck.formats import (
    github_format,
    html_format,
    json_format,
    jsonl_format,
    markdown_format,
    sarif_format,
    text_format,
)
from hedgecheck.model import Report
from hedgecheck.rules import RuleSet


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    render: Callable[..., str]


FORMATS: dict[str, Format] = {
    format.name: format
    for format in (
        Format("text", "for people: path:line:col, label, cues and findings", text_format.render),
        Format("json", "one JSON document (schema_version 1)", json_format.render),
        Format("jsonl", "one compact JSON report per line, for corpora", jsonl_format.render),
        Format("sarif", "SARIF 2.1.0, for code-scanning tools", sarif_format.render),
        Format("github", "GitHub Actions workflow commands (annotations)", github_format.render),
        Format("markdown", "a summary for a pull-request comment", markdown_format.render),
        Format("html", "one self-contained page: claims tinted by label", html_format.render),
    )
}


def render(
    name: str, reports: Sequence[Report], *, color: bool = False, rules: RuleSet | None = None
) -> str:
    """``reports`` in the format registered as ``name``."""
    return FORMATS[name].render(reports, color=color, rules=rules)
