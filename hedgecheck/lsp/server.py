"""The language server (pygls) that feeds what the editor sends to :mod:`.features`.

Documents are synchronised in full (an article is small, and pygls's incremental edits
split lines as ``str.splitlines`` does, not as LSP does). A document is checked when it
opens and again ``delay`` seconds after the last change; a check runs in one worker thread,
so the server keeps answering, and its diagnostics are published only if the document is
still open at the version that was checked. Closing a document clears its diagnostics.
"""

from __future__ import annotations

import asyncio
import contextlib
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import PositionCodec, TextDocument

from hedgecheck import __version__
from hedgecheck.lsp.features import Checked, check_document, code_actions, diagnostics, hover
from hedgecheck.lsp.projects import Projects

DEBOUNCE_SECONDS = 0.3


class _Documents:
    """The open documents' latest checks, and the checks waiting to run."""

    def __init__(self, server: LanguageServer, delay: float) -> None:
        self.server = server
        self.delay = delay
        self.projects = Projects()
        self.checked: dict[str, tuple[int | None, Checked]] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        # One thread: checks run one at a time, off the loop that answers the editor.
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hedgecheck")
        self.shutdown_requested = False  # by the editor, as LSP asks before exit

    def schedule(self, uri: str, delay: float) -> None:
        """Check ``uri`` after ``delay`` seconds, instead of any check still waiting."""
        self.cancel(uri)
        self.pending[uri] = asyncio.ensure_future(self._check_later(uri, delay))

    def cancel(self, uri: str) -> None:
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()

    def close(self, uri: str) -> None:
        self.cancel(uri)
        self.checked.pop(uri, None)
        self._publish(uri, None, [])

    def current(self, uri: str) -> Checked | None:
        """The check of the open document's current version, made now if not yet made
        (a hover or code action before the debounced check ran)."""
        if uri not in self.server.workspace.text_documents:
            return None
        document = self.server.workspace.get_text_document(uri)
        version, checked = self.checked.get(uri, (None, None))
        if checked is None or version != document.version:
            checked = self._check(*_contents(document))
            self.checked[uri] = (document.version, checked)
        return checked

    async def _check_later(self, uri: str, delay: float) -> None:
        try:
            await self._check_when_due(uri, delay)
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    async def _check_when_due(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)
        if uri not in self.server.workspace.text_documents:
            return
        document = self.server.workspace.get_text_document(uri)
        # The text is taken here, on the loop: the worker must not read a document that a
        # change may replace meanwhile.
        version, job = document.version, partial(self._check, *_contents(document))
        try:
            checked = await asyncio.get_running_loop().run_in_executor(self.worker, job)
        except Exception as exc:  # a bug: said in the editor, the server goes on
            self.server.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Error,
                    message=f"hedgecheck could not check {uri}: {type(exc).__name__}: {exc}",
                )
            )
            return
        still_open = uri in self.server.workspace.text_documents
        if not still_open or self.server.workspace.get_text_document(uri).version != version:
            return  # a newer version is on its way
        self.checked[uri] = (version, checked)
        self._publish(uri, version, diagnostics(checked, self.codec))

    def _check(self, uri: str, text: str, language_id: str) -> Checked:
        root = self.server.workspace.root_path
        return check_document(
            text,
            uri=uri,
            language_id=language_id,
            projects=self.projects,
            root=Path(root) if root else None,
        )

    def _publish(self, uri: str, version: int | None, found: list[types.Diagnostic]) -> None:
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=version)
        )

    @property
    def codec(self) -> PositionCodec:
        """The codec of the position encoding agreed at initialisation."""
        return self.server.workspace.position_codec

    def stop(self) -> None:
        for uri in list(self.pending):
            self.cancel(uri)
        self.worker.shutdown(wait=False, cancel_futures=True)


def _contents(document: TextDocument) -> tuple[str, str, str]:
    """What checking a document needs: its URI, text and language."""
    return document.uri, document.source, document.language_id or ""


class _Server(LanguageServer):
    """pygls's server, which does not wait for its reader thread when it stops: that thread
    is blocked reading standard input, which an editor may keep open after ``exit`` (and a
    stop signal leaves open), so waiting for it would hang the process."""

    def shutdown(self) -> None:
        pool, self._thread_pool = self._thread_pool, None  # pygls 2.x keeps it here
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        super().shutdown()


def build_server(*, delay: float = DEBOUNCE_SECONDS) -> tuple[LanguageServer, _Documents]:
    """A server with hedgecheck's features, and the documents it keeps."""
    server = _Server(
        "hedgecheck", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full
    )
    documents = _Documents(server, delay)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        documents.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        documents.schedule(params.text_document.uri, documents.delay)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        # a configuration saved beside it may have changed what applies
        documents.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        documents.close(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: LanguageServer, params: types.HoverParams) -> types.Hover | None:
        checked = documents.current(params.text_document.uri)
        return None if checked is None else hover(checked, params.position, documents.codec)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def on_code_action(
        ls: LanguageServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        uri = params.text_document.uri
        checked = documents.current(uri)
        return [] if checked is None else code_actions(checked, uri, params.range, documents.codec)

    @server.feature(types.SHUTDOWN)
    def on_shutdown(ls: LanguageServer, params: None) -> None:
        documents.shutdown_requested = True
        documents.stop()

    return server, documents


def serve(*, delay: float = DEBOUNCE_SECONDS) -> int:
    """Serve on standard input and output until the editor says exit; the exit code LSP
    asks for: 0 after a shutdown request, 1 without one (the input closed, say). The thread
    reading standard input may still be blocked in a read: the caller ends the process
    without waiting for it (``os._exit``)."""
    server, documents = build_server(delay=delay)
    try:
        server.start_io()
    finally:
        with contextlib.suppress(RuntimeError):
            documents.stop()
    return 0 if documents.shutdown_requested else 1
