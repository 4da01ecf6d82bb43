"""``hedgecheck serve``'s app through Starlette's test client: the JSON API answers with the
report model, refuses what it cannot check with a JSON error and its status, keeps to its
size limit, and serves a page that loads nothing from elsewhere; the command's options."""

from __future__ import annotations

import io
import json
import re
import socket
import sys
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

pytest.importorskip("starlette", reason="needs the serve extra: pip install 'hedgecheck[serve]'")
pytest.importorskip("httpx", reason="Starlette's test client needs httpx (the serve extra)")

with warnings.catch_warnings():
    # Starlette 1.x would rather its test client ran on httpx2; httpx is what it documents.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

import hedgecheck
from hedgecheck.cli import main
from hedgecheck.formats import render
from hedgecheck.ruledoc import documents
from hedgecheck.serve import LOOPBACK_HOSTS, create_app

ROOT = Path(__file__).resolve().parent.parent
KETAMINE = ROOT / "examples" / "ketamine" / "ketamine-article.txt"
SCHEMA = ROOT / "schema" / "hedgecheck-report.schema.json"
LIMIT = 20_000


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(max_bytes=LIMIT)) as test_client:
        yield test_client


def _model(report: hedgecheck.Report) -> Any:
    """The report as its JSON reads back."""
    return json.loads(json.dumps(report.to_dict()))


def _error(answer: Any, status: int) -> str:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    return str(answer.json()["error"])


# -- the report model -------------------------------------------------------------------


@pytest.mark.slow  # validating against the report schema: about a second
def test_check_answers_with_the_report_model_of_the_draft(client: TestClient) -> None:
    text = KETAMINE.read_text(encoding="utf-8")
    answer = client.post("/api/check", json={"text": text})
    assert answer.status_code == 200
    assert answer.json() == _model(hedgecheck.check(text))
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    report_schema = {
        "$schema": schema["$schema"],
        "$defs": schema["$defs"],
        "$ref": "#/$defs/report",
    }
    jsonschema.validate(answer.json(), report_schema)


def test_check_reads_the_format_and_title_it_is_given(client: TestClient) -> None:
    text = "<p>Coffee <b>may</b> cut the risk of stroke, a small study in mice suggests.</p>"
    answer = client.post(
        "/api/check", json={"text": text, "format": "html", "title": "Coffee cures strokes"}
    )
    want = hedgecheck.check(text, format="html", title="Coffee cures strokes")
    assert answer.json() == _model(want)
    assert answer.json()["input_format"] == "html"
    assert answer.json()["headline"] == "Coffee cures strokes"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("draft.md", "markdown"), ("page.HTML", "html"), ("notes.txt", "text"), ("", "text")],
)
def test_a_file_is_read_in_the_format_its_name_implies(
    client: TestClient, name: str, fmt: str
) -> None:
    data = b"# Coffee cures cancer\n\nA <b>study</b> in mice found it may help.\n"
    answer = client.post(f"/api/check-file?name={name}", content=data)
    assert answer.status_code == 200
    assert answer.json()["input_format"] == fmt
    assert answer.json() == _model(hedgecheck.check(data, format=fmt, path=name or None))


def test_a_file_that_is_not_utf8_is_read_as_scan_reads_it_with_a_warning(
    client: TestClient,
) -> None:
    answer = client.post("/api/check-file?name=draft.txt", content=b"Coffee may help \xff\xfe.\n")
    assert answer.status_code == 200
    assert "not valid UTF-8" in " ".join(answer.json()["warnings"])


def test_a_binary_file_is_refused_with_400(client: TestClient) -> None:
    message = _error(client.post("/api/check-file?name=scan.pdf", content=b"%PDF-1.7\n\0\0"), 400)
    assert "binary" in message and "scan.pdf" in message


def test_render_answers_with_the_html_formats_page(client: TestClient) -> None:
    text = KETAMINE.read_text(encoding="utf-8")
    answer = client.post("/api/render", json={"text": text}).json()
    report = hedgecheck.check(text)
    assert answer["html"] == render("html", [report])
    assert answer["label"] == report.label.value  # type: ignore[union-attr]
    assert (answer["claims"], answer["findings"]) == (len(report.claims), len(report.findings))
    assert answer["format"] == "text" and answer["errors"] == answer["warnings"] == []


def test_render_file_names_the_format_it_read(client: TestClient) -> None:
    answer = client.post("/api/render-file?name=a.md", content=b"# Title\n\nIt *may* help.\n")
    assert answer.json()["format"] == "markdown"
    assert '<p class="headline">' in answer.json()["html"]


