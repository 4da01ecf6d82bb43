"""Word documents: .docx files built here with python-docx, read as prose with positions
as paragraph numbers and character offsets, through the library and ``hedgecheck scan``."""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from html import unescape
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import hedgecheck
from hedgecheck import InputError, Label, UsageError
from hedgecheck.cli import main
from hedgecheck.documents import INPUT_FORMATS, format_for_path, read_document
from hedgecheck.documents.docx import read_docx, read_docx_text
from hedgecheck.formats import render

docx = pytest.importorskip(
    "docx", reason="python-docx is in the dev extra; pip install -e '.[dev]'"
)
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls  # noqa: E402

ROOT = Path(__file__).parent.parent
KETAMINE = ROOT / "examples" / "ketamine"
SCHEMA = json.loads((ROOT / "schema" / "hedgecheck-report.schema.json").read_text())
HEADLINE = "Ketamine cures depression, study finds"
W = nsdecls("w")


def _bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _draft() -> docx.document.Document:
    """A draft with every kind of block: its paragraphs, numbered from 1, are
    1 title, 2 body, 3 heading, 4-5 list items, 6-7 table cells, 8 empty, 9 quote,
    10 caption."""
    document = docx.Document()
    document.add_heading(HEADLINE, level=0)
    document.add_paragraph("A small study in mice suggests the drug may help.")
    document.add_heading("What the study did", level=1)
    document.add_paragraph("It proves that ketamine works.", style="List Bullet")
    document.add_paragraph("Dosing was not reported.", style="List Number")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "A second trial says the drug cures cancer."
    table.cell(0, 1).text = "Forty people took part."
    document.add_paragraph("")
    document.add_paragraph("Experts say it could be a breakthrough.", style="Quote")
    document.add_paragraph("Figure 1: brain scans of the patients.", style="Caption")
    return document


DRAFT_LINES = [
    HEADLINE,
    "A small study in mice suggests the drug may help.",
    "What the study did",
    "It proves that ketamine works.",
    "Dosing was not reported.",
    "A second trial says the drug cures cancer.",
    "Forty people took part.",
    "",
    "Experts say it could be a breakthrough.",
    "Figure 1: brain scans of the patients.",
]


def _paragraph_at(report: hedgecheck.Report, line: int, column: int, length: int) -> str:
    assert report.source is not None
    return report.source.split("\n")[line - 1][column - 1 : column - 1 + length]


def test_the_format_is_named_by_extension_and_listed() -> None:
    assert "docx" in INPUT_FORMATS
    assert format_for_path("drafts/Story.DOCX") == format_for_path("a.docx") == "docx"
    assert SCHEMA["$defs"]["report"]["properties"]["input_format"]["enum"][-1] == "docx"


def test_paragraphs_are_lines_in_word_order_and_styles_give_the_blocks() -> None:
    document = read_document(_bytes(_draft()), format="docx")
    assert document.source.split("\n") == DRAFT_LINES
    kinds = [(b.kind, document.text[b.start : b.end]) for b in document.blocks or ()]
    assert kinds == [
        ("title", HEADLINE),
        ("paragraph", DRAFT_LINES[1]),
        ("heading", "What the study did"),
        ("list-item", "It proves that ketamine works."),
        ("list-item", "Dosing was not reported."),
        ("paragraph", DRAFT_LINES[5]),
        ("paragraph", DRAFT_LINES[6]),
        ("quote", DRAFT_LINES[8]),
        ("caption", DRAFT_LINES[9]),
    ]


def test_the_title_is_the_headline_claim_and_findings_point_at_paragraph_and_character() -> None:
    report = hedgecheck.check(_bytes(_draft()), format="docx", path="draft.docx")
    assert report.input_format == "docx"
    headline = next(c for c in report.claims if c.headline)
    assert report.headline == headline.text == HEADLINE
    assert (headline.line, headline.column) == (1, 1)
    assert headline.label is Label.PRELIMINARY  # the body says "small study in mice"
    cures = [f for f in report.findings if f.code == "HYP001"]
    assert [(f.line, f.column, f.text) for f in cures] == [(1, 10, "cures"), (6, 30, "cures")]
    for finding in report.findings:
        assert (
            _paragraph_at(report, finding.line, finding.column, len(finding.text)) == finding.text
        )
        assert report.source[finding.start : finding.end] == finding.text
    quoted = next(c for c in report.claims if c.text.startswith("Experts say"))
    assert (quoted.line, quoted.column) == (9, 1)


