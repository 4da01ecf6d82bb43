"""One serialiser for the report model: a dataclass as the dict its JSON shows.

Fields are written in the order the class declares them (so the class reads as its JSON
schema does): enums as their values, tuples as lists, nested dataclasses as dicts. What a
field does differently is said once, where it is declared, in its metadata::

    kind: str | None = field(default=None, metadata=OMITTED_WHEN_DEFAULT)
    source: str | None = field(default=None, metadata=HIDDEN)

``OMITTED_WHEN_DEFAULT`` leaves the key out while the field holds its default (a cue that is
not quoted has no ``quoted`` key); ``HIDDEN`` keeps a field out of the dict (what only the
page or ``explain`` reads). A class that inherits :class:`Serialised` has ``to_dict``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, Field, fields, is_dataclass
from enum import Enum
from types import MappingProxyType, UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

_HOW = "hedgecheck.serialise"
_OMITTED = "omitted when default"
_HIDDEN = "hidden"
OMITTED_WHEN_DEFAULT = MappingProxyType({_HOW: _OMITTED})
HIDDEN = MappingProxyType({_HOW: _HIDDEN})

_SCALARS = frozenset({str, int, float, bool, type(None)})


# Each class's writer, generated once from its fields and their types, reads the fields by
# name as a hand-written ``to_dict`` would: a report holds thousands of cues, and a loop over
# the fields of each object took five times the hand-written methods' time (this, twice).
_writers: dict[type, Callable[[Any], dict[str, Any]]] = {}


def to_dict(item: Any) -> dict[str, Any]:
    """``item`` (a dataclass instance) as a dict of plain values, ready for ``json.dumps``."""
    kind = type(item)
    return (_writers.get(kind) or _writer(kind))(item)


class Serialised:
    """A dataclass of the report model, with the ``to_dict`` its JSON is made from."""

    __slots__ = ()
    to_dict = to_dict  # the function itself: one name for profiles to find


def _plain(value: Any) -> Any:
    writer = _writers.get(type(value))
    if writer is not None:
        return writer(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [v if type(v) in _SCALARS else _plain(v) for v in value]
    if is_dataclass(value):
        return to_dict(value)
    return value


def _writer(cls: type) -> Callable[[Any], dict[str, Any]]:
    """Generate the class's ``to_dict``, as dataclasses generates ``__init__``: one dict
    display of the fields up to the first that may be left out, a statement for each after.
    Its source holds nothing but field names (identifiers) and references to them."""
    if not is_dataclass(cls):
        raise TypeError(f"to_dict() needs a dataclass instance, not {cls.__name__}")
    hints = get_type_hints(cls)
    written = [f for f in fields(cls) if f.metadata.get(_HOW) != _HIDDEN]
    split = next((i for i, f in enumerate(written) if f.metadata.get(_HOW)), len(written))
    opening = ", ".join(f"{f.name!r}: {_read(f, hints)}" for f in written[:split])
    names: dict[str, Any] = {"_plain": _plain}
    statements = [_statement(cls, f, hints, names) for f in written[split:]]
    lines = ["def write(item):", f"data = {{{opening}}}", *statements, "return data"]
    exec("\n    ".join(lines), names)
    writer = _writers[cls] = names["write"]
    return writer


def _read(field: Field[Any], hints: dict[str, Any]) -> str:
    value = f"item.{field.name}"
    return value if _is_plain(hints[field.name]) else f"_plain({value})"


def _statement(cls: type, field: Field[Any], hints: dict[str, Any], names: dict[str, Any]) -> str:
    assign = f"data[{field.name!r}] = {_read(field, hints)}"
    how = field.metadata.get(_HOW)
    if how is None:
        return assign
    names[f"_default_{field.name}"] = _default(cls, field, how)
    return f"if item.{field.name} != _default_{field.name}: {assign}"


def _is_plain(hint: Any) -> bool:
    """Whether a field's values are JSON values as they are: str, int, float, bool, None."""
    union = get_origin(hint) in (Union, UnionType)
    return all(kind in _SCALARS for kind in (get_args(hint) if union else (hint,)))


def _default(cls: type, field: Field[Any], how: object) -> object:
    if how != _OMITTED:
        raise TypeError(f"{cls.__name__}.{field.name}: unknown serialiser metadata {how!r}")
    if field.default is MISSING:
        raise TypeError(f"{cls.__name__}.{field.name} is omitted when default but has none")
    return field.default