def test_text_is_escaped_in_the_page_and_a_lone_surrogate_never_breaks_an_answer(
    client: TestClient,
) -> None:
    body = b'{"text": "Coffee <script>alert(1)</script> may help.\\ud800 It cures cancer."}'
    headers = {"content-type": "application/json"}
    answer = client.post("/api/render", content=body, headers=headers)
    assert answer.status_code == 200
    assert "<script>alert" not in answer.json()["html"]
    assert "&lt;script&gt;alert(1)" in answer.json()["html"]
    model = client.post("/api/check", content=body, headers=headers)
    assert model.status_code == 200 and "\ufffd" in model.json()["claims"][0]["text"]


def test_requests_at_the_same_time_each_get_their_own_report(client: TestClient) -> None:
    texts = [
        f"Coffee may cut the risk of stroke by {n}%, a study of {n} mice suggests."
        for n in range(2, 18)
    ]

    def send(text: str) -> Any:
        return client.post("/api/check", json={"text": text}).json()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, texts))
    assert answers == [_model(hedgecheck.check(text)) for text in texts]


# -- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b'{"text": "caf\xe9"}', 400, "not UTF-8"),
        (b'{"text": ', 400, "not JSON"),
        (b'["text"]', 422, "JSON object"),
        (b'{"txt": "x"}', 422, "unknown key(s) 'txt'"),
        (b'{"format": "text"}', 422, "no 'text'"),
        (b'{"text": 3}', 422, "'text' must be a string, not int"),
        (b'{"text": "x", "title": 1}', 422, "'title' must be a string or null"),
        (b'{"text": "x", "format": "md"}', 422, "unknown input format 'md'"),
    ],
)
def test_a_draft_that_cannot_be_checked_is_refused_with_a_json_error(
    client: TestClient, body: bytes, status: int, says: str
) -> None:
    for path in ("/api/check", "/api/render"):
        answer = client.post(path, content=body, headers={"content-type": "application/json"})
        assert says in _error(answer, status)


def test_a_json_endpoint_refuses_a_body_sent_as_another_type(client: TestClient) -> None:
    answer = client.post(
        "/api/check", content=b'{"text": "x"}', headers={"content-type": "text/plain"}
    )
    assert "application/json" in _error(answer, 415)


def test_a_body_over_the_limit_is_refused_by_its_content_length(client: TestClient) -> None:
    answer = client.post("/api/check-file?name=a.txt", content=b"x" * (LIMIT + 1))
    assert f"{LIMIT:,} bytes" in _error(answer, 413)
    assert client.post("/api/check-file?name=a.txt", content=b"x" * LIMIT).status_code == 200
    # Refused on the length alone, before a byte of the body is read.
    claimed = {"content-length": str(LIMIT * 1000)}
    answer = client.post("/api/check-file?name=a.txt", content=b"x", headers=claimed)
    assert "over the server's limit" in _error(answer, 413)


