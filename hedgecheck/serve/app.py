"""The app: its routes, and the check each request runs.

The rule set is loaded once, when the app is made, and shared by every request: it never
changes. Each request gets a fresh :class:`~hedgecheck.budget.ScanBudget`, so a house rule
that runs past the match timeout or spends its time budget is switched off for that request
alone and named in its report's ``errors``; the next request tries it again. The check runs
in a worker thread, so the event loop keeps answering other requests meanwhile.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from hedgecheck.budget import RuleBudget, ScanBudget
from hedgecheck.errors import InputError, UsageError
from hedgecheck.formats._safe import JSON, guard
from hedgecheck.serve.drafts import ApiError, Draft, file_draft, json_draft, read_body
from hedgecheck.serve.openapi import openapi
from hedgecheck.serve.page import PAGE

if TYPE_CHECKING:
    from hedgecheck.findings import FindingPolicy
    from hedgecheck.model import Report
    from hedgecheck.ruledoc import RuleDoc
    from hedgecheck.ruleset import RuleSet

# A request body's limit unless told otherwise: far above any article or Word file of one,
# low enough that one request cannot hold the machine for minutes.
DEFAULT_MAX_BYTES = 5_000_000
# The names a browser gives this machine: with the server on a loopback address, a request
# naming any other host is refused, so a web page cannot reach it by DNS rebinding.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
# The page loads nothing from elsewhere, and the report in its frame may run its own inline
# script (the cue help) but reach nothing either.
_PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Checker:
    """What every request is checked with."""

    rules: RuleSet
    policy: FindingPolicy | None
    rule_budget: RuleBudget

    def report(self, draft: Draft) -> Report:
        from hedgecheck.api import check

        try:
            return check(
                draft.text,
                title=draft.title,
                rules=self.rules,
                path=draft.path,
                format=draft.format,
                policy=self.policy,
                budget=ScanBudget(self.rule_budget),
            )
        except UsageError as exc:  # an unknown format
            raise ApiError(422, str(exc)) from None
        except InputError as exc:  # bytes that are no text (binary, a PDF)
            raise ApiError(400, str(exc)) from None

    def report_json(self, draft: Draft) -> str:
        """The report model, as the JSON format writes one report."""
        from hedgecheck.formats._json_pieces import report_pieces

        return guard("".join(report_pieces(self.report(draft))), JSON)

    def page_json(self, draft: Draft) -> str:
        """The HTML report page of the draft, with what the page shows around it."""
        from hedgecheck.formats import render

        report = self.report(draft)
        answer = {
            "format": report.input_format,
            "label": report.label.value if report.label else None,
            "claims": len(report.claims),
            "findings": len(report.findings),
            "errors": list(report.errors),
            "warnings": list(report.warnings),
            "html": render("html", [report], rules=self.rules),
        }
        return guard(json.dumps(answer, ensure_ascii=False), JSON)


def create_app(
    *,
    rules: RuleSet | None = None,
    policy: FindingPolicy | None = None,
    rule_budget: RuleBudget | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allowed_hosts: Sequence[str] | None = None,
) -> Starlette:
    """The web app checking with ``rules`` (the default packs when None) and ``policy``.

    ``rule_budget`` is what the rules of packs outside the shipped ones may spend matching in
    one request; ``max_bytes`` the largest request body taken (413 above it);
    ``allowed_hosts`` the Host names a request may give (any when None).
    """
    from hedgecheck.loader import default_rules
    from hedgecheck.ruledoc import documents

    checker = _Checker(
        rules=rules if rules is not None else default_rules(),
        policy=policy,
        rule_budget=rule_budget or RuleBudget(),
    )
    listing = guard(json.dumps([_listed(doc) for doc in documents(checker.rules)]), JSON)
    schema = json.dumps(openapi(max_bytes))

    def endpoint(
        draft_of: Callable[[Request, bytes], Draft], answer: Callable[[Draft], str]
    ) -> Callable[[Request], Awaitable[Response]]:
        """A POST endpoint: the body read within the limit, made a draft, and answered in a
        worker thread (a check is CPU work; the event loop goes on serving meanwhile)."""

        async def answered(request: Request) -> Response:
            draft = draft_of(request, await read_body(request, max_bytes))
            return _json(await run_in_threadpool(answer, draft))

        return _refusals(answered)

    async def rules_listing(request: Request) -> Response:
        return _json(listing)

    async def openapi_json(request: Request) -> Response:
        return _json(schema)

    async def page(request: Request) -> Response:
        return HTMLResponse(PAGE, headers={"Content-Security-Policy": _PAGE_POLICY})

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/api/check", endpoint(_sent_draft, checker.report_json), methods=["POST"]),
        Route("/api/check-file", endpoint(_file_draft, checker.report_json), methods=["POST"]),
        Route("/api/render", endpoint(_sent_draft, checker.page_json), methods=["POST"]),
        Route("/api/render-file", endpoint(_file_draft, checker.page_json), methods=["POST"]),
        Route("/api/rules", rules_listing, methods=["GET"]),
        Route("/openapi.json", openapi_json, methods=["GET"]),
    ]
    middleware = []
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    return Starlette(routes=routes, middleware=middleware)


def _refusals(
    handler: Callable[[Request], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    """``handler`` with an :class:`ApiError` answered as ``{"error": message}``."""

    async def answered(request: Request) -> Response:
        try:
            return await handler(request)
        except ApiError as exc:
            return _json(guard(json.dumps({"error": exc.message}), JSON), status=exc.status)

    return answered


def _sent_draft(request: Request, body: bytes) -> Draft:
    """A draft sent as JSON (text, format, title)."""
    return json_draft(body, _content_type(request))


def _file_draft(request: Request, body: bytes) -> Draft:
    """A file's bytes, read in the format its ``name`` implies."""
    return file_draft(body, request.query_params.get("name", ""))


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "")


def _json(text: str, status: int = 200) -> Response:
    return Response(text, status_code=status, media_type="application/json")


def _listed(doc: RuleDoc) -> dict[str, Any]:
    """One rule, article check, lexicon entry or built-in code of ``GET /api/rules``."""
    return {
        "id": doc.id,
        "name": doc.name,
        "kind": doc.kind,
        "category": doc.category,
        "severity": doc.severity.value if doc.severity else None,
        "summary": doc.summary,
        "why": doc.why,
        "suggestion": doc.suggestion,
        "source": doc.source,
        "origin": doc.origin,
    }
