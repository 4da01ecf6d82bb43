"""Sections of BENCHMARKS.md that each benchmark script owns, between its own markers.

``accuracy.py`` writes the page; ``speed.py`` (``speed`` and ``limits``), ``peers.py``,
``clutter.py``, ``articles.py`` and ``toml_limits.py`` each write theirs between
``<!-- NAME:start -->`` and ``<!-- NAME:end -->``, which a rerun of any script keeps.
"""

from __future__ import annotations

from pathlib import Path

SECTIONS = ("articles", "clutter", "speed", "peers", "limits", "toml-limits")


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def write_section(text: str, output: Path, name: str) -> None:
    """Replace the ``name`` section of ``output`` with ``text`` (appended when missing)."""
    old = output.read_text(encoding="utf-8") if output.exists() else ""
    start_mark, end_mark = markers(name)
    start, end = old.find(start_mark), old.find(end_mark)
    if start >= 0 and end > start:
        new = old[:start] + text.rstrip("\n") + old[end + len(end_mark) :]
    else:
        new = old.rstrip("\n") + "\n\n" + text
    output.write_text(new, encoding="utf-8")


def publish(text: str, output: Path, name: str, *, write: bool) -> None:
    """The section written into ``output`` (and a line that says so), or printed."""
    if write:
        write_section(text, output, name)
        print(f"wrote the {name} section of {output}")
    else:
        print(text)


def kept_sections(output: Path) -> str:
    """The owned sections of ``output`` as they are, to append to a rewritten page."""
    try:
        old = output.read_text(encoding="utf-8")
    except OSError:
        return ""
    kept = []
    for name in SECTIONS:
        start_mark, end_mark = markers(name)
        start, end = old.find(start_mark), old.find(end_mark)
        if start >= 0 and end > start:
            kept.append(old[start : end + len(end_mark)])
    return "".join(f"\n{section}\n" for section in kept)