def test_a_heading_1_is_the_headline_of_a_document_without_a_title() -> None:
    document = docx.Document()
    document.add_heading(" ", level=0)  # a Title paragraph without words is no headline
    document.add_heading("Coffee cures heart disease", level=1)
    document.add_paragraph("A new study of 20 people suggests coffee may help.")
    document.add_heading("Methods", level=1)
    blocks = read_document(_bytes(document), format="docx").blocks or ()
    assert [b.kind for b in blocks] == ["title", "paragraph", "heading"]


def _tracked_paragraph(document: docx.document.Document) -> None:
    paragraph = document.add_paragraph("The drug ")
    paragraph._p.append(
        parse_xml(
            f'<w:ins {W} w:id="1" w:author="Ed" w:date="2026-01-05T10:00:00Z"><w:r>'
            '<w:t xml:space="preserve">may ease symptoms </w:t></w:r></w:ins>'
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {W} w:id="2" w:author="Ed" w:date="2026-01-05T10:00:00Z"><w:r>'
            '<w:delText xml:space="preserve">definitely cures cancer </w:delText></w:r></w:del>'
        )
    )
    paragraph.add_run("in some patients, ")
    paragraph._p.append(  # moved away from here: read where it was moved to, if anywhere
        parse_xml(
            f'<w:moveFrom {W} w:id="3" w:author="Ed" w:date="2026-01-05T10:00:00Z"><w:r>'
            '<w:t xml:space="preserve">for everyone, </w:t></w:r></w:moveFrom>'
        )
    )
    paragraph.add_run("a small study suggests.")


def test_comments_deletions_field_codes_and_hidden_text_are_not_prose() -> None:
    document = docx.Document()
    document.add_heading("Ketamine may ease depression", level=0)
    commented = document.add_paragraph()
    run = commented.add_run("The trial enrolled forty patients.")
    document.add_comment(run, text="Say it is a miracle cure proven beyond doubt.", author="Ed")
    _tracked_paragraph(document)
    field = document.add_paragraph("See ")
    for xml in (
        f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {W}><w:instrText xml:space="preserve"> REF guaranteed_cure \\h </w:instrText></w:r>',
        f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {W}><w:t>Table 2</w:t></w:r>",
        f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>',
        f'<w:r {W}><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve"> a breakthrough</w:t></w:r>',
        f'<w:r {W}><w:rPr><w:vanish w:val="0"/></w:rPr><w:t xml:space="preserve"> now</w:t></w:r>',
    ):
        field._p.append(parse_xml(xml))
    field.add_run(".")
    data = _bytes(document)
    assert b"miracle cure" in zipfile.ZipFile(io.BytesIO(data)).read("word/comments.xml")

    report = hedgecheck.check(data, format="docx")
    assert report.source is not None
    lines = report.source.split("\n")
    assert lines[2] == "The drug may ease symptoms in some patients, a small study suggests."
    assert lines[3] == "See Table 2 now."
    said = " ".join(
        [report.source]
        + [c.text for c in report.claims]
        + [f.text + f.message for f in report.findings]
        + [cue.text for c in report.claims for cue in c.cues]
    )
    hidden_words = ("miracle", "proven", "definitely", "cancer", "everyone", "guaranteed", "REF")
    for hidden in (*hidden_words, "breakthrough"):
        assert hidden not in said
    inserted = next(c for c in report.claims if "may ease symptoms" in c.text)
    assert (inserted.line, inserted.column) == (3, 1)
    assert any(cue.text == "may" and cue.line == 3 for cue in inserted.cues)


