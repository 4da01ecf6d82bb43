"""A report's JSON written a few claims at a time: the same bytes as ``json.dumps`` of its
whole dict, without the dict or the text of every claim ever being held at once.

A part of a big file holds tens of thousands of claims; its dict took five times the memory
of the report itself, and its JSON text twice more. Here the report's short fields are made
into a dict (its claims and findings left out), and the claims and findings are turned into
JSON one by one as the output is written, in pieces of about ``PIECE_CHARS`` characters. A
piece ends between two values of the document, never inside a string, so each may be
guarded (:func:`hedgecheck.formats._safe.guard`) alone with the same result as the whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from hedgecheck.formats._common import PIECE_CHARS
from hedgecheck.model import Report
from hedgecheck.serialise import to_dict

_STREAMED = ("claims", "findings")  # the fields that grow with the text
_STEP = "  "  # json.dumps(indent=2)


def _encoder(indented: bool, *, check_circular: bool = True) -> json.JSONEncoder:
    """The encoder json.dumps makes at every call with these options."""
    if indented:
        return json.JSONEncoder(ensure_ascii=False, indent=2, check_circular=check_circular)
    return json.JSONEncoder(
        ensure_ascii=False, separators=(",", ":"), check_circular=check_circular
    )


_ENCODERS = {indented: _encoder(indented) for indented in (False, True)}
# An item's dict is fresh from to_dict, new dicts and lists all through, so it holds no
# cycle: its encoder skips the search for one (a sixth of encoding a claim).
_ITEM_ENCODERS = {indented: _encoder(indented, check_circular=False) for indented in (False, True)}


def report_pieces(
    report: Report, extra: dict[str, Any] | None = None, *, indented: bool = False, end: str = ""
) -> Iterator[str]:
    """``json.dumps({**report.to_dict(), **extra}, ensure_ascii=False, ...) + end`` in
    pieces: compact (``separators=(",", ":")``), or ``indented`` (``indent=2``)."""
    head = to_dict(replace(report, claims=(), findings=()))
    fields = {**head, **(extra or {})}  # never empty: a report has a path, a label...
    opening, between, colon = ("{\n" + _STEP, ",\n" + _STEP, ": ") if indented else ("{", ",", ":")
    held: list[str] = [opening]
    size = 0
    for number, (key, value) in enumerate(fields.items()):
        held.append((between if number else "") + _dumps(key, indented) + colon)
        if key in _STREAMED:
            for text in _items(getattr(report, key), indented):
                held.append(text)
                size += len(text)
                if size >= PIECE_CHARS:
                    yield "".join(held)
                    held, size = [], 0
        else:
            held.append(_nested(_dumps(value, indented), indented))
    held.append(("\n}" if indented else "}") + end)
    yield "".join(held)


def _items(items: Sequence[Any], indented: bool) -> Iterator[str]:
    """A list of dataclasses as ``json.dumps`` writes it, one item (with what comes before
    it) at a time; the item's dict lives no longer than its text takes to make."""
    if not items:
        yield "[]"
        return
    first, between = ("[\n" + _STEP * 2, ",\n" + _STEP * 2) if indented else ("[", ",")
    for number, item in enumerate(items):
        text = _ITEM_ENCODERS[indented].encode(to_dict(item))
        yield (between if number else first) + (_nested(text, indented, depth=2))
    yield "\n" + _STEP + "]" if indented else "]"


def _dumps(value: Any, indented: bool) -> str:
    return _ENCODERS[indented].encode(value)


def _nested(text: str, indented: bool, depth: int = 1) -> str:
    """A value's JSON as it reads ``depth`` levels down an indented document (no JSON
    string holds a raw line break, so every line break starts a line of the value)."""
    return text.replace("\n", "\n" + _STEP * depth) if indented else text
