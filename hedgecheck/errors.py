"""The error tree. Each error carries the exit code the CLI maps it to."""

from __future__ import annotations


class HedgecheckError(Exception):
    """Base of every error hedgecheck raises on purpose."""

    exit_code = 2


class RuleError(HedgecheckError):
    """A rule pack is invalid: names the file, the rule and the key at fault."""

    def __init__(self, message: str, *, path: str = "", rule: str = "", key: str = "") -> None:
        self.path = path
        self.rule = rule
        self.key = key
        where = ", ".join(
            part
            for part in (
                path,
                f"rule {rule!r}" if rule else "",
                f"key {key!r}" if key else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class InputError(HedgecheckError):
    """An input file cannot be read or does not have the expected shape."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = path + (f":{line}" if line is not None else "")
        super().__init__(f"{where}: {message}" if where else message)


class UsageError(HedgecheckError):
    """The caller asked for something that does not exist (unknown task, format…), passed an
    argument of the wrong type or out of range, or named an output that would destroy an
    input."""


class ArgumentTypeError(UsageError, TypeError):
    """An argument of the wrong type, named with the function: a UsageError like any other
    (exit 2 from the CLI, caught with HedgecheckError), and the TypeError Python callers
    expect from ``check(42)``."""


class OutputError(HedgecheckError):
    """A report or dataset could not be written where asked (no such folder, disk full, I/O
    error): names the file and the reason. Nothing half-written is left behind."""

    def __init__(self, message: str, *, path: str = "") -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class ConfigError(HedgecheckError):
    """A configuration file is invalid: names the file and the key at fault."""

    def __init__(self, message: str, *, path: str = "", key: str = "") -> None:
        self.path = path
        self.key = key
        where = ", ".join(part for part in (path, f"key {key!r}" if key else "") if part)
        super().__init__(f"{where}: {message}" if where else message)
