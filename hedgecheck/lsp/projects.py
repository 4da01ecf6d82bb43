"""The configuration a document is checked under, and its rules, loaded once per version.

A document at a file URI is checked as ``hedgecheck scan`` would check that file: under the
nearest ``.hedgecheck.toml`` or ``pyproject.toml`` with ``[tool.hedgecheck]`` at or above it
(:func:`hedgecheck.config.find_config`), with that file's house packs, its policy for the
file (overrides, label gate) and its excludes. A document with no file (an unsaved buffer)
is checked under the configuration found from the workspace's folder, if any. The rules of
a configuration file are loaded once and kept until the file's modification time changes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from hedgecheck.config import Config, find_config, load_config
from hedgecheck.errors import ConfigError
from hedgecheck.loader import default_rules, load_rules
from hedgecheck.ruleset import RuleSet
from hedgecheck.selectors import Vocabulary

# (config path, its modification time in ns); (None, 0) for the defaults.
_Key = tuple[str | None, int]


@dataclass(frozen=True, slots=True)
class Project:
    """A configuration (the defaults when no file applies) and the rules it names."""

    config: Config
    rules: RuleSet


class Projects:
    """Projects by configuration file, loaded when first needed and again when the file
    changes. Safe to use from the checking thread and the server's loop at once."""

    def __init__(self) -> None:
        self._loaded: dict[_Key, Project] = {}
        self._lock = threading.Lock()
        self.loads = 0  # how many times rules were loaded: once per config version

    def for_path(self, path: Path | None) -> Project:
        """The project of a file (or of a folder, for a document with no file; None for
        the defaults). A configuration or rule pack that cannot be loaded is a
        HedgecheckError."""
        found = None if path is None else find_config(path)
        key: _Key = (str(found), found.stat().st_mtime_ns) if found else (None, 0)
        with self._lock:
            project = self._loaded.get(key)
            if project is None:
                project = self._loaded[key] = _load(found)
                self.loads += 1
                # an older version of the same file is of no more use
                for stale in [k for k in self._loaded if k[0] == key[0] and k != key]:
                    del self._loaded[stale]
            return project


def _load(found: Path | None) -> Project:
    config = load_config(found) if found else Config()
    packs = tuple(map(str, config.rule_paths))
    rules = load_rules(*packs, include_defaults=True) if packs else default_rules()
    _refuse_unknown_selectors(config, rules)
    return Project(config, rules)


def _refuse_unknown_selectors(config: Config, rules: RuleSet) -> None:
    """A selector of the config that names nothing is an error, as a scan has it: a typo
    would silently select or ignore nothing."""
    policies = [config.policy, *(override.policy for override in config.overrides)]
    selectors = [
        selector
        for policy in policies
        for selector in (*policy.select, *policy.ignore, *(s for s, _ in policy.severity))
    ]
    unknown = Vocabulary.of(rules).unknown(selectors)
    if unknown:
        raise ConfigError(
            f"{unknown[0]!r} names no rule id, id prefix, rule name or category "
            "(see hedgecheck rules)",
            path=str(config.path),
        )
