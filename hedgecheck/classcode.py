"""The methods ``dataclasses.dataclass`` writes for each class (``__init__``, ``__eq__``,
``__repr__``, a frozen class's ``__setattr__``...), compiled once when the wheel is built.

dataclass() writes each method as Python source and compiles it with ``exec`` every time a
class is made: about 1.4 ms a class, and a one-line scan makes some 55 of them on import,
the largest part of its start-up after the interpreter, click and regex. The source of a
method depends only on the class's fields, so a wheel ships the code compiled from each
source (``classcode.marshal`` beside this module, written by setup.py through
``build_shipped_code``), and the command line (``hedgecheck.cli``) has the dataclasses module
run that code instead of compiling the same source again. The code is looked up by the
exact source text and compiled as ``exec`` compiles a string, so a class whose source is not
in the file (a field changed since the build, another module's class) is compiled as before,
with the same result. The library itself never installs it: importing hedgecheck leaves
the standard library alone.

The file is as trusted as the package's code, with the checks of the shipped patterns
(hedgecheck.trust.read_shipped): a regular file of the owner of this module, writable by no
one else, made by this Python with the same optimisation level (its header). Anything else
(an editable install has no file; HEDGECHECK_NO_CACHE=1) compiles every class's source.
"""

from __future__ import annotations

import builtins
import dataclasses
import marshal
import sys
from pathlib import Path
from types import CodeType
from typing import Any

from hedgecheck.trust import read_shipped, write_shipped

SHIPPED_CODE = "classcode.marshal"
_MAGIC = b"hedgecheck shipped class code 1\n"

# Source text -> its code, marshalled; each is unmarshalled when its class is made.
_shipped: dict[str, bytes] | None = None
# The sources compiled in this process, the file not holding them: what the build writes.
compiled_here: dict[str, CodeType] = {}


def install() -> None:
    """Have dataclasses run the shipped code of the classes made from now on in this
    process. The file is read when the first class is made (``--help`` makes none); with
    no file, every source is compiled as before."""
    dataclasses.exec = _exec  # type: ignore[attr-defined]


def record() -> None:
    """Have dataclasses compile every source through this module, reading no file, so that
    ``build_shipped_code`` holds them all (run before the package's modules are
    imported)."""
    global _shipped
    _shipped = {}
    install()


def _exec(source: Any, *args: Any, **kwargs: Any) -> None:
    """``exec`` as dataclasses calls it, with the code of a source already compiled."""
    if isinstance(source, str):
        source = _code(source)
    builtins.exec(source, *args, **kwargs)


def _code(source: str) -> CodeType:
    global _shipped
    if _shipped is None:
        _shipped = _read_shipped()
    packed = _shipped.get(source)
    if packed is not None:
        return marshal.loads(packed)  # type: ignore[no-any-return]
    # As exec compiles a string that dataclasses hands it: with none of this module's
    # __future__ flags (dont_inherit), at the interpreter's optimisation level.
    code = compile(source, "<string>", "exec", dont_inherit=True)
    compiled_here[source] = code
    return code


def _header() -> bytes:
    """The Python the code belongs to: marshalled code is read only by the version, the
    marshal format and the optimisation level (-O) that wrote it."""
    return _MAGIC + f"{sys.version}\0{marshal.version}\0{sys.flags.optimize}\n".encode()


def _read_shipped(folder: Path | None = None) -> dict[str, bytes]:
    """The shipped code, or none when the file is missing, stale or not to be trusted."""
    data = read_shipped(folder or Path(__file__).parent, SHIPPED_CODE, _header(), __file__)
    if data is None:
        return {}
    try:
        table = marshal.loads(data)
    except (EOFError, ValueError, TypeError):  # cut short or damaged: compile instead
        return {}
    if not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if isinstance(k, str) and isinstance(v, bytes)}


def build_shipped_code(folder: Path | None = None) -> Path:
    """Import every module of the package (those whose optional dependencies are missing
    aside) and write the code of the classes they made into the file beside this module
    (or in ``folder``); run by setup.py when a wheel is built, after ``record``."""
    import importlib
    import pkgutil

    import hedgecheck

    if getattr(dataclasses, "exec", None) is not _exec or _shipped:
        raise RuntimeError("build_shipped_code needs record() before the package's imports")
    for module in pkgutil.walk_packages(hedgecheck.__path__, "hedgecheck."):
        try:
            importlib.import_module(module.name)
        except ImportError:
            continue  # hedgecheck.cluster without its extra: its classes compile on use
    table = {source: marshal.dumps(code) for source, code in compiled_here.items()}
    target = (folder or Path(__file__).parent) / SHIPPED_CODE
    return write_shipped(target, _header(), marshal.dumps(table))
