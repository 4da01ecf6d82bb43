"""Project configuration: ``[tool.hedgecheck]`` in pyproject.toml or a ``.hedgecheck.toml``.

The file is found by walking up from the scanned path; ``--config FILE`` names one instead.
Every key is checked: an unknown key or a value of the wrong type is a :class:`ConfigError`
naming the file and the key. Paths in ``rules`` are relative to the file that names them.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any

from hedgecheck.budget import BUDGET_KEYS, RuleBudget, seconds
from hedgecheck.documents import INPUT_FORMATS
from hedgecheck.errors import ConfigError
from hedgecheck.findings import OFF, FindingPolicy
from hedgecheck.model import Label
from hedgecheck.reading import DEFAULT_MAX_BYTES, DEFAULT_PART_CHARS
from hedgecheck.schema import SEVERITIES
from hedgecheck.settings import FAIL_ON, FAIL_ON_LABEL, MAX_MEGABYTES, ON_RULE_TIMEOUT
from hedgecheck.tomlfile import MAX_TOML_BYTES, parse_toml, read_toml, read_toml_bytes

CONFIG_FILE = ".hedgecheck.toml"
_KEYS = {
    "select",
    "ignore",
    "severity",
    "rules",
    "fail-on",
    "fail-on-label",
    "include",
    "exclude",
    "input-format",
    "report-unused-suppressions",
    "overrides",
    "max-file-size",
    "part-size",
    "on-rule-timeout",
    "rule-budget",
}
_OVERRIDE_KEYS = {"files", "select", "ignore", "severity"}
# A pyproject.toml that names our table means to configure hedgecheck, even if it cannot be
# parsed; telling would take the parse. Matched with NULs taken out, so UTF-16 and UTF-32
# (after a byte-order mark or not) are seen too.
_OUR_TABLE = re.compile(
    rb"(?m)^(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)?[ \t]*\[*[ \t]*tool[ \t]*\.[ \t]*hedgecheck\b"
)


@dataclass(frozen=True, slots=True)
class Override:
    """Policy changes for files matching any of ``files`` (globs relative to the config)."""

    files: tuple[str, ...]
    policy: FindingPolicy


@dataclass(frozen=True, slots=True)
class Config:
    """Settings for a scan; the defaults apply when no file is found."""

    path: Path | None = None
    policy: FindingPolicy = field(default_factory=FindingPolicy)
    rule_paths: tuple[Path, ...] = ()
    # The default gate fails on warnings: overclaims (EDT001-EDT004, EDT006, EDT007) and
    # unquoted hype, so a scan out of the box blocks what an editor would send back.
    fail_on: str = "warning"
    fail_on_label: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    input_format: str = "auto"
    overrides: tuple[Override, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    on_rule_timeout: str = "skip"
    # Seconds of matching the rules of packs outside the shipped ones may spend.
    rule_budget: RuleBudget = field(default_factory=RuleBudget)
    # Characters per part of a text or Markdown file too big to check as one article.
    part_chars: int = DEFAULT_PART_CHARS
    # The folders a scan was given: exclude and overrides.files globs are also tried on a
    # path from the one that holds it.
    folders: tuple[Path, ...] = ()

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def policy_for(self, file: str) -> FindingPolicy:
        """The policy for one scanned file, with the overrides whose globs match it and the
        label gate."""
        policy = self.policy
        if self.fail_on_label is not None:
            policy = replace(policy, label_gate=Label(self.fail_on_label))
        for override in self.overrides:
            if self.matches(file, override.files):
                policy = policy.merged(override.policy)
        return policy

    def excludes(self, file: str | Path) -> bool:
        """Whether ``exclude`` skips ``file``, matched as ``overrides.files`` are (see
        :meth:`matches`): so a file named on the command line, as pre-commit names them,
        is skipped as it would be in a scanned folder."""
        return self.matches(file, self.exclude)

    def matches(self, file: str | Path, patterns: tuple[str, ...]) -> bool:
        """Whether a glob of ``exclude`` or ``overrides.files`` matches ``file``: the one
        way both match (:func:`glob_match`), on its path from the config's folder and
        from each scanned folder that holds it."""
        if not patterns:
            return False
        path = Path(file)
        paths = [_relative(path, self.root)]
        paths += [inside for folder in self.folders if (inside := _inside(path, folder))]
        return any(glob_match(relative, p) for relative in paths for p in patterns)


def find_config(start: Path) -> Path | None:
    """The nearest .hedgecheck.toml, or pyproject.toml with [tool.hedgecheck], at or above."""
    folder = start if start.is_dir() else start.parent
    for candidate in [folder.resolve(), *folder.resolve().parents]:
        own = candidate / CONFIG_FILE
        if os.path.lexists(own):
            return own  # whatever it is, it is meant for us: load_config names what is wrong
        pyproject = candidate / "pyproject.toml"
        if _configures_us(pyproject):
            return pyproject
    return None


def load_config(path: Path) -> Config:
    """Read and validate one configuration file."""
    data = read_toml(path, error=ConfigError)
    table = data.get("tool", {}).get("hedgecheck", {}) if path.name == "pyproject.toml" else data
    prefix = "tool.hedgecheck." if path.name == "pyproject.toml" else ""
    return _parse(table, path, prefix)


def _parse(table: Mapping[str, Any], path: Path, prefix: str) -> Config:
    def fail(message: str, key: str) -> ConfigError:
        return ConfigError(message, path=str(path), key=prefix + key)

    unknown = set(table) - _KEYS
    if unknown:
        raise fail(f"unknown key (allowed: {', '.join(sorted(_KEYS))})", min(unknown))
    fail_on = _choice(table, "fail-on", FAIL_ON, "warning", fail)
    fail_on_label = _choice(table, "fail-on-label", FAIL_ON_LABEL, None, fail)
    input_format = _choice(table, "input-format", ("auto", *INPUT_FORMATS), "auto", fail)
    return Config(
        path=path,
        policy=_policy(table, fail, unused=_flag(table, "report-unused-suppressions", fail)),
        rule_paths=tuple(path.parent / p for p in _strings(table, "rules", fail)),
        fail_on=fail_on or "warning",
        fail_on_label=fail_on_label,
        include=_strings(table, "include", fail),
        exclude=_strings(table, "exclude", fail),
        input_format=input_format or "auto",
        overrides=_overrides(table.get("overrides", []), fail),
        max_bytes=_megabytes(table, fail),
        part_chars=_part_size(table, fail),
        on_rule_timeout=_choice(table, "on-rule-timeout", ON_RULE_TIMEOUT, "skip", fail) or "skip",
        rule_budget=_rule_budget(table.get("rule-budget", {}), fail),
    )


def _policy(table: Mapping[str, Any], fail: Any, *, unused: bool = False) -> FindingPolicy:
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise fail("expected a table of rule = severity", "severity")
    for selector, level in severity.items():
        if level not in (*SEVERITIES, OFF):
            raise fail(f"expected one of {', '.join(SEVERITIES)} or off", f"severity.{selector}")
    return FindingPolicy.build(
        select=_strings(table, "select", fail),
        ignore=_strings(table, "ignore", fail),
        severity=severity,
        report_unused_suppressions=unused,
    )


def _overrides(raw: Any, fail: Any) -> tuple[Override, ...]:
    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        raise fail("expected an array of tables [[overrides]]", "overrides")
    result = []
    for number, entry in enumerate(raw):

        def fail_here(message: str, key: str, number: int = number) -> ConfigError:
            return fail(message, f"overrides[{number}].{key}")

        unknown = set(entry) - _OVERRIDE_KEYS
        if unknown:
            raise fail_here(
                f"unknown key (allowed: {', '.join(sorted(_OVERRIDE_KEYS))})", min(unknown)
            )
        files = _strings(entry, "files", fail_here)
        if not files:
            raise fail_here("expected a non-empty list of globs", "files")
        result.append(Override(files, _policy(entry, fail_here)))
    return tuple(result)


def _rule_budget(raw: Any, fail: Any) -> RuleBudget:
    """``rule-budget``: a table of seconds (``file``, ``run``, ``scan``) over the defaults."""
    if not isinstance(raw, dict):
        raise fail(f"expected a table of seconds ({', '.join(BUDGET_KEYS)})", "rule-budget")
    unknown = set(raw) - set(BUDGET_KEYS)
    if unknown:
        raise fail(
            f"unknown key (allowed: {', '.join(BUDGET_KEYS)})", f"rule-budget.{min(unknown)}"
        )
    for key, value in raw.items():
        try:
            seconds(value)
        except ValueError as exc:
            raise fail(str(exc), f"rule-budget.{key}") from None
    return RuleBudget(**raw)


def _megabytes(table: Mapping[str, Any], fail: Any) -> int:
    """``max-file-size`` in megabytes (MiB); files larger than it are skipped with a message."""
    try:
        return megabytes(table.get("max-file-size", DEFAULT_MAX_BYTES / 2**20))
    except ValueError as exc:
        raise fail(str(exc), "max-file-size") from None


def _part_size(table: Mapping[str, Any], fail: Any) -> int:
    """``part-size`` in millions of characters (MiB of ASCII text): a bigger text or
    Markdown file is checked in parts of about this size, each an article of its own."""
    try:
        return megabytes(
            table.get("part-size", DEFAULT_PART_CHARS / 2**20), unit="million characters"
        )
    except ValueError as exc:
        raise fail(str(exc), "part-size") from None


def megabytes(value: object, *, unit: str = "megabytes") -> int:
    """A size given in megabytes (MiB; or millions of characters, counted the same way), as
    a whole number of units (at least one); anything but a finite number above zero and at
    most ``MAX_MEGABYTES`` is a ValueError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number of {unit}, not {value!r}")
    if not (0 < value <= MAX_MEGABYTES):  # False for NaN too
        raise ValueError(
            f"expected a number of {unit} above 0 and at most {MAX_MEGABYTES:,}, not {value}"
        )
    return max(1, int(value * 2**20))


