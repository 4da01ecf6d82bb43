"""Output formats, one module each, registered by name and fed by the one report model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hedgecheck.formats import json_format, text_format
from hedgecheck.model import Report


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    render: Callable[..., str]


FORMATS: dict[str, Format] = {
    "text": Format("text", "for people: path:line:col, label and cues", text_format.render),
    "json": Format("json", "one JSON document (schema_version 1)", json_format.render),
}


def render(name: str, reports: Sequence[Report], *, color: bool = False) -> str:
    return FORMATS[name].render(reports, color=color)