def test_a_body_over_the_limit_is_refused_as_it_is_read_whatever_its_length_says(
    client: TestClient,
) -> None:
    def chunks() -> Iterator[bytes]:  # sent chunked: no Content-Length at all
        for _ in range(LIMIT // 1000 + 1):
            yield b"x" * 1000

    assert "over the server's limit" in _error(
        client.post("/api/check-file", content=chunks()), 413
    )
    # A length that understates the body does not let the rest through.
    lying = {"content-length": "10", "content-type": "application/json"}
    body = b'{"text": "' + b"x" * LIMIT + b'"}'
    answer = client.post("/api/check", content=body, headers=lying)
    assert answer.status_code in (400, 413)  # the server reads 10 bytes or refuses the rest
    assert "error" in answer.json()


def test_a_request_naming_another_host_is_refused_on_loopback() -> None:
    with TestClient(create_app(allowed_hosts=LOOPBACK_HOSTS), base_url="http://127.0.0.1") as c:
        assert c.get("/api/rules").status_code == 200
        assert c.get("/api/rules", headers={"host": "attacker.example"}).status_code == 400


# -- rules, the description, the page ----------------------------------------------------


def test_rules_lists_every_rule_check_and_code_with_its_source(client: TestClient) -> None:
    listed = client.get("/api/rules").json()
    assert [r["id"] for r in listed] == [d.id for d in documents(hedgecheck.default_rules())]
    hype = next(r for r in listed if r["id"] == "HYP001")
    assert hype["category"] == "hype" and hype["kind"] == "rule"
    assert hype["summary"] and hype["source"] and hype["severity"] in ("warning", "info")


def test_the_openapi_description_lists_every_endpoint_and_no_other(client: TestClient) -> None:
    described = client.get("/openapi.json").json()
    assert described["openapi"].startswith("3.1")
    routes = {
        (route.path, method.lower())  # type: ignore[attr-defined]
        for route in client.app.routes  # type: ignore[attr-defined]
        for method in route.methods  # type: ignore[attr-defined]
        if method != "HEAD" and route.path != "/"  # type: ignore[attr-defined]
    }
    paths = described["paths"]
    assert {(path, method) for path, methods in paths.items() for method in methods} == routes
    assert f"{LIMIT:,} bytes" in described["info"]["description"]
    for ref in re.findall(r'"#/components/schemas/(\w+)"', json.dumps(described)):
        assert ref in described["components"]["schemas"]


def test_the_page_loads_nothing_from_elsewhere(client: TestClient) -> None:
    answer = client.get("/")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    page = answer.text
    assert not re.search(r"(?:https?:)?//[\w.-]+\.\w", page), "an external URL in the page"
    assert not re.search(r"""\b(?:src|href)\s*=\s*["'](?!#)""", page)
    assert "<textarea" in page and 'sandbox="allow-scripts"' in page
    assert re.search(r'accept="[^"]*\.docx', page) and re.search(r'accept="[^"]*\.md', page)
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


# -- the command --------------------------------------------------------------------------


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The app ``hedgecheck serve`` would have served, and where it listened (the socket is
    bound, then closed: the server is not run)."""
    import uvicorn

    calls: list[dict[str, Any]] = []

    def run(server: Any, sockets: list[socket.socket]) -> None:
        host, port = sockets[0].getsockname()[:2]
        calls.append({"app": server.config.app, "host": host, "port": port})
        sockets[0].close()

    monkeypatch.setattr(uvicorn.Server, "run", run)
    return calls


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_binds_this_machine_alone_by_default(
    started: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    port = _free_port()
    result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert (started[0]["host"], started[0]["port"]) == ("127.0.0.1", port)
    assert f"serving http://127.0.0.1:{port}/" in result.stderr
    assert "warning" not in result.stderr
    with TestClient(started[0]["app"], base_url="http://localhost") as c:
        assert c.get("/api/rules", headers={"host": "elsewhere.example"}).status_code == 400
    defaults = {p.name: p.default for p in main.commands["serve"].params}
    assert (defaults["host"], defaults["port"]) == ("127.0.0.1", 8000)


def test_a_port_in_use_is_an_error_before_serving(
    started: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 2 and not started
    assert f"cannot listen on 127.0.0.1 port {port}" in result.stderr
    assert "serving" not in result.stderr


def test_serve_warns_when_it_listens_beyond_this_machine(
    started: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    port = _free_port()
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert started[0]["host"] == "0.0.0.0" and started[0]["port"] == port
    assert "warning: listening on 0.0.0.0, not this machine alone" in result.stderr


def test_serve_takes_the_config_and_command_lines_rules_and_selectors(
    started: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".hedgecheck.toml").write_text('ignore = ["HYP"]\n')
    result = CliRunner().invoke(main, ["serve", "--max-bytes", "100", "--port", str(_free_port())])
    assert result.exit_code == 0, result.output
    with TestClient(started[0]["app"], base_url="http://127.0.0.1") as c:
        codes = [
            f["code"]
            for f in c.post(
                "/api/check", json={"text": "Coffee is a miracle cure for stroke, experts say."}
            ).json()["findings"]
        ]
        assert codes == ["EDT005"]  # its HYP001 ignored by the config
        assert c.post("/api/check-file", content=b"x" * 101).status_code == 413
    bad = CliRunner().invoke(main, ["serve", "--select", "NOPE999", "--port", str(_free_port())])
    assert bad.exit_code == 2 and "'NOPE999'" in bad.stderr and not started[1:]


def test_serve_without_the_extra_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if it were not installed
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    assert "pip install 'hedgecheck[serve]'" in result.stderr


def test_a_word_document_is_read_as_docx_and_its_report_shown() -> None:
    docx = pytest.importorskip("docx")  # the docx extra; the dev extra installs it
    document = docx.Document()
    document.add_heading("Coffee cures cancer, a small study in mice suggests", level=0)
    document.add_paragraph("The drug may help, the authors say.")
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    with TestClient(create_app(max_bytes=len(data))) as client:
        answer = client.post("/api/check-file?name=draft.docx", content=data)
        page = client.post("/api/render-file?name=draft.docx", content=data).json()
    assert answer.status_code == 200
    assert answer.json()["input_format"] == "docx"
    assert answer.json() == _model(hedgecheck.check(data, format="docx", path="draft.docx"))
    assert page["format"] == "docx" and '<p class="headline">' in page["html"]
    assert "Coffee" in page["html"] and "PK\x03\x04" not in page["html"]