def _strings(table: Mapping[str, Any], key: str, fail: Any) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail("expected a list of strings", key)
    return tuple(value)


def _choice(
    table: Mapping[str, Any], key: str, allowed: tuple[str, ...], default: str | None, fail: Any
) -> str | None:
    value = table.get(key, default)
    if value is not None and value not in allowed:
        raise fail(f"expected one of {', '.join(allowed)}", key)
    return value


def _flag(table: Mapping[str, Any], key: str, fail: Any) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise fail("expected true or false", key)
    return value


def _configures_us(pyproject: Path) -> bool:
    """Whether ``pyproject`` has a ``[tool.hedgecheck]`` table. A pyproject.toml that is no
    regular file or cannot be read is another tool's business and is passed over; one too
    big to read, or one that names our table but cannot be parsed, is a ConfigError, as a
    configuration silently ignored would be worse."""
    try:
        info = pyproject.stat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    try:
        data = read_toml_bytes(pyproject, error=ConfigError)
    except ConfigError:
        if info.st_size > MAX_TOML_BYTES:
            raise
        return False
    try:
        tables = parse_toml(data, path=pyproject, error=ConfigError)
    except ConfigError:
        if _OUR_TABLE.search(data.replace(b"\0", b"")):
            raise
        return False  # a broken pyproject.toml that is not ours is not our error
    tool = tables.get("tool", {})
    return isinstance(tool, dict) and "hedgecheck" in tool


