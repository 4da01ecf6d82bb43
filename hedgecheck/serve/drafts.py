"""What a request asks to check: its body read within the size limit, and the draft in it.

Every refusal is an :class:`ApiError` with the HTTP status it answers with: 413 for a body
over the limit (told by its Content-Length, or found while reading one that lied or sent
none), 415 for a JSON endpoint's body sent as another type, 400 for a body that cannot be
read (not UTF-8, not JSON), 422 for JSON that reads but is not a draft (a key it does not
know, a value of the wrong type).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.requests import Request


class ApiError(Exception):
    """A request refused, with the status and the message its JSON answer carries."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True, kw_only=True)
class Draft:
    """What to check: text (or a file's bytes), how to read it, and its headline if given
    apart. ``path`` is the file's name, shown in the report."""

    text: str | bytes
    format: str = "text"
    title: str | None = None
    path: str | None = None


# The keys a JSON draft may have, with the types each takes: a key it does not know is
# refused, not ignored, so a typo ("fromat") is named instead of silently checking text.
_KEYS: dict[str, tuple[type, ...]] = {
    "text": (str,),
    "format": (str,),
    "title": (str, type(None)),
}
_TYPE_NAMES = {str: "a string", type(None): "null"}


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The request's body, refused with 413 when it is over ``max_bytes``: at once when its
    Content-Length says so, else as soon as the bytes read pass the limit (a body sent in
    chunks has no length, and a length may lie)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise ApiError(400, f"Content-Length {declared!r} is not a number of bytes")
        if int(declared) > max_bytes:
            raise _too_large(max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(max_bytes: int) -> ApiError:
    return ApiError(413, f"the request body is over the server's limit of {max_bytes:,} bytes")


def json_draft(body: bytes, content_type: str) -> Draft:
    """The draft of a JSON body ``{"text": ..., "format": ..., "title": ...}``."""
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise ApiError(415, "send the draft as JSON, with Content-Type: application/json")
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"the body is not UTF-8 (byte {exc.start}): JSON must be") from None
    try:
        value = json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise ApiError(400, f"the body is not JSON: {exc}") from None
    return _draft_of(value)


def _draft_of(value: Any) -> Draft:
    if not isinstance(value, dict):
        raise ApiError(422, 'the body must be a JSON object: {"text": "...", "format": "text"}')
    unknown = sorted(set(value) - set(_KEYS))
    if unknown:
        raise ApiError(
            422, f"unknown key(s) {', '.join(map(repr, unknown))}; a draft has {', '.join(_KEYS)}"
        )
    if "text" not in value:
        raise ApiError(422, "the draft has no 'text'")
    for key, types in _KEYS.items():
        if key in value and not isinstance(value[key], types):
            wanted = " or ".join(_TYPE_NAMES[t] for t in types)
            raise ApiError(422, f"'{key}' must be {wanted}, not {type(value[key]).__name__}")
    return Draft(text=value["text"], format=value.get("format", "text"), title=value.get("title"))


def file_draft(body: bytes, name: str) -> Draft:
    """The draft of a file's bytes, read in the format its name implies (as ``hedgecheck
    scan`` goes by extension); the library reads the bytes, whatever the format."""
    from hedgecheck.documents import format_for_path

    return Draft(text=body, format=format_for_path(name), path=name or None)
