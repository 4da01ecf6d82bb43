"""Binary or text, judged over the whole file, however it is read (whole, from standard input,
or streamed part by part); UTF-16 and UTF-32 without a byte-order mark; the size limit on
every path. Big files are sparse (``truncate``), so the tests stay fast."""

from __future__ import annotations

import codecs
import io
import json
import os
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import hedgecheck.reading as reading
from hedgecheck.cli import main
from hedgecheck.config import Config
from hedgecheck.errors import InputError
from hedgecheck.parts import check_stream
from hedgecheck.reading import (
    StreamedSource,
    decode,
    open_stream,
    read_path,
    read_stdin,
)
from hedgecheck.scanning import ScanJob, check_file_in_parts

PROSE = "The drug may reduce pain in mice, a small study suggests. It could cure cancer.\n\n"
TEXT = (PROSE * 400).encode()  # 32 KB: four blocks and then some
BLOCK = reading._BLOCK
WHERE = {
    "start": 0,
    "second": 1,
    "block-end": BLOCK - 1,
    "block-start": BLOCK,
    "middle": len(TEXT) // 2,
    "last": len(TEXT) - 1,
}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEDGECHECK_CACHE_DIR", str(tmp_path / "cache"))


def _with(data: bytes, at: int, insert: bytes) -> bytes:
    return data[:at] + insert + data[at + len(insert) :]


def _streamed(path: Path, **kw: int) -> list[str] | InputError:
    """The file read through the streaming reader (both of ``check_stream``'s passes)."""
    stream = open_stream(str(path), **kw)
    if stream is None or isinstance(stream, InputError):
        return stream  # type: ignore[return-value]
    try:
        return list(stream.lines())
    except InputError as exc:
        return exc


def _stdin(data: bytes, monkeypatch: pytest.MonkeyPatch, **kw: int) -> object:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    return read_stdin(**kw)


# -- NUL bytes anywhere --------------------------------------------------------------------


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("reader", ["decode", "path", "stream", "stdin"])
def test_a_nul_anywhere_makes_the_file_binary_and_names_its_offset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, reader: str
) -> None:
    at = WHERE[where]
    data = _with(TEXT, at, b"\x00")
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    read = {
        "decode": lambda: decode(data, name=str(path)),
        "path": lambda: read_path(str(path)),
        "stream": lambda: _streamed(path),
        "stdin": lambda: _stdin(data, monkeypatch),
    }[reader]()
    assert isinstance(read, InputError), read
    name = "-" if reader == "stdin" else str(path)
    assert str(read) == f"{name}: binary file (NUL bytes at offset {at}), skipped"


@pytest.mark.parametrize("chunk", [1, 7, BLOCK - 1, BLOCK + 3, 1 << 20])
@pytest.mark.parametrize("where", WHERE)
def test_the_offset_does_not_depend_on_how_the_file_is_read_in_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, where: str
) -> None:
    monkeypatch.setattr(reading, "_CHUNK", chunk)
    data = _with(TEXT, WHERE[where], b"\x00")
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    expected = f"binary file (NUL bytes at offset {WHERE[where]})"
    assert expected in str(read_path(str(path)))
    assert expected in str(_streamed(path))


