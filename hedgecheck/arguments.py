"""Checks on what callers pass to the public functions: a wrong type or an impossible value
is a :class:`UsageError` naming the function and the argument (for a wrong type an
:class:`ArgumentTypeError`, which is also a TypeError), never a TypeError or an
AttributeError from deep inside the engine."""

from __future__ import annotations

import os
from typing import Any

from hedgecheck.errors import ArgumentTypeError, UsageError


def require(value: Any, kind: type | tuple[type, ...], *, argument: str, hint: str = "") -> None:
    """``value`` is an instance of ``kind``; a bool never stands in for a number."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds):
        return
    expected = " or ".join("None" if k is type(None) else k.__name__ for k in kinds)
    raise ArgumentTypeError(f"{argument} must be {expected}, not {type(value).__name__}{hint}")


def require_text(value: Any, *, argument: str) -> None:
    """A str, or bytes to read as a file's bytes are read (see ``api.text_of``)."""
    require(value, (str, bytes, bytearray, memoryview), argument=argument)


def require_count(value: Any, *, argument: str) -> None:
    """A whole number of at least one."""
    require(value, int, argument=argument)
    if value < 1:
        raise UsageError(f"{argument} must be at least 1, not {value}")


def path_text(value: Any, *, argument: str) -> str:
    """A path given as str or os.PathLike, as str."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    require(value, str, argument=argument, hint=" (a path as str or pathlib.Path)")
    return value
