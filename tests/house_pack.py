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


# Two house rules (a hedge and a hype), for tests of the rule caches and the build notice.
HEDGE_PACK = """[pack]
name = "house"

[[rules]]
id = "HSE001"
name = "house-hedge"
category = "hedge"
kind = "modal"
patterns = ['perchance']
summary = "s"
why = "w"
source = "house style guide"
examples.match = ["It [[perchance]] works."]
examples.no_match = ["It works."]
"""
HOUSE_PACK = (
    HEDGE_PACK
    + """
[[rules]]
id = "HSE002"
name = "house-hype"
category = "hype"
kind = "cure"
patterns = ['wonder ?pills?']
summary = "s"
why = "w"
source = "house style guide"
examples.match = ["A [[wonder pill]] for all."]
examples.no_match = ["A pill for all."]
"""
)