# -- control characters --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (b"\x01\x02abc", 0),  # a short file: the whole of it is the block
        (b"ab\x1bc\x07" * 3, 0),
        (TEXT[:BLOCK] + b"\x01" * 900 + TEXT[BLOCK + 900 :], BLOCK),  # a block in the middle
        (TEXT + b"\x08" * 900, len(TEXT) + 900 - BLOCK),  # a tail: the last block
        (TEXT[:100] + bytes(range(1, 9)) * 200, 0),
    ],
    ids=["short", "short-mixed", "middle", "tail", "early"],
)
@pytest.mark.parametrize("reader", ["decode", "path", "stream"])
def test_a_block_more_than_a_tenth_control_characters_is_binary(
    tmp_path: Path, data: bytes, offset: int, reader: str
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    read = {"decode": decode, "path": lambda _: read_path(str(path))}.get(
        reader, lambda _: _streamed(path)
    )(data)
    assert isinstance(read, InputError), read
    assert f"binary file (control characters at offset {offset})" in str(read)


@pytest.mark.parametrize(
    "data",
    [
        TEXT + b"\x1a",  # a DOS end-of-file mark after a long text
        TEXT[:BLOCK] + (b"x" * 19 + b"\x01") * 200,  # a twentieth
        b"\t\n\x0c\r\x1b[1m" * 2000,  # tabs, line ends, form feeds, escapes: text
        (b"x" * 10 + b"\x02") * 5000,  # a tenth less one part: text
    ],
    ids=["ctrl-z", "a-twentieth", "white-space-and-escapes", "just-under"],
)
def test_few_or_allowed_control_characters_stay_text(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    whole = read_path(str(path))
    assert not isinstance(whole, InputError), whole
    assert whole.text == data.decode()
    assert "".join(_streamed(path)) == data.decode()  # type: ignore[arg-type]


@given(
    data=st.lists(
        st.sampled_from([b"a", b"text ", b"\n", b"\x01", b"\x1f", b"\x00", b"\xc3\xa9"]),
        max_size=3000,
    ).map(b"".join),
    cuts=st.lists(st.integers(min_value=1, max_value=3 * BLOCK), max_size=20),
)
def test_the_verdict_does_not_depend_on_the_pieces(data: bytes, cuts: list[int]) -> None:
    sniffer, start = reading._Sniffer(), 0
    found = None
    for size in [*cuts, len(data)]:
        found = sniffer.feed(data[start : start + size])
        start += size
        if found or start >= len(data):
            break
    assert (found or sniffer.finish()) == reading._Sniffer.whole(data)


# -- UTF-16 and UTF-32 ---------------------------------------------------------------------

WIDE = ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]
BOMS = {
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}
SAMPLES = [
    "H",
    PROSE,
    "Café, naïve — “quoted” 10 µg: it may help. " * 50,
    PROSE * 50 + "Le thé 一 may help 😀.\n",
]


@pytest.mark.parametrize("encoding", WIDE)
@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
@pytest.mark.parametrize("sample", range(len(SAMPLES)))
def test_utf16_and_utf32_are_read_with_or_without_a_byte_order_mark(
    tmp_path: Path, encoding: str, bom: bool, sample: int
) -> None:
    text = SAMPLES[sample]
    path = tmp_path / "a.txt"
    path.write_bytes((BOMS[encoding] if bom else b"") + text.encode(encoding))
    read = read_path(str(path))
    assert not isinstance(read, InputError), read
    assert read.text == text
    assert read.warnings == (
        () if bom else (f"{path}: no byte-order mark; read as {encoding} (its NUL bytes)",)
    )
    assert open_stream(str(path)) is None  # read whole, not streamed as UTF-8


@pytest.mark.parametrize("encoding", WIDE)
@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
@pytest.mark.parametrize("what", ["NUL bytes", "control characters"])
def test_a_binary_tail_after_utf16_or_utf32_is_named_with_its_byte_offset(
    encoding: str, bom: bool, what: str
) -> None:
    mark = BOMS[encoding] if bom else b""
    text = PROSE * 120  # more than a block of characters; the first is all text
    head = mark + text.encode(encoding)
    tail = ("\x00" * 1000 if what == "NUL bytes" else "\x01" * 9000).encode(encoding)
    read = decode(head + tail, name="a.txt")
    # the second block of characters is mostly controls
    offset = len(head) if what == "NUL bytes" else len(mark + text[:BLOCK].encode(encoding))
    assert str(read) == f"a.txt: binary file ({what} at offset {offset}), skipped"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PROSE.encode("utf-16-le") + b"T", "not valid utf-16-le either"),  # odd length
        (PROSE.encode("utf-16-be")[:-1], "not valid utf-16-be either"),
        (b"\x00\x00\x00A" * 3 + b"\x00", "not valid utf-32-be either"),
        (b"\x00" * 64, "NUL bytes at offset 0"),
        (b"A\x00" * 10 + b"\x00\x00" * 10, "NUL bytes at offset 1"),  # NULs in every place
        (b"A\x00" * 200 + b"\x00\x00" * 2, "NUL bytes at offset 400"),  # a NUL character
        ("\x01\x02".encode("utf-16-le") * 100, "control characters at offset 0"),
    ],
    ids=[
        "odd-length",
        "cut-short",
        "utf32-cut-short",
        "all-nul",
        "nul-units",
        "nul-char",
        "controls",
    ],
)
def test_nul_bytes_that_are_not_utf16_text_are_binary(data: bytes, message: str) -> None:
    read = decode(data, name="a.txt")
    assert isinstance(read, InputError) and "binary file (" in str(read)
    assert message in str(read), str(read)


