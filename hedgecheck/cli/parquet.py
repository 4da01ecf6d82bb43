"""``scan --output-parquet``: the claim table written as a Parquet dataset, on Dask."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import click

from hedgecheck.cli.exits import fail, say
from hedgecheck.cli.options import load_packs
from hedgecheck.errors import HedgecheckError

# Seconds to reach a --dask scheduler: a wrong address fails fast instead of after distributed's
# default 30 s.
DASK_CONNECT_TIMEOUT = 5


def refuse_parquet_misuse(options: dict[str, Any]) -> None:
    """--dask and --replace-parquet go with --output-parquet, and --output does not."""
    if options["dask_scheduler"] and not options["output_parquet"]:
        fail(click.UsageError("--dask needs --output-parquet DIR"))
    if options["replace_parquet"] and not options["output_parquet"]:
        fail(click.UsageError("--replace-parquet needs --output-parquet DIR"))
    if options["output"] and options["output_parquet"]:
        fail(click.UsageError("--output and --output-parquet cannot be used together"))


def scan_to_parquet(
    paths: tuple[str, ...], rule_paths: tuple[str, ...], options: dict[str, Any]
) -> None:
    """The claim table of ``hedgecheck.cluster.scan`` written as Parquet, on a Dask cluster."""
    try:
        import distributed  # noqa: F401  (needed by --dask; named here if missing)

        import hedgecheck.cluster as cluster
        from hedgecheck.outputs import refuse_dataset_target, write_dataset
    except ImportError as exc:
        fail(HedgecheckError(f"--output-parquet needs hedgecheck[dask] ({exc.name} missing)"))
    load_packs(rule_paths)  # a bad pack is reported before any cluster starts
    folder = options["output_parquet"]
    refuse_dataset_target(folder, replace=options["replace_parquet"])  # before any cluster
    with _dask_client(options["dask_scheduler"]):
        frame = cluster.scan(list(paths), rules=rule_paths)
        write_dataset(
            folder,
            lambda into: frame.to_parquet(into, write_index=False),
            replace=options["replace_parquet"],
        )
    say(f"wrote the claims to {folder}")


@contextlib.contextmanager
def _dask_client(scheduler: str | None) -> Iterator[None]:
    """A client of ``scheduler`` ("local": a cluster of this machine's cores) while the
    block runs; a scheduler that cannot be reached is an error naming it."""
    if not scheduler:
        yield
        return
    from distributed import Client, LocalCluster

    cluster = LocalCluster(processes=True) if scheduler == "local" else None
    try:
        client = Client(cluster if cluster is not None else scheduler, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        if cluster is not None:
            cluster.close()
        reason = str(exc) or f"no answer in {DASK_CONNECT_TIMEOUT} s"
        raise HedgecheckError(f"cannot reach the Dask scheduler {scheduler!r}: {reason}") from None
    try:
        yield
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
