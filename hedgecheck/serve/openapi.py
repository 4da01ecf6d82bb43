"""The API's OpenAPI 3.1 description, served at ``/openapi.json``.

Written out here rather than generated: Starlette routes carry no types, and six endpoints
read more plainly as data. ``tests/test_serve.py`` checks that it names every route of the
app and no other. The report itself is described in full by
``schema/hedgecheck-report.schema.json`` (``#/$defs/report``); here it is named with the
keys it always has.
"""

from __future__ import annotations

from typing import Any

from hedgecheck import __version__

_ERROR = {"$ref": "#/components/schemas/Error"}
_REPORT_KEYS = [
    "path",
    "warnings",
    "errors",
    "input_format",
    "label",
    "headline",
    "evidence_tag",
    "report_card",
    "study_cues",
    "claims",
    "findings",
]


def openapi(max_bytes: int) -> dict[str, Any]:
    """The description of an app that takes request bodies of at most ``max_bytes``."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "hedgecheck serve",
            "version": __version__,
            "description": "Check a draft for hedging, evidence signals and overclaiming: "
            "every claim labelled, with the cues behind it, and the editor's findings. "
            f"Request bodies are limited to {max_bytes:,} bytes (413 above).",
        },
        "paths": {
            "/api/check": {"post": _post_draft("The report model of a draft.", "Report")},
            "/api/check-file": {
                "post": _post_file("The report model of a file's bytes.", "Report")
            },
            "/api/render": {
                "post": _post_draft("The HTML report page of a draft, for the page.", "Rendered")
            },
            "/api/render-file": {
                "post": _post_file("The HTML report page of a file, for the page.", "Rendered")
            },
            "/api/rules": {
                "get": {
                    "summary": "Every rule, article check, lexicon entry and built-in code.",
                    "responses": {
                        "200": _json_answer(
                            "The rules", {"type": "array", "items": _ref("RuleDoc")}
                        )
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This description.",
                    "responses": {"200": _json_answer("OpenAPI 3.1", {"type": "object"})},
                }
            },
        },
        "components": {"schemas": _SCHEMAS},
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json_answer(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _refusals() -> dict[str, Any]:
    return {
        "400": _json_answer("The body cannot be read: not UTF-8 JSON, or binary bytes", _ERROR),
        "413": _json_answer("The body is over the size limit", _ERROR),
        "422": _json_answer("Not a draft: an unknown key or format, a value's type", _ERROR),
    }


def _post_draft(summary: str, answer: str) -> dict[str, Any]:
    return {
        "summary": summary,
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _ref("Draft")}},
        },
        "responses": {
            "200": _json_answer(summary, _ref(answer)),
            **_refusals(),
            "415": _json_answer("The body was not sent as application/json", _ERROR),
        },
    }


def _post_file(summary: str, answer: str) -> dict[str, Any]:
    return {
        "summary": summary,
        "description": "The body is the file's bytes. Its format comes from the extension "
        "of `name`, as `hedgecheck scan` reads files (plain text for none).",
        "parameters": [
            {
                "name": "name",
                "in": "query",
                "required": False,
                "description": "The file's name, e.g. draft.md",
                "schema": {"type": "string"},
            }
        ],
        "requestBody": {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string"}}},
        },
        "responses": {"200": _json_answer(summary, _ref(answer)), **_refusals()},
    }


_SCHEMAS: dict[str, Any] = {
    "Draft": {
        "type": "object",
        "additionalProperties": False,
        "required": ["text"],
        "properties": {
            "text": {"type": "string"},
            "format": {"type": "string", "enum": ["text", "markdown", "html"], "default": "text"},
            "title": {
                "type": ["string", "null"],
                "description": "The headline, when it is not the text's first line",
            },
        },
    },
    "Report": {
        "type": "object",
        "description": "One report, as `hedgecheck scan --format json` writes each of its "
        "files: specified in full by schema/hedgecheck-report.schema.json (#/$defs/report).",
        "required": _REPORT_KEYS,
    },
    "Rendered": {
        "type": "object",
        "required": ["format", "label", "claims", "findings", "errors", "warnings", "html"],
        "properties": {
            "format": {"type": "string"},
            "label": {"type": ["string", "null"]},
            "claims": {"type": "integer"},
            "findings": {"type": "integer"},
            "errors": {"type": "array", "items": {"type": "string"}},
            "warnings": {"type": "array", "items": {"type": "string"}},
            "html": {"type": "string", "description": "The self-contained HTML report page"},
        },
    },
    "RuleDoc": {
        "type": "object",
        "required": ["id", "name", "kind", "category", "severity", "summary", "why"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": ["rule", "check", "lexicon", "builtin"]},
            "category": {"type": "string"},
            "severity": {"type": ["string", "null"]},
            "summary": {"type": "string"},
            "why": {"type": "string"},
            "suggestion": {"type": ["string", "null"]},
            "source": {"type": "string", "description": "The citation behind the rule"},
            "origin": {"type": "string"},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}},
    },
}
