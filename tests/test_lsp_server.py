"""``hedgecheck lsp`` over its standard input and output, driven by pygls's LanguageClient
(a real client: LSP framing, JSON-RPC, the protocol's types): initialize, didOpen →
publishDiagnostics, didChange (debounced: only the latest version is published), hover,
codeAction → an edit that removes its finding, didClose, shutdown and exit; UTF-8 positions
when the client offers them; a broken configuration as one diagnostic; the exit codes (after
exit, at the end of input, on SIGTERM with the input still open)."""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="needs hedgecheck[lsp] (the dev extra installs it)")

from lsprotocol import types
from pygls.lsp.client import LanguageClient

HEDGECHECK = shutil.which("hedgecheck", path=str(Path(sys.executable).parent))
WAIT = 60  # seconds: the first check of a process loads the rules
pytestmark = pytest.mark.slow


class Session:
    """A client talking to one ``hedgecheck lsp`` process, with what it has published."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()
        self.capabilities = types.ServerCapabilities()

    async def next_diagnostics(self) -> types.PublishDiagnosticsParams:
        return await asyncio.wait_for(self.published.get(), WAIT)


async def _start(tmp_path: Path, *, encodings: list[str] | None = None) -> Session:
    assert HEDGECHECK is not None
    client = LanguageClient("hedgecheck-tests", "1")
    session = Session(client)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        session.published.put_nowait(params)

    await client.start_io(HEDGECHECK, "lsp", "--stdio", "--debounce", "0.3", cwd=str(tmp_path))
    general = types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None
    result = await asyncio.wait_for(
        client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(general=general),
                root_uri=tmp_path.as_uri(),
            )
        ),
        WAIT,
    )
    session.capabilities = result.capabilities
    client.initialized(types.InitializedParams())
    return session


async def _stop(session: Session) -> int | None:
    client = session.client
    await asyncio.wait_for(client.shutdown_async(None), WAIT)
    client.exit(None)
    await asyncio.wait_for(client.stop(), WAIT)
    return client._server.returncode if client._server else None


async def _end(session: Session) -> None:
    """However a test ended: the server process is not left running."""
    server = session.client._server
    if server is not None and server.returncode is None:
        server.kill()
        await server.wait()


def _open(session: Session, uri: str, text: str, language: str = "markdown") -> None:
    item = types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
    session.client.text_document_did_open(types.DidOpenTextDocumentParams(item))


def _change(session: Session, uri: str, version: int, text: str) -> None:
    session.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def _apply(text: str, edit: types.TextEdit) -> str:
    """A UTF-16 edit applied as an editor applies it (lines at \\n only, in this text)."""
    rows = text.split("\n")

    def offset(position: types.Position) -> int:
        before = sum(len(r) + 1 for r in rows[: position.line])
        units = rows[position.line].encode("utf-16-le")[: position.character * 2]
        return before + len(units.decode("utf-16-le"))

    return text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]


def test_a_session_from_initialize_to_exit(tmp_path: Path) -> None:
    (tmp_path / ".hedgecheck.toml").write_text("report-unused-suppressions = true\n")
    uri = (tmp_path / "draft.md").as_uri()
    first = "# 😀 Miracle pill\n\nThe drug may help, a small study suggests.\n"
    second = (
        "# 😀 Tea pill\n\nThe drug may help, a small study suggests.\n\n"
        "<!-- hedgecheck: ignore[HYP003] -->\n"
    )

    async def session_run() -> int | None:
        session = await _start(tmp_path)
        try:
            return await _steps(session)
        finally:
            await _end(session)

    async def _steps(session: Session) -> int | None:
        capabilities = session.capabilities
        assert capabilities.position_encoding == types.PositionEncodingKind.Utf16
        assert capabilities.hover_provider
        _open(session, uri, first)
        opened = await session.next_diagnostics()
        assert opened.uri == uri and opened.version == 1
        miracle = next(d for d in opened.diagnostics if d.code == "HYP002")
        # after "# " and an emoji: two UTF-16 units each for the emoji
        assert miracle.range == types.Range(types.Position(0, 5), types.Position(0, 17))
        assert miracle.severity == types.DiagnosticSeverity.Warning
        assert miracle.source == "hedgecheck"

        # three quick edits: only the last version is checked and published
        _change(session, uri, 2, first.replace("Miracle", "Wonder"))
        _change(session, uri, 3, first.replace("Miracle", "Magic"))
        _change(session, uri, 4, second)
        changed = await session.next_diagnostics()
        assert changed.version == 4
        codes = [d.code for d in changed.diagnostics]
        assert "HYP002" not in codes and "HCS001" in codes

        hovered = await asyncio.wait_for(
            session.client.text_document_hover_async(
                types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(2, 12))
            ),
            WAIT,
        )
        assert hovered is not None
        assert "**hedgecheck: preliminary** claim" in hovered.contents.value
        assert "`HDG001` | may" in hovered.contents.value

        unused = next(d for d in changed.diagnostics if d.code == "HCS001")
        actions = await asyncio.wait_for(
            session.client.text_document_code_action_async(
                types.CodeActionParams(
                    types.TextDocumentIdentifier(uri),
                    unused.range,
                    types.CodeActionContext(diagnostics=[unused]),
                )
            ),
            WAIT,
        )
        assert actions is not None and len(actions) == 1
        (edit,) = actions[0].edit.changes[uri]
        fixed = _apply(second, edit)
        assert "hedgecheck:" not in fixed
        _change(session, uri, 5, fixed)
        after = await session.next_diagnostics()
        assert after.version == 5
        assert "HCS001" not in [d.code for d in after.diagnostics]

        session.client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
        )
        closed = await session.next_diagnostics()
        assert closed.uri == uri and list(closed.diagnostics) == []
        assert session.published.empty()
        return await _stop(session)

    assert asyncio.run(session_run()) == 0


def test_utf8_positions_and_a_broken_config(tmp_path: Path) -> None:
    uri = (tmp_path / "notes.txt").as_uri()
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / ".hedgecheck.toml").write_text("fail-on = 3\n")
    broken = tmp_path / "broken" / "draft.md"

    async def session_run() -> tuple[types.PublishDiagnosticsParams, int | None]:
        session = await _start(tmp_path, encodings=["utf-8", "utf-16"])
        try:
            return await _steps(session)
        finally:
            await _end(session)

    async def _steps(session: Session) -> tuple[types.PublishDiagnosticsParams, int | None]:
        capabilities = session.capabilities
        assert capabilities.position_encoding == types.PositionEncodingKind.Utf8
        _open(session, uri, "😀 é Miracle pill for all.\n", "plaintext")
        opened = await session.next_diagnostics()
        # a broken configuration is one diagnostic, and the server goes on
        _open(session, broken.as_uri(), "Miracle pill.\n")
        refused = await session.next_diagnostics()
        assert [d.range.start for d in refused.diagnostics] == [types.Position(0, 0)]
        assert "fail-on" in refused.diagnostics[0].message
        return opened, await _stop(session)

    opened, code = asyncio.run(session_run())
    miracle = next(d for d in opened.diagnostics if d.code == "HYP002")
    # four bytes of emoji, a space, two bytes of é, a space
    assert miracle.range.start == types.Position(0, 8)
    assert code == 0


def test_input_ending_without_shutdown_exits_1() -> None:
    assert HEDGECHECK is not None
    done = subprocess.run([HEDGECHECK, "lsp"], input=b"", capture_output=True, timeout=WAIT)
    assert done.returncode == 1
    assert done.stdout == b""


def test_sigterm_ends_a_server_whose_input_is_still_open(tmp_path: Path) -> None:
    async def session_run() -> int:
        session = await _start(tmp_path)  # initialised: the server is reading its input
        server = session.client._server
        assert server is not None
        try:
            server.send_signal(signal.SIGTERM)
            return await asyncio.wait_for(server.wait(), WAIT)
        finally:
            await _end(session)

    assert asyncio.run(session_run()) == 128 + signal.SIGTERM
