"""A one-rule house pack, for tests that need rules from outside the shipped packs (which
are trusted: only an outside pack's matches are timed)."""

from __future__ import annotations

from pathlib import Path

PACK = """[pack]
name = "house"
[[rules]]
id = "HSE001"
name = "slow"
category = "hedge"
kind = "modal"
patterns = [{patterns}]
summary = "s"
why = "w"
source = "me"
examples.match = ["{example}"]
examples.no_match = ["x"]
"""


def write_pack(path: Path, *patterns: str, example: str = "[[ab]] c") -> Path:
    """``path`` written as a pack whose one rule has ``patterns`` (TOML literal strings)."""
    listed = ", ".join(f"'{pattern}'" for pattern in patterns)
    path.write_text(PACK.format(patterns=listed, example=example))
    return path
