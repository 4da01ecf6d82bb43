"""Load rule packs (TOML files or folders of them) into a :class:`RuleSet`.

A pack is a TOML file with a ``[pack]`` table and ``[[rules]]`` (and optionally
``[[checks]]`` and ``[fragments]``); ``scoring.toml`` holds the ``[scoring]`` parameters
instead (see :mod:`hedgecheck.packfile`). Everything is checked before any text is read:
unknown keys, bad patterns, duplicate ids and dangling references raise :class:`RuleError`
naming file, rule and key. A set of packs built once is read from the shipped or the user's
rule cache after (:mod:`hedgecheck.rulecache`).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from hedgecheck.arguments import path_text, require
from hedgecheck.errors import RuleError
from hedgecheck.lexicon import read_lexicon
from hedgecheck.rulecache import RuleCache, read_shipped
from hedgecheck.ruleset import RuleSet, default_rules_path, shadow_warnings, swallow_warnings
from hedgecheck.schema import CATEGORIES, RESERVED_IDS, Check, Rule, Scoring
from hedgecheck.tomlfile import loads_toml, read_toml_bytes, toml_text

_DEFAULT: RuleSet | None = None


def default_rules() -> RuleSet:
    """The default packs, loaded and compiled once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_rules()
    return _DEFAULT


def load_rules(*paths: str | Path, include_defaults: bool = False) -> RuleSet:
    """Load packs from files or folders (``*.toml``); no paths means the default packs.

    A build of the rules from their packs that takes more than ``SLOW_BUILD`` seconds is
    announced, once, as an INFO record of the ``hedgecheck`` logger (the command line
    shows it on stderr)."""
    require(include_defaults, bool, argument="load_rules(): include_defaults")
    targets = [Path(path_text(p, argument="load_rules(): each path")) for p in paths]
    if not targets or include_defaults:
        targets.insert(0, default_rules_path())
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files.extend(sorted(target.glob("*.toml")))
        elif os.path.lexists(target):
            files.append(target)  # whatever it is, the reader names what is wrong with it
        else:
            raise RuleError("no such rule pack file or folder", path=str(target))
    # A pack named twice (by the config and by --rules) is loaded once, not refused for
    # defining its ids twice.
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    files = list(unique.values())
    # Each pack is read once, within bounds: the cache key and the parser see the same bytes.
    packs = [(path, read_toml_bytes(path)) for path in files]
    notices: list[str] = []
    defaults = default_rules_path()
    shipped = read_shipped(packs, notices, folder=defaults) if targets == [defaults] else None
    if shipped is not None:
        return shipped
    cache = RuleCache.open(packs, notices)
    try:
        cached = cache.read(notices) if cache is not None else None
        if cached is not None:
            return _with_notices(cached, notices)
        with _announced_if_slow(len(packs), cached=cache is not None):
            ruleset = compiled_rules(packs) if cache is not None else built_rules(packs)
        if cache is not None:
            cache.write(ruleset, notices)
    finally:
        if cache is not None:
            cache.close()
    return _with_notices(ruleset, notices)


def _with_notices(ruleset: RuleSet, notices: list[str]) -> RuleSet:
    """What the caches noticed is said of this load only, so it joins the rule set's
    warnings after the rule set went into (or came out of) a cache."""
    if notices:
        object.__setattr__(ruleset, "warnings", (*ruleset.warnings, *notices))
    return ruleset


def compiled_rules(files: list[tuple[Path, bytes]]) -> RuleSet:
    """The rules of ``files`` with every branch, and the alternations met in their
    examples' prose, compiled ahead: what a cache holds."""
    ruleset = built_rules(files)
    prose = ruleset.example_prose()
    for matcher in ruleset.matchers:
        matcher.compile_branches(prose)
    return ruleset


# Seconds a build of the rules from their packs runs before it is announced: a warm cache
# loads in a few hundredths of a second, a build of the default packs takes several seconds.
SLOW_BUILD = 1.0


@contextlib.contextmanager
def _announced_if_slow(packs: int, *, cached: bool) -> Iterator[None]:
    """While the block runs, a timer that logs what is happening if it runs past
    ``SLOW_BUILD`` seconds: the library prints nothing itself."""
    counted = f"{packs} pack{'' if packs == 1 else 's'}"
    what = (
        f"building the rule cache for {counted} (once per set of packs)…"
        if cached
        else f"compiling the rules of {counted} (the rule cache is off)…"
    )
    timer = threading.Timer(SLOW_BUILD, _announce, args=(what,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _announce(what: str) -> None:
    import logging  # only when a build is slow: a warm start (and --quiet) never needs it

    logging.getLogger("hedgecheck").info(what)


def built_rules(files: list[tuple[Path, bytes]]) -> RuleSet:
    """The rule set of pack files (each path with its bytes), validated, its matchers built
    but nothing compiled ahead."""
    from hedgecheck.packfile import parse_pack, parse_scoring  # not for rules from a cache

    rules: list[Rule] = []
    checks: list[Check] = []
    scoring = Scoring()
    packs: list[str] = []
    parsed: list[tuple[Path, dict[str, Any]]] = []
    texts = [(path, toml_text(raw, path=path)) for path, raw in files]
    for path, text in texts:
        data = loads_toml(text, path=path)
        if "scoring" in data:
            scoring = parse_scoring(data, path)
            continue
        name, pack_rules, pack_checks = parse_pack(data, path)
        packs.append(name)
        rules.extend(pack_rules)
        checks.extend(pack_checks)
        parsed.append((path, data))
    _check_ids(rules, checks)
    lexicon, replaced = read_lexicon(parsed, taken={i.id: i.file for i in (*rules, *checks)})
    ruleset = RuleSet(
        rules=tuple(rules),
        scoring=scoring,
        packs=tuple(packs),
        checks=tuple(checks),
        lexicon=lexicon,
        warnings=(*swallow_warnings(rules), *replaced),
    )
    shadows = shadow_warnings(ruleset)
    if shadows:
        object.__setattr__(ruleset, "warnings", (*ruleset.warnings, *shadows))
    return ruleset


def _check_ids(rules: list[Rule], checks: Sequence[Check] = ()) -> None:
    seen: dict[str, str] = {}
    for item in [*rules, *checks]:
        if item.id in RESERVED_IDS:
            raise RuleError(
                "id reserved for a finding hedgecheck raises itself (see hedgecheck rules "
                f"{item.id})",
                path=item.file,
                rule=item.id,
                key="id",
            )
        if item.id in seen:
            raise RuleError(
                f"duplicate id (also in {seen[item.id]})", path=item.file, rule=item.id, key="id"
            )
        seen[item.id] = item.file
    names: dict[str, str] = {}
    for check in checks:
        if check.name in names:
            raise RuleError(
                f"check {check.name!r} is already given by {names[check.name]}",
                path=check.file,
                rule=check.id,
                key="name",
            )
        names[check.name] = check.id
    known = set(seen) | set(CATEGORIES)
    for rule in rules:
        for ref in rule.swallows:
            if ref not in known:
                raise RuleError(
                    f"swallows {ref!r}, which is no rule id or category",
                    path=rule.file,
                    rule=rule.id,
                    key="swallows",
                )
