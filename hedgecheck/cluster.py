"""Scale-out with Dask: one row per claim for a corpus, as a Dask DataFrame.

Needs the optional extra: ``pip install 'hedgecheck[dask]'``. ::

    from dask.distributed import Client
    import hedgecheck.cluster

    client = Client("tcp://scheduler:8786")
    claims = hedgecheck.cluster.scan(["corpus/"])
    claims.to_parquet("claims.parquet")

Each partition is checked by one task; a worker loads (or reads from the rule cache) the
packs once and keeps them for every later partition, so rules are never loaded per
document. Rows are the same, in the same order, as checking every file in one process.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import dask.bag as db
import dask.dataframe as dd
import pandas as pd

from hedgecheck.api import check
from hedgecheck.arguments import path_text, require, require_count
from hedgecheck.config import Config
from hedgecheck.errors import InputError
from hedgecheck.loader import default_rules, load_rules
from hedgecheck.model import Report
from hedgecheck.reading import display_name
from hedgecheck.ruleset import RuleSet
from hedgecheck.scanning import ScanJob, check_file, discover

__all__ = ["COLUMNS", "claim_rows", "scan"]

# Column name -> pandas dtype of the claim table.
COLUMNS: dict[str, str] = {
    "document": "string",
    "claim": "int64",
    "text": "string",
    "start": "int64",
    "end": "int64",
    "line": "int64",
    "column": "int64",
    "label": "string",
    "certainty": "float64",
    "strength": "string",
    "cue_rules": "string",
}


def scan(
    paths_or_bag: Sequence[str | Path] | db.Bag,
    *,
    rules: Sequence[str | Path] | None = None,
    partition_size: int = 16,
) -> Any:
    """A Dask DataFrame with one row per claim of every document.

    ``paths_or_bag`` is files and folders (found as ``hedgecheck scan`` finds them), or a
    Dask Bag of paths or of ``(document_id, text)`` pairs (plain text, str or bytes read as
    ``check`` reads them). ``rules`` names extra rule packs (files or folders) added to the
    default ones; they are loaded once per worker. Columns: ``document`` (path or id),
    ``claim`` (its index in the document), ``text``, ``start``/``end`` (character
    offsets), ``line``/``column``, ``label``, ``certainty``, ``strength``, ``cue_rules``
    (the ids of its cues, space-separated).
    Files that cannot be read give no rows. A single path counts as a list of one; an
    argument of the wrong type is a UsageError.
    """
    packs = _paths(rules or (), "rules")
    require_count(partition_size, argument="hedgecheck.cluster.scan(): partition_size")
    if isinstance(paths_or_bag, db.Bag):
        bag = paths_or_bag
    else:
        files, _ = discover(list(_paths(paths_or_bag, "paths_or_bag")), Config())
        if not files:
            return dd.from_pandas(_empty(), npartitions=1)
        bag = db.from_sequence(files, npartitions=max(1, -(-len(files) // partition_size)))
    meta = _empty()
    return bag.map_partitions(_partition, packs).to_dataframe(meta=meta)


def _paths(value: object, name: str) -> tuple[str, ...]:
    argument = f"hedgecheck.cluster.scan(): {name}"
    if isinstance(value, str | os.PathLike):
        value = [value]
    hint = " (paths, or a dask.bag)" if name == "paths_or_bag" else " (paths)"
    require(value, Iterable, argument=argument, hint=hint)
    return tuple(path_text(p, argument=f"{argument} items") for p in value)  # type: ignore[attr-defined]


def claim_rows(document: str, report: Report) -> list[dict[str, Any]]:
    """The rows of one document's report, as :func:`scan` gives them."""
    return [
        {
            "document": document,
            "claim": index,
            "text": claim.text,
            "start": claim.start,
            "end": claim.end,
            "line": claim.line,
            "column": claim.column,
            "label": str(claim.label),
            "certainty": float(claim.certainty),
            "strength": str(claim.strength),
            "cue_rules": " ".join(cue.rule for cue in claim.cues),
        }
        for index, claim in enumerate(report.claims)
    ]


def _partition(items: Iterable[Any], packs: tuple[str, ...]) -> list[dict[str, Any]]:
    rules = _worker_rules(packs)
    job = ScanJob(Config(), packs)
    rows: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, tuple | list):
            document, text = str(item[0]), item[1]
            text = text if isinstance(text, bytes | bytearray) else str(text)
            rows.extend(claim_rows(document, check(text, rules=rules, path=document)))
            continue
        name = str(item)
        report = check_file(name, rules, job)
        if not isinstance(report, InputError):
            rows.extend(claim_rows(display_name(name), report))
    return rows


@functools.lru_cache(maxsize=8)
def _worker_rules(packs: tuple[str, ...]) -> RuleSet:
    """The rule set, loaded once per worker process (and per set of packs)."""
    return load_rules(*packs, include_defaults=True) if packs else default_rules()


def _empty() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in COLUMNS.items()})