def test_a_bom_less_utf16_file_is_checked_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(PROSE.encode("utf-16-le"))
    result = CliRunner().invoke(
        main, ["scan", "--format", "jsonl", "--fail-on", "never", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "no byte-order mark; read as utf-16-le" in result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["claims"] and record["warnings"]


# -- big files, sparse ---------------------------------------------------------------------


def _sparse(path: Path, size: int, *, head: bytes = b"", tail: bytes = b"") -> Path:
    with open(path, "wb") as handle:
        handle.write(head)
        handle.truncate(size)
        if tail:
            handle.seek(size - len(tail))
            handle.write(tail)
    return path


@pytest.mark.parametrize(
    ("head", "tail", "offset"),
    [
        (TEXT[:1024], b"", 1024),
        (TEXT[:16384], b"", 16384),
        (TEXT, TEXT, len(TEXT)),  # text at both ends, NULs between
    ],
    ids=["1k-then-nul", "16k-then-nul", "nul-in-the-middle"],
)
@pytest.mark.parametrize("reader", ["path", "stream", "stdin"])
def test_a_99_mb_file_of_text_then_nuls_is_named_fast_in_little_memory(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    head: bytes,
    tail: bytes,
    offset: int,
    reader: str,
) -> None:
    path = _sparse(tmp_path / "big.txt", 99 * 2**20, head=head, tail=tail)
    tracemalloc.start()
    try:
        if reader == "stdin":
            with open(path, "rb") as handle:
                monkeypatch.setattr("sys.stdin", io.TextIOWrapper(handle))
                read = read_stdin()
        else:
            read = read_path(str(path)) if reader == "path" else _streamed(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(read, InputError)
    assert f"binary file (NUL bytes at offset {offset})" in str(read)
    assert peak < 8 << 20, f"{peak:,} bytes held to find a NUL at {offset:,}"


def test_a_99_mb_file_of_text_then_nuls_is_skipped_by_the_cli(tmp_path: Path) -> None:
    big = _sparse(tmp_path / "big.txt", 99 * 2**20, head=TEXT)
    html = _sparse(tmp_path / "big.html", 99 * 2**20, head=b"<p>" + TEXT)
    small = tmp_path / "small.txt"
    small.write_text(PROSE, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["scan", "--format", "jsonl", str(big), str(html), str(small)]
    )
    assert result.exit_code == 2
    assert f"{big}: binary file (NUL bytes at offset {len(TEXT)}), skipped" in result.stderr
    assert f"{html}: binary file (NUL bytes at offset {len(TEXT) + 3}), skipped" in result.stderr
    assert result.stdout.count('"path"') == 1  # the rest of the run goes on


def test_a_binary_file_from_standard_input_is_named(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["scan", "-"], input=TEXT + b"\x00" + TEXT)
    assert result.exit_code == 2
    assert f"-: binary file (NUL bytes at offset {len(TEXT)}), skipped" in result.stderr


# -- the size limit on every path ----------------------------------------------------------


@pytest.mark.parametrize("reader", ["path", "stream", "stdin"])
def test_the_size_limit_applies_to_every_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: str
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT)
    limit = len(TEXT) - 1
    read = {
        "path": lambda: read_path(str(path), max_bytes=limit),
        "stream": lambda: _streamed(path, max_bytes=limit),
        "stdin": lambda: _stdin(TEXT, monkeypatch, max_bytes=limit),
    }[reader]()
    assert isinstance(read, InputError)
    assert f"larger than the limit of {limit:,} bytes (--max-file-size)" in str(read)
    path.write_bytes(TEXT[:limit])
    assert not isinstance(
        read_path(str(path), max_bytes=limit) if reader != "stream" else _streamed(path), InputError
    )


@pytest.mark.parametrize(
    ("grown", "message"),
    [
        (TEXT, "larger than the limit of"),
        (b"\x00", f"NUL bytes at offset {len(TEXT)}"),
        (b"\x01" * BLOCK, "control characters at offset"),
    ],
    ids=["past-the-limit", "a-nul", "controls"],
)
def test_a_streamed_file_that_changes_after_it_was_opened_is_still_judged(
    tmp_path: Path, grown: bytes, message: str
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT)
    stream = open_stream(str(path), max_bytes=len(TEXT) + 2 * BLOCK)
    assert isinstance(stream, StreamedSource)
    with open(path, "ab") as handle:
        handle.write(grown)
    with pytest.raises(InputError, match=message):
        list(check_stream(stream, size=1000))


def test_a_big_file_binary_past_its_head_is_an_error_when_scanned_in_parts(
    tmp_path: Path,
) -> None:
    path = _sparse(tmp_path / "big.txt", 4 * 2**20, head=TEXT * 8, tail=b"The end.\n")
    job = ScanJob(config=Config(part_chars=len(TEXT)))
    outcomes = list(check_file_in_parts(str(path), rules=None, job=job))  # type: ignore[arg-type]
    assert len(outcomes) == 1 and isinstance(outcomes[0], InputError)
    assert f"NUL bytes at offset {len(TEXT) * 8}" in str(outcomes[0])
    assert os.path.getsize(path) == 4 * 2**20  # nothing written to the input


@given(
    text=st.text(
        alphabet=st.sampled_from("abc XYZ.,;\n\t'\"0189éüñßÆ—“”€™ДЖщ→"),
        min_size=1,
        max_size=400,
    ).filter(lambda t: sum(ord(c) < 256 for c in t) * 2 >= len(t)),
    encoding=st.sampled_from(WIDE),
)
def test_mostly_latin_utf16_and_utf32_without_a_mark_read_back_exactly(
    text: str, encoding: str
) -> None:
    read = decode(text.encode(encoding), name="a.txt")
    assert not isinstance(read, InputError), read
    assert read.text == text
    assert read.warnings == (f"a.txt: no byte-order mark; read as {encoding} (its NUL bytes)",)


@pytest.mark.parametrize(
    "data",
    [codecs.BOM_UTF8 + TEXT + b"\x00", codecs.BOM_UTF8 + TEXT[:BLOCK] + b"\x02" * 1000],
    ids=["nul", "controls"],
)
def test_a_utf8_byte_order_mark_does_not_make_binary_text(data: bytes) -> None:
    read = decode(data, name="a.txt")
    assert isinstance(read, InputError) and "binary file (" in str(read)


@pytest.mark.parametrize(("text", "offset"), [("a\x00b", 1), (PROSE + "\x01" * 50, None)])
def test_standard_input_without_bytes_is_judged_by_character(
    monkeypatch: pytest.MonkeyPatch, text: str, offset: int | None
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    read = read_stdin()
    assert isinstance(read, InputError)
    what = "NUL bytes at character 1" if offset == 1 else "control characters at character 0"
    assert str(read) == f"-: binary file ({what}), skipped"
