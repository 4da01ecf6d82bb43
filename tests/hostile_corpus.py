"""A corpus of hostile files, written on demand (no binary file is committed).

``build(folder)`` writes the files and returns one ``Case`` per path with what a scan of the
folder should do with it: report it normally, report it with a warning, or skip it with an
error on stderr (which makes the scan exit 2), or pass over it in silence (a symbolic link
to a folder is not followed). ``tests/test_hostile_corpus.py`` scans the corpus with the
installed command line and checks every case.

    python tests/hostile_corpus.py FOLDER [--huge-mb 20]    # write it and list the cases
"""

from __future__ import annotations

import argparse
import codecs
import os
from dataclasses import dataclass
from pathlib import Path

REPORTED = "reported"  # in the report, nothing on stderr
WARNED = "warned"  # in the report, and a warning on stderr
SKIPPED = "skipped"  # not in the report, an error on stderr: exit 2
IGNORED = "ignored"  # neither: a link to a folder is not followed

PROSE = "The drug may reduce pain in mice, a small study suggests. It could cure cancer.\n"

# Text a terminal or GitHub's Actions runner would act on if it were printed raw: workflow
# commands at a line start (after white space) and the legacy ``##[`` form anywhere, escape
# sequences (clear screen, colour, OSC 52 clipboard, OSC 8 link, 8-bit CSI and OSC), bidi
# controls, and what a pull-request comment would turn into a mention or a link.
INJECTION = (
    "The drug may cure cancer ::error file=x.py,line=1::pwned, a study says.\n"
    "::error file=setup.py,line=1::It may cure cancer.\n"
    "   ::stop-commands::tok1 The drug may help.\n"
    "\t::add-mask::secret It could cure ##[error]cancer, ##[stop-commands]tok2 they say.\r"
    "::warning::after a lone CR the drug may cure cancer.\r\n"
    "It may help \x1b[2J\x1b[H\x1b[31mred\x1b[0m and \x1b]52;c;aGVsbG8=\x07 clip.\n"
    "The cure \x1b]8;;http://evil.example/\x1b\\may help\x1b]8;;\x1b\\ \x9b2J\x9d0;t\x9c.\n"
    "Sleep may help \u202egnp.exe\u202c and \u2066isolated\u2069 \u200fmarks\u200e \x7f.\n"
    "Ask @octocat or @org/team: www.evil.example and https://evil.example may cure #12.\n"
    "See [a link](http://evil.example) ![img](http://evil.example/i.png) <img src=x> "
    "GH-7 may help.\n"
)
# File names that would do the same, each with what the scan makes of it.
HOSTILE_NAMES = (
    "name\n::error file=x.py::pwned.txt",
    "name\n  ::stop-commands::tok.txt",
    "name\r::warning::cr.txt",
    "name ##[error]legacy.txt",
    "name\x1b[2J\x1b]52;c;aGk=\x07.txt",
    "name\x1b]8;;https:evil.example\x07link\x1b]8;;\x07.txt",  # no "/" in a name
    "name\x9b31m\x85c1.txt",
    "name\u202egnp.txt",
    "name @octocat www.evil.example #1.md",
)


@dataclass(frozen=True, slots=True)
class Case:
    """One path of the corpus and what a scan should make of it."""

    name: str  # the file name as bytes decoded with os.fsdecode
    outcome: str
    message: str = ""  # a fragment of the stderr line about it
    claims: bool = False  # a reported file must have at least one claim

    @property
    def exit_code(self) -> int:
        """What the case adds to the exit status (the scan exits with the highest)."""
        return 2 if self.outcome == SKIPPED else 0


