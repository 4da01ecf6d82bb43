"""Text made safe to print: the one place every format and every command-line message uses.

Most of what hedgecheck prints comes from outside: article text, file names, rule packs
written by others, error messages that quote them. Printed as it is, such text could

* drive the terminal: ESC and C1 sequences clear the screen, recolour it, write the
  clipboard (OSC 52) or hide a link (OSC 8); bidi controls reorder what a reader sees;
* run GitHub Actions workflow commands: the runner reads every line a step prints and obeys
  ``::command ...::`` at the start of a line (after any white space) and the legacy
  ``##[command]`` anywhere in a line (``::stop-commands::`` silences every later
  annotation, ``::add-mask::`` hides text);
* break a line, so that the rest of a file name or a claim starts a fresh line that can be
  one of the above;
* stop the output altogether: a lone surrogate (possible only in a ``str`` given to the
  library) cannot be encoded as UTF-8.

Two layers keep it out.

**Each piece of outside text** is passed by the format through the helper of its output
kind: :func:`visible` (a name or a one-line message), :func:`prose` (quoted article text
on one line), :func:`markdown_text`, :func:`html_text`, :func:`github_data` and
:func:`github_property`. Unsafe characters are shown, not dropped, so a reader sees that
something was there:

============================================  =========================================
character                                     shown as
============================================  =========================================
line feed, carriage return, tab               ``\\n``, ``\\r``, ``\\t`` (where a format
                                              does not lay them out itself)
other C0 controls (ESC among them), DEL, C1   ``\\x1b``, ``\\x7f``, ``\\x9b``
bidi controls (U+061C, U+200E, U+200F,        ``\\u202e``
U+202A-U+202E, U+2066-U+2069), line and
paragraph separators (U+2028, U+2029)
a lone surrogate                              U+FFFD
============================================  =========================================

A backslash already in the text is not doubled, so ``\\x1b`` may also have been typed as
such; paths keep their usual look. The replacement of a surrogate is one code point for
one, so a JSON report's offsets, lines and columns still point where they did.

**Every format's whole output** then goes through :func:`guard` for its :data:`KINDS`
entry, applied by the registry in :mod:`hedgecheck.formats` (a new format cannot skip it):
whatever a format forgot, no control, bidi or surrogate character leaves hedgecheck (only
the text format's own colour codes, with colour on), no line starts with ``::`` and no
line holds ``##[`` (but the GitHub format's own annotation lines, which the runner reads as
those annotations before it looks for ``##[``; their values are escaped as GitHub
specifies). In JSON the characters are written as ``\\uXXXX`` escapes (``##[`` as
``##\\u005b``), so the data read back is unchanged (bar surrogates).
"""

from __future__ import annotations

import re
from collections.abc import Callable

TEXT = "text"  # lines for people: the text format, Markdown, CLI messages
COMMANDS = "commands"  # GitHub workflow commands
JSON = "json"  # JSON documents and JSON lines
HTML = "html"
KINDS = (TEXT, COMMANDS, JSON, HTML)