def test_styles_are_read_by_name_id_base_style_and_outline_level() -> None:
    document = docx.Document()
    styles = document.styles
    # Word names built-in styles in English whatever its language; the id is localized.
    german = styles.add_style("Zitat", WD_STYLE_TYPE.PARAGRAPH)
    german.element.name_val = "Quote"
    # A tool that localized the name but kept the English id.
    other = styles.add_style("Rubrik 2", WD_STYLE_TYPE.PARAGRAPH)
    other.element.styleId = "Heading2"
    based = styles.add_style("Pull quote", WD_STYLE_TYPE.PARAGRAPH)
    based.base_style = styles["Intense Quote"]
    chapter = styles.add_style("Chapter", WD_STYLE_TYPE.PARAGRAPH)
    chapter.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W} w:val="1"/>'))
    contents = styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Scientists say it works.", style=german)
    document.add_paragraph("Results", style=other)
    document.add_paragraph("It changed my life.", style=based)
    document.add_paragraph("Part two", style=chapter)
    document.add_paragraph("Ketamine cures everything 3", style=contents)
    numbered = document.add_paragraph("A plain paragraph in a list.")
    numbered._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
    )
    read = read_document(_bytes(document), format="docx")
    # no Title and no level-1 heading, so no headline: "Part two" is a level-2 heading
    assert [b.kind for b in read.blocks or ()] == [
        "quote",
        "heading",
        "quote",
        "heading",
        "list-item",
    ]
    # the table of contents keeps its line (paragraph numbers stay Word's) but no prose
    assert read.source.split("\n")[4] == "" and "everything" not in read.text


def test_a_word_document_must_be_bytes_and_a_damaged_one_is_an_input_error() -> None:
    with pytest.raises(UsageError, match="bytes"):
        hedgecheck.check("A study.", format="docx")
    with pytest.raises(InputError, match=r"^notes\.docx: not a Word document \(not a zip"):
        hedgecheck.check(b"This is plain text.", format="docx", path="notes.docx")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("notes.txt", "This cures cancer.")
    with pytest.raises(InputError, match=r"^x\.docx: not a readable Word document \(KeyError"):
        hedgecheck.check(archive.getvalue(), format="docx", path="x.docx")