def build(folder: str | os.PathLike[str], *, huge_bytes: int = 2 * 2**20) -> list[Case]:
    """Write the corpus into ``folder`` (created if need be); the cases, in name order."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def write(name: str | bytes, data: bytes, outcome: str, message: str = "", **kw: bool) -> None:
        raw = os.fsencode(root) + b"/" + (name if isinstance(name, bytes) else name.encode())
        with open(raw, "wb") as handle:
            handle.write(data)
        cases.append(Case(os.fsdecode(raw[len(os.fsencode(root)) + 1 :]), outcome, message, **kw))

    text = PROSE.encode()
    # Binary files: skipped, each named with what it looks like.
    write("binary-png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), SKIPPED, "PNG")
    write("binary-pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", SKIPPED, "a PDF")
    write("binary-nul.txt", b"The drug\x00 may\x00 help\x00\n" * 10, SKIPPED, "NUL bytes")
    # Binary past the first block: a text head does not make the rest text.
    long = text * 200  # 16 KB
    write("binary-tail.txt", long + bytes(4096), SKIPPED, f"NUL bytes at offset {len(long)}")
    write("binary-tail.md", long + b"\x01\x02\x03" * 3000, SKIPPED, "control characters at")
    write("binary-middle.html", long + b"\x00" + long, SKIPPED, f"NUL bytes at offset {len(long)}")
    # Encodings.
    write("utf8.txt", "Café patients: ".encode() + text, REPORTED, claims=True)
    write("utf8-bom.txt", codecs.BOM_UTF8 + text, REPORTED, claims=True)
    write("utf16-le.txt", codecs.BOM_UTF16_LE + PROSE.encode("utf-16-le"), REPORTED, claims=True)
    write("utf16-be.txt", codecs.BOM_UTF16_BE + PROSE.encode("utf-16-be"), REPORTED, claims=True)
    write("utf32-le.txt", codecs.BOM_UTF32_LE + PROSE.encode("utf-32-le"), REPORTED, claims=True)
    for encoding in ("utf-16-le", "utf-16-be", "utf-32-le"):
        name = f"{encoding.replace('-', '')}-no-bom.txt"
        write(name, PROSE.encode(encoding), WARNED, "no byte-order mark", claims=True)
    latin1 = "Caf\xe9 au lait may help, na\xefve patients say. " + PROSE
    write("latin1.txt", latin1.encode("latin-1"), WARNED, "not valid UTF-8", claims=True)
    cp1252 = "\u201cThe drug may help,\u201d she said \u2013 a cure. " + PROSE
    write("cp1252.txt", cp1252.encode("cp1252"), WARNED, "not valid UTF-8", claims=True)
    write("invalid-utf8.txt", b"The drug \xc3\x28 may \xed\xa0\x80 help. " + text, WARNED, "U+FFFD")
    write("bad-utf16.txt", codecs.BOM_UTF16_LE + b"T\x00\x00\xdc", SKIPPED, "not valid utf-16")
    # Line ends, empty files, white space, a long line.
    write("crlf.txt", text.replace(b"\n", b"\r\n") * 3, REPORTED, claims=True)
    write("lone-cr.txt", (b"Headline may help\r" + text.replace(b"\n", b"\r")) * 3, REPORTED)
    write("empty.txt", b"", REPORTED)
    write("whitespace.txt", b" \t\r\n\n\x0c  \r\n\t", REPORTED)
    unit = b"The drug may reduce pain, a small study suggests. "
    write("huge-line.txt", unit * (huge_bytes // len(unit) + 1), REPORTED, claims=True)
    # Markup, nested deep and broken.
    depth = 10_000
    nested = b"<div>" * depth + b"<p>" + text + b"</p>" + b"</div>" * depth
    write("nested.html", nested, REPORTED, claims=True)
    write(
        "malformed.html",
        b"<h1>Tea may help<p>The drug <b>may <i>cure cancer</p></p></div>, a study says"
        b" &am; &#xZZ; &#99999999; &#0;<p class='x>unclosed <script>may(",
        REPORTED,
        claims=True,
    )
    write(
        "malformed.md",
        b"# Tea may help\n\n"
        + b"> " * 50
        + b"The drug may cure cancer.\n\n"
        + b"".join(b"  " * i + b"- the drug may help\n" for i in range(50))
        + b"\n[link](http://x &am; &#xZZ; &#99999999;\n\n```python\nunclosed fence may\n",
        REPORTED,
        claims=True,
    )
    # Odd names.
    write("name with spaces.txt", text, REPORTED, claims=True)
    write("name\nwith newline.txt", text, REPORTED, claims=True)
    write(b"latin1-name-caf\xe9.txt", text, REPORTED, claims=True)
    # Terminal escapes and workflow commands, in articles and in file names; a skipped and a
    # warned file carry them into the messages on stderr.
    write("inject.txt", INJECTION.encode(), REPORTED, claims=True)
    write("inject.md", INJECTION.encode(), REPORTED, claims=True)
    write("inject.html", b"<h1>" + INJECTION.encode() + b"</h1><p>" + text + b"</p>", REPORTED)
    for name in HOSTILE_NAMES:
        write(name, text + INJECTION.encode(), REPORTED, claims=True)
    write("bin\n::stop-commands::tok\x1b[2J.txt", b"\x00" * 64, SKIPPED, "NUL bytes")
    write("warn\n::error::x\u202e\x1b]52;c;aGk=\x07.txt", latin1.encode("latin-1"), WARNED, "UTF-8")
    # Links, a loop, a dangling link, a FIFO.
    (root / "loop").symlink_to(".", target_is_directory=True)
    cases.append(Case("loop", IGNORED))
    (root / "self-loop.txt").symlink_to("self-loop.txt")
    cases.append(Case("self-loop.txt", SKIPPED, "cannot read"))
    (root / "dangling.txt").symlink_to("nowhere/missing.txt")
    cases.append(Case("dangling.txt", SKIPPED, "no such file"))
    os.mkfifo(root / "pipe.txt")
    cases.append(Case("pipe.txt", SKIPPED, "not a regular file (a FIFO)"))
    return sorted(cases, key=lambda case: case.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--huge-mb", type=float, default=2.0, help="size of the one-line file")
    options = parser.parse_args()
    for case in build(options.folder, huge_bytes=int(options.huge_mb * 2**20)):
        note = f" ({case.message})" if case.message else ""
        print(f"{case.outcome:8} exit {case.exit_code}  {case.name!r}{note}")


if __name__ == "__main__":
    main()