def _relative(file: Path, root: Path) -> str:
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        return file.as_posix()


def _inside(file: Path, folder: Path) -> str | None:
    """``file``'s path from ``folder``, or None when it is not below it."""
    try:
        return file.resolve().relative_to(folder.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return None


def glob_match(relative: str, pattern: str) -> bool:
    """Whether a glob of ``exclude`` or ``overrides.files`` matches a path relative to the
    config's folder: fnmatch ("*" crosses folders) on the path, on its name, or on one of
    its folders (as a path from the config's folder or as a name), so ``drafts`` and
    ``drafts/`` cover every file below a folder ``drafts``. A leading ``./`` or ``/``
    anchors nothing more than a bare pattern does."""
    pattern = pattern.removeprefix("./").strip("/")
    if not pattern:
        return False
    if PurePath(relative).is_absolute() or relative.startswith("../"):
        # outside the config's folder: only the name, never the folders above it
        return fnmatch.fnmatch(relative.rsplit("/", 1)[-1], pattern)
    segments = relative.split("/")
    prefixes = ("/".join(segments[: n + 1]) for n in range(len(segments)))
    return any(
        fnmatch.fnmatch(prefix, pattern) or fnmatch.fnmatch(segment, pattern)
        for prefix, segment in zip(prefixes, segments, strict=True)
    )
