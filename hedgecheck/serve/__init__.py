"""``hedgecheck serve``'s web app: a page where an editor pastes or drops a draft and sees
the HTML report as they edit, and a JSON API over :func:`hedgecheck.check`.

Built on Starlette (the optional extra ``hedgecheck[serve]``, with uvicorn to run it), so
only this package and ``hedgecheck.cli.serve`` import it. :func:`create_app` makes the app;
it never prints. Modules: ``app`` (routes and handlers), ``drafts`` (reading a request into
what to check, with its limits), ``page`` (the page, its style sheet and script) and
``openapi`` (the API's OpenAPI description).
"""

from __future__ import annotations

from hedgecheck.serve.app import DEFAULT_MAX_BYTES, LOOPBACK_HOSTS, create_app

__all__ = ["DEFAULT_MAX_BYTES", "LOOPBACK_HOSTS", "create_app"]