def _bomb(size: int) -> bytes:
    """A valid document whose document.xml unpacks to ``size`` bytes (white space)."""
    source = zipfile.ZipFile(io.BytesIO(_bytes(_draft())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zipped:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b" " * size)
            zipped.writestr(member, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_zip_bomb_is_refused_by_the_sizes_its_directory_declares() -> None:
    bomb = _bomb(3_000_000)
    assert len(bomb) < 100_000  # python-docx's template holds a thumbnail and the styles
    with pytest.raises(InputError, match=r"^b\.docx: a Word document whose parts unpack to 3,"):
        read_docx(bomb, name="b.docx", max_bytes=3_000_000)
    assert read_docx(bomb, name="b.docx", max_bytes=5_000_000).source.startswith(HEADLINE)


def test_a_member_bigger_than_its_header_says_is_not_unpacked() -> None:
    bomb = bytearray(_bomb(3_000_000))
    listed = zipfile.ZipFile(io.BytesIO(bytes(bomb))).getinfo("word/document.xml")
    # Understate its size in the local header (offset 22) and the central directory
    # entry (offset 24): the zip reader stops at the size declared, and the CRC fails.
    small = (1000).to_bytes(4, "little")
    bomb[listed.header_offset + 22 : listed.header_offset + 26] = small
    name = b"word/document.xml"
    data = bytes(bomb)
    (entry,) = (
        at - 46
        for at in range(len(data))
        if data.startswith(name, at) and data.startswith(b"PK\x01\x02", at - 46)
    )
    bomb[entry + 24 : entry + 28] = small
    assert zipfile.ZipFile(io.BytesIO(bytes(bomb))).getinfo(name.decode()).file_size == 1000
    with pytest.raises(InputError, match=r"^b\.docx: not a readable Word document"):
        read_docx(bytes(bomb), name="b.docx", max_bytes=3_000_000)


def test_without_python_docx_the_error_names_the_file_and_the_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)  # what import finds when it is missing
    with pytest.raises(InputError, match=r"^d\.docx: .*pip install 'hedgecheck\[docx\]'"):
        hedgecheck.check(b"PK", format="docx", path="d.docx")
    (tmp_path / "draft.docx").write_bytes(_bytes(_draft()))
    (tmp_path / "notes.txt").write_text("This proves that coffee cures cancer.\n")
    result = CliRunner().invoke(main, ["scan", "-q", "--format", "concise", str(tmp_path)])
    assert result.exit_code == 2
    assert (
        f"error: {tmp_path / 'draft.docx'}: reading a Word document needs python-docx: "
        "pip install 'hedgecheck[docx]'" in result.stderr
    )
    assert f"{tmp_path / 'notes.txt'}:1:" in result.stdout


def test_scan_reads_a_word_document_in_text_and_json(tmp_path: Path) -> None:
    path = tmp_path / "draft.docx"
    path.write_bytes(_bytes(_draft()))
    text = CliRunner().invoke(main, ["scan", str(path)])
    assert text.exit_code == 1, text.output  # its warnings fail the default gate
    assert text.stdout.startswith(f"{path}: preliminary")
    assert f"{path}:6:30: warning HYP001 " in text.stdout
    assert f"“{DRAFT_LINES[5]}”" in text.stdout  # the paragraph is quoted, not the zip
    result = CliRunner().invoke(main, ["scan", "--format", "json", str(path)])
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    (file,) = document["files"]
    assert file["input_format"] == "docx" and file["headline"] == HEADLINE
    assert {(f["line"], f["column"]) for f in file["findings"] if f["code"] == "HYP001"} == {
        (1, 10),
        (6, 30),
    }


def test_explain_reads_a_word_document_and_quotes_its_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "draft.docx"
    path.write_bytes(_bytes(_draft()))
    result = CliRunner().invoke(main, ["explain", str(path)])
    assert result.exit_code == 0, result.output
    assert "HYP001" in result.stdout and DRAFT_LINES[5] in result.stdout
    assert "binary" not in result.output
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    refused = CliRunner().invoke(main, ["explain", str(broken)])
    assert refused.exit_code == 2 and "not a Word document" in refused.stderr


def test_check_parts_checks_a_word_document_whole() -> None:
    data = _bytes(_draft())
    (report,) = hedgecheck.check_parts(data, format="docx", size=64)
    assert report == hedgecheck.check(data, format="docx")
    assert report.part is None


def test_scan_reads_a_word_document_from_standard_input_when_told_to() -> None:
    args = ["scan", "--format", "concise", "--input-format", "docx", "-"]
    result = CliRunner().invoke(main, args, input=_bytes(_draft()))
    assert "-:6:30: HYP001 [warning] " in result.stdout
    refused = CliRunner().invoke(main, args, input=b"A plain text draft.")
    assert refused.exit_code == 2
    assert "error: -: not a Word document (not a zip archive" in refused.stderr


@pytest.mark.slow
def test_a_folder_scan_goes_on_past_damaged_documents_with_any_jobs(tmp_path: Path) -> None:
    (tmp_path / "a-draft.docx").write_bytes(_bytes(_draft()))
    (tmp_path / "b-bomb.docx").write_bytes(_bomb(2_000_000))
    (tmp_path / "c-broken.docx").write_bytes(b"not a zip")
    (tmp_path / "~$a-draft.docx").write_bytes(b"\x05Word owner file")  # Word's lock: skipped
    (tmp_path / "d-notes.txt").write_text("This proves that coffee cures cancer.\n")
    outputs = []
    for jobs in ("1", "2"):
        args = ["scan", "-q", "--format", "json", "--max-file-size", "1", "--jobs", jobs]
        result = CliRunner().invoke(main, [*args, str(tmp_path)])
        assert result.exit_code == 2
        files = json.loads(result.stdout)["files"]
        assert [Path(f["path"]).name for f in files] == ["a-draft.docx", "d-notes.txt"]
        bomb = f"error: {tmp_path / 'b-bomb.docx'}: a Word document whose parts unpack to 2,"
        assert bomb in result.stderr and "than the limit of 1,048,576 bytes" in result.stderr
        assert f"error: {tmp_path / 'c-broken.docx'}: not a Word document" in result.stderr
        assert "~$" not in result.output
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]


def test_every_format_shows_a_word_document_as_its_text() -> None:
    report = hedgecheck.check(_bytes(_draft()), format="docx", path="draft.docx")
    for name in ("text", "concise", "github", "sarif", "html", "json", "jsonl", "markdown"):
        shown = render(name, [report])
        assert "PK\x03\x04" not in shown and "word/document.xml" not in shown
    github = render("github", [report])
    assert "file=draft.docx,line=6,col=30,endLine=6,endColumn=35" in github
    sarif = json.loads(render("sarif", [report]))
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in sarif["runs"][0]["results"]]
    assert {"startLine": 6, "startColumn": 30} in [
        {k: r[k] for k in ("startLine", "startColumn")} for r in regions
    ]
    page = render("html", [report])
    shown = unescape(re.sub(r"<[^>]*>", "", page))
    assert all(claim.text in shown for claim in report.claims)
    assert 'class="headline"' in page and "Figure 1: brain scans" in shown


