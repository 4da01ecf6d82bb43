"""The patterns the package's modules compile when they are imported, compiled once when
the wheel is built.

Compiling them (the regex module parses a pattern in Python) was the largest part of a
one-line scan's time: about a quarter of a second on a busy machine, most of it text.py's
patterns for page furniture and date stamps. The regex module pickles a pattern with its
compiled code, so a wheel ships them pickled (``compiled.pickle`` beside this module,
written by setup.py through ``build_shipped_patterns``) and a process unpickles the lot in
a few milliseconds.

The file is as trusted as the package's code, with the checks of the shipped rule cache:
a regular file (no symbolic link) in this module's folder, owned by the owner of this module
and writable by no one else, made by this Python and this regex (its header). A pattern is
looked up by its source and flags, so one edited since the build is compiled as before.
Anything else (an editable install has no file; HEDGECHECK_NO_CACHE=1) compiles every
pattern, with the same result.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import regex

from hedgecheck.trust import read_shipped, write_shipped

SHIPPED_PATTERNS = "compiled.pickle"
_MAGIC = b"hedgecheck shipped patterns 1\n"

_Key = tuple[str, int]
_shipped: dict[_Key, regex.Pattern[str]] | None = None
# Every pattern asked for in this process: what the build step pickles.
_asked: dict[_Key, regex.Pattern[str]] = {}


def compiled(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """``regex.compile(pattern, flags)``, from the shipped file when it holds it."""
    global _shipped
    if _shipped is None:
        _shipped = _read_shipped()
    key = (pattern, int(flags))
    found = _shipped.get(key) or regex.compile(pattern, flags)
    _asked[key] = found
    return found


def _header() -> bytes:
    """The versions the compiled code belongs to: another Python or regex may read it
    otherwise."""
    return _MAGIC + f"{sys.version}\0{regex.__version__}\n".encode()


def _read_shipped(folder: Path | None = None) -> dict[_Key, regex.Pattern[str]]:
    """The shipped patterns, or none when the file is missing, stale or not to be trusted."""
    data = read_shipped(folder or Path(__file__).parent, SHIPPED_PATTERNS, _header(), __file__)
    if data is None:
        return {}  # a library never warns on import: the patterns are compiled instead
    try:
        table = pickle.loads(data)
    except Exception:  # cut short or damaged: compile instead
        return {}
    if not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if isinstance(v, regex.Pattern)}


def build_shipped_patterns(folder: Path | None = None) -> Path:
    """Import every module of the package (those whose optional dependencies are missing
    aside) and pickle the patterns they compiled into the file beside this module (or in
    ``folder``); run by setup.py when a wheel is built."""
    import importlib
    import pkgutil

    import hedgecheck

    for module in pkgutil.walk_packages(hedgecheck.__path__, "hedgecheck."):
        try:
            importlib.import_module(module.name)
        except ImportError:
            continue  # hedgecheck.cluster without its extra: its patterns are compiled on use
    target = (folder or Path(__file__).parent) / SHIPPED_PATTERNS
    body = pickle.dumps(dict(_asked), protocol=pickle.HIGHEST_PROTOCOL)
    return write_shipped(target, _header(), body)