class _OnFirstUse:
    """A pattern compiled the first time it is used: a run writes one format, which uses
    a few of this module's patterns, and compiling them all on import was a few ms of a
    one-line scan."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def sub(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self._get().sub(replacement, text)

    def match(self, text: str) -> re.Match[str] | None:
        return self._get().match(text)


_SURROGATE = r"\ud800-\udfff"
# Beyond C0: DEL, C1, bidi controls, the line and paragraph separators, surrogates.
_BEYOND_C0 = rf"\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029{_SURROGATE}"
_UNSAFE = _OnFirstUse(rf"[\x00-\x1f{_BEYOND_C0}]")
_UNSAFE_BUT_LAYOUT = _OnFirstUse(rf"[\x00-\x08\x0b\x0c\x0e-\x1f{_BEYOND_C0}]")  # tab, LF, CR kept
_LONE_SURROGATE = _OnFirstUse(rf"[{_SURROGATE}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_LEGACY_COMMAND = "##["  # the runner's old command prefix, obeyed anywhere in a line
REPLACEMENT = "\ufffd"
JOINER = "\u2060"  # WORD JOINER: invisible, and splits a mention or a link for GitHub


def _shown(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return REPLACEMENT
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def scalars(text: str) -> str:
    """``text`` with each lone surrogate as U+FFFD, one code point for one: what can be
    encoded as UTF-8 (and quoted into a URI)."""
    return _LONE_SURROGATE.sub(REPLACEMENT, text)


def visible(text: str, *, layout: bool = False) -> str:
    """``text`` with every unsafe character shown as an escape (see the table above). With
    ``layout`` the format lays out line feeds, carriage returns and tabs itself, so they are
    left in."""
    pattern = _UNSAFE_BUT_LAYOUT if layout else _UNSAFE
    return pattern.sub(lambda match: _shown(match.group()), text)


def prose(text: str) -> str:
    """Quoted article text on one line: each run of white space (line breaks included) as
    one space, every other unsafe character shown."""
    return visible(" ".join(text.split()))


# -- GitHub workflow commands ---------------------------------------------------------------


def github_data(text: str) -> str:
    """The message of a workflow command, escaped as the Actions toolkit does (``%``, CR, LF
    as ``%25``, ``%0D``, ``%0A``); the runner turns them back, so line breaks survive."""
    shown = visible(text, layout=True)
    return shown.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property value of a workflow command: as :func:`github_data`, and ``:`` and ``,``
    as ``%3A`` and ``%2C``, so the value cannot end the properties or the command."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


# -- Markdown (a pull-request comment) ------------------------------------------------------

_MARKDOWN_PUNCTUATION = _OnFirstUse(r"([\\`*_\[\]{}<>|#~&!$])")
# What GitHub turns into a link or a notification even when its punctuation is escaped:
# @mentions and e-mail addresses, scheme:// and www. links, #123 / owner/repo#123 / GH-123.
_MARKDOWN_REFERENCES = _OnFirstUse(r"(@)|(:)(?=//)|(www)(?=\.)|(#)(?=\d)|(GH-)(?=\d)", re.I)
_LINE_BREAK = _OnFirstUse(r"\r\n|\r|\n")


def markdown_text(text: str) -> str:
    """``text`` inert inside a Markdown table cell or line: controls shown, Markdown
    punctuation backslash-escaped (no emphasis, link, image, HTML tag, table break or math),
    a word joiner after ``@``, in ``://``, after ``www`` and before an issue number (no
    mention, autolink or cross-reference), and line breaks as ``<br>``."""
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", visible(text, layout=True))
    inert = _MARKDOWN_REFERENCES.sub(lambda match: match.group() + JOINER, escaped)
    return _LINE_BREAK.sub("<br>", inert)


# -- HTML -----------------------------------------------------------------------------------


def html_text(text: str) -> str:
    """``text`` escaped for HTML text or a quoted attribute, controls shown, and line breaks
    and the ``[`` of ``##[`` as character references: they read the same in HTML, and keep
    the page's lines whole and free of workflow commands."""
    from html import escape  # here: importing html reads its table of 2,000 entities

    escaped = escape(visible(text, layout=True)).replace(_LEGACY_COMMAND, "##&#91;")
    return escaped.replace("\r", "&#13;").replace("\n", "&#10;")


# -- the last pass over a whole output ------------------------------------------------------

_SGR = r"\x1b\[[0-9;]*m"  # the text format's own colours (click.style)
_PEOPLE_UNSAFE = _OnFirstUse(rf"[\x00-\x08\x0b-\x1f{_BEYOND_C0}]")  # tab and LF kept
_PEOPLE_UNSAFE_BUT_COLOUR = _OnFirstUse(rf"({_SGR})|{_PEOPLE_UNSAFE.pattern}")
_JSON_UNSAFE = _OnFirstUse(rf"[\x00-\x09\x0b-\x1f{_BEYOND_C0}]")  # LF kept
# The GitHub format's own lines: every one has a title, and its property values hold no ":".
# The runner reads such a line as that command before it looks for "##[" in it.
_OWN_COMMAND = _OnFirstUse(r"::(?:error|warning|notice) [^:\n]*\btitle=[^:\n]*::")
_LEGACY_INERT = {TEXT: "##\\[", COMMANDS: "##\\[", JSON: "##\\u005b", HTML: "##&#91;"}
_COLON_INERT = {TEXT: "\\:", COMMANDS: "\\:", HTML: "&#58;"}


def guard(output: str, kind: str, *, color: bool = False) -> str:
    """``output`` of a format of ``kind`` (one of :data:`KINDS`) with nothing left that a
    terminal or the Actions runner would act on (see the module docstring)."""
    if kind == JSON:
        # a JSON line starts with a bracket, a quote or a value, never with "::"
        return _JSON_UNSAFE.sub(_json_escape, output).replace(_LEGACY_COMMAND, _LEGACY_INERT[JSON])
    if kind == TEXT and color:
        output = _PEOPLE_UNSAFE_BUT_COLOUR.sub(_keep_colour, output)
    else:
        output = _PEOPLE_UNSAFE.sub(lambda match: _shown(match.group()), output)
    if "::" not in output and _LEGACY_COMMAND not in output:
        return output
    return "\n".join(_inert_line(line, kind) for line in output.split("\n"))


def safe_line(text: str) -> str:
    """``text`` as one line for people (a message, a listing): :func:`visible`, then
    :func:`guard`, so it also holds no workflow command."""
    return guard(visible(text), TEXT)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return REPLACEMENT if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}"


def _keep_colour(match: re.Match[str]) -> str:
    return match.group(1) or _shown(match.group())


def _inert_line(line: str, kind: str) -> str:
    """One line (the only line break left is LF) that the runner reads as no command."""
    if kind == COMMANDS and _OWN_COMMAND.match(line):
        return line
    line = line.replace(_LEGACY_COMMAND, _LEGACY_INERT[kind])
    text = line.lstrip()
    if text.startswith("::"):
        line = line[: len(line) - len(text)] + _COLON_INERT[kind] + text[1:]
    return line