def test_the_extracted_text_reads_back_to_the_same_prose_and_map() -> None:
    _tracked = docx.Document()
    _tracked_paragraph(_tracked)
    for document in (_draft(), _tracked):
        read = read_document(_bytes(document), format="docx")
        again = read_docx_text(read.source)
        assert again.source == read.source and again.text == read.text
        starts = [read.source_map.start(i) for i in range(len(read.text))]
        assert [again.source_map.start(i) for i in range(len(read.text))] == starts


def test_the_serve_upload_path_works_for_a_word_file() -> None:
    name, data = "Story Draft.docx", _bytes(_draft())
    report = hedgecheck.check(data, format=format_for_path(name), path=name)
    assert report.headline == HEADLINE and report.path == name


def test_the_reference_article_in_word_reads_as_the_text_file_does() -> None:
    """The Markdown version's blocks written as Word paragraphs of the matching styles
    (the headline as Title) give the claims, labels and headline of the plain text."""
    markdown = read_document((KETAMINE / "ketamine-article.md").read_text(), format="markdown")
    document = docx.Document()
    styles = {"list-item": "List Bullet", "quote": "Quote", "caption": "Caption"}
    for block in markdown.blocks or ():
        text = markdown.text[block.start : block.end]
        if block.kind == "title":
            document.add_heading(text, level=0)
        elif block.kind == "heading":
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text, style=styles.get(block.kind))
    word = hedgecheck.check(_bytes(document), format="docx")
    plain = hedgecheck.check((KETAMINE / "ketamine-article.txt").read_text())

    def shape(report: hedgecheck.Report) -> list[tuple[str, Label, bool, bool]]:
        return [(" ".join(c.text.split()), c.label, c.headline, c.primary) for c in report.claims]

    assert len(plain.claims) > 20
    assert shape(word) == shape(plain)
    assert word.label is plain.label is Label.PRELIMINARY
    assert word.headline == plain.headline


# XML 1.0 allows tab, line feed and carriage return among the controls; python-docx writes
# a tab as <w:tab/> and a line end as <w:br/>.
_XML_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn"), blacklist_characters="\x85\u2028\u2029")
    | st.sampled_from(" \t\n\r"),
    max_size=40,
)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.lists(_XML_TEXT, max_size=6))
def test_each_paragraph_is_one_line_of_the_extracted_text(paragraphs: list[str]) -> None:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    read = read_document(_bytes(document), format="docx")
    expected = [text.replace("\r", " ").replace("\n", " ") for text in paragraphs]
    assert read.source.split("\n") == (expected or [""])
    for block in read.blocks or ():
        assert (
            read.text[block.start : block.end]
            == read.source[read.source_map.start(block.start) : read.source_map.end(block.end)]
        )


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {member.filename: archive.read(member) for member in archive.infolist()}


DRAFT_PARTS = _parts(_bytes(_draft()))


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(sorted(DRAFT_PARTS)),
    st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=8), st.integers(0, 12)), max_size=3),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=3),
)
def test_a_damaged_document_is_read_or_refused_never_a_crash(
    part: str, edits: list[tuple[float, bytes, int]], flips: list[tuple[float, int]]
) -> None:
    """Edits to one part's bytes (its XML broken, or another shape) and then to the
    archive's bytes: a report, or an InputError naming the file."""
    content = bytearray(DRAFT_PARTS[part])
    for where, new, length in edits:
        at = int(where * len(content))
        content[at : at + length] = new
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in DRAFT_PARTS.items():
            zipped.writestr(name, bytes(content) if name == part else data)
    damaged = bytearray(archive.getvalue())
    for where, byte in flips:
        damaged[min(int(where * len(damaged)), len(damaged) - 1)] = byte
    try:
        report = hedgecheck.check(bytes(damaged), format="docx", path="d.docx")
    except InputError as error:
        assert str(error).startswith("d.docx: ")
    else:
        assert report.source is not None and report.input_format == "docx"
