"""``hedgecheck serve``: the local web page and JSON API (:mod:`hedgecheck.serve`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from hedgecheck.cli.exits import fail, say
from hedgecheck.cli.options import (
    config_from_options,
    load_packs,
    refuse_unknown_selectors,
    rules_option,
)
from hedgecheck.errors import HedgecheckError, UsageError

if TYPE_CHECKING:
    import socket

# The serve extra's own default (hedgecheck.serve.DEFAULT_MAX_BYTES), here so that --help
# imports no web framework.
_MAX_BYTES = 5_000_000
_NEEDS_EXTRA = (
    "hedgecheck serve needs the serve extra (Starlette and uvicorn): "
    "pip install 'hedgecheck[serve]'"
)


@click.command(name="serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. The default is this machine only; any other address lets "
    "other machines send drafts to it (a warning says so).",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=_MAX_BYTES,
    show_default=True,
    help="Largest request body (a draft or a file) taken; a larger one is refused (413).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, exists=True),
    help="Configuration file (default: the nearest .hedgecheck.toml or pyproject.toml with "
    "[tool.hedgecheck], looking up from the current folder): its rules, select, ignore, "
    "severity and rule-budget apply to every request.",
)
@click.option("--select", multiple=True, help="Report only these rules, prefixes or categories.")
@click.option("--ignore", multiple=True, help="Do not report these rules, prefixes or categories.")
@click.option(
    "--rule-budget",
    multiple=True,
    metavar="KEY=SECONDS",
    help="Seconds of matching one rule of a pack you add may spend on one request (file) "
    "and the rest as for scan; a rule over it is switched off for that request and named "
    "in its report's errors. Repeatable: --rule-budget file=2.",
)
@rules_option
def serve_command(
    host: str, port: int, max_bytes: int, rule_paths: tuple[str, ...], **options: Any
) -> None:
    """Serve a page where an editor pastes or drops a draft (.txt, .md, .html, .docx) and
    sees its report as they edit, and a JSON API (POST /api/check, GET /api/rules,
    /openapi.json). Needs the serve extra: pip install 'hedgecheck[serve]'."""
    try:
        import uvicorn

        from hedgecheck.serve import LOOPBACK_HOSTS, create_app
    except ImportError:
        fail(UsageError(_NEEDS_EXTRA))
    config = config_from_options((), {**_SERVE_DEFAULTS, **options})
    rules = load_packs((*map(str, config.rule_paths), *rule_paths))
    refuse_unknown_selectors(config, options, rules)
    loopback = _is_loopback(host)
    app = create_app(
        rules=rules,
        policy=config.policy,
        rule_budget=config.rule_budget,
        max_bytes=max_bytes,
        allowed_hosts=LOOPBACK_HOSTS if loopback else None,
    )
    if not loopback:
        say(
            f"warning: listening on {host}, not this machine alone: anyone who can reach it "
            "can send drafts to check (the default, 127.0.0.1, is this machine only)"
        )
    listening = _listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    say(f"serving http://{shown}:{port}/ (Ctrl-C stops)")
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listening])


def _listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port``, bound here so that a port in use is a
    hedgecheck error (exit 2), said before the server claims to be serving."""
    import socket  # here, not at import: every command's start-up imports this module

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host.strip("[]"), port), family=family)
    except OSError as exc:
        fail(HedgecheckError(f"cannot listen on {host} port {port}: {exc.strerror or exc}"))


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# The scan options that serve does not offer, at their defaults, for config_from_options.
_SERVE_DEFAULTS: dict[str, Any] = {
    "report_unused_suppressions": None,
    "fail_on": None,
    "fail_on_label": None,
    "include": (),
    "exclude": (),
    "max_file_size": None,
    "part_size": None,
    "on_rule_timeout": None,
}
