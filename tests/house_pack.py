"""House packs for tests and fuzz targets that need rules from outside the shipped packs
(which are trusted: only an outside pack's matches are timed). It imports no hedgecheck, so
fuzz targets import it by path before instrumenting hedgecheck."""

from __future__ import annotations

from pathlib import Path

HEADER = '[pack]\nname = "house"\n'


def house_rule(
    rule_id: str,
    *patterns: str,
    name: str = "slow",
    category: str = "hedge",
    kind: str | None = "modal",
    more: str = "",
    example: str = "[[ab]] c",
    no_match: str = "x",
    source: str = "me",
) -> str:
    """A ``[[rules]]`` block. ``patterns`` are TOML literal strings; ``more`` is TOML lines
    put after them (a weight, a relation, a swallows list); ``kind`` is None for categories
    that take none (negation, pseudo)."""
    listed = ", ".join(f"'{pattern}'" for pattern in patterns)
    lines = [
        "",
        "[[rules]]",
        f'id = "{rule_id}"',
        f'name = "{name}"',
        f'category = "{category}"',
        *([f'kind = "{kind}"'] if kind else []),
        f"patterns = [{listed}]",
        *([more] if more else []),
        'summary = "s"',
        'why = "w"',
        f'source = "{source}"',
        f'examples.match = ["{example}"]',
        f'examples.no_match = ["{no_match}"]',
    ]
    return "\n".join(lines) + "\n"


def write_pack(path: Path, *patterns: str, example: str = "[[ab]] c") -> Path:
    """``path`` written as a pack whose one rule, HSE001, has ``patterns``."""
    path.write_text(HEADER + house_rule("HSE001", *patterns, example=example))
    return path


def hedge_rule(*, more: str = "") -> str:
    """HSE001, a house hedge ("perchance"), with ``more`` TOML lines after its patterns."""
    return house_rule(
        "HSE001",
        "perchance",
        name="house-hedge",
        more=more,
        example="It [[perchance]] works.",
        no_match="It works.",
        source="house style guide",
    )


def hype_rule(rule_id: str = "HSE002") -> str:
    """A house hype rule ("wonder pill")."""
    return house_rule(
        rule_id,
        "wonder ?pills?",
        name="house-hype",
        category="hype",
        kind="cure",
        example="A [[wonder pill]] for all.",
        no_match="A pill for all.",
        source="house style guide",
    )


def pseudo_rule(rule_id: str, pattern: str, *, name: str, swallows: str, example: str) -> str:
    """A house pseudo rule that swallows ``swallows`` (a TOML line, or "" for no list)."""
    return house_rule(
        rule_id,
        pattern,
        name=name,
        category="pseudo",
        kind=None,
        more=swallows,
        example=example,
        no_match="It works.",
        source="house style guide",
    )


# Two house rules (a hedge and a hype), for tests of the rule caches and the build notice.
HEDGE_PACK = HEADER + hedge_rule()
HOUSE_PACK = HEDGE_PACK + hype_rule()
