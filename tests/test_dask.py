"""Scale-out: the Dask claim table on a two-worker LocalCluster equals the one-process scan."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

import hedgecheck.cluster
from hedgecheck.config import Config
from hedgecheck.loader import default_rules
from hedgecheck.model import Label
from hedgecheck.reading import display_name
from hedgecheck.scanning import ScanJob, check_file, discover

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SENTENCES = [
    "A small study in mice suggests the drug may slow tumour growth.",
    "Coffee causes cancer, a new report proves.",
    "The trial of 2,000 adults found the vaccine reduced infections by half.",
    "Researchers said the results, which have not been peer-reviewed, could change care.",
    "Eating nuts is linked to a longer life, according to an observational study.",
]


def _corpus(folder: Path) -> None:
    for source in sorted(EXAMPLES.glob("*/*")):
        if source.suffix in (".txt", ".md", ".html"):
            shutil.copy(source, folder / f"{source.parent.name}-{source.name}")
    for i in range(16):
        lines = [SENTENCES[(i + k) % len(SENTENCES)] for k in range(1 + i % 4)]
        (folder / f"story{i:02d}.txt").write_text(f"Story {i}\n\n" + "\n\n".join(lines) + "\n")


@pytest.mark.slow
def test_local_cluster_rows_equal_the_single_process_scan(tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    _corpus(tmp_path)
    files, _ = discover([str(tmp_path)], Config())
    assert len(files) == 20
    rules, job = default_rules(), ScanJob(Config())
    expected = [
        row
        for name in files
        for row in hedgecheck.cluster.claim_rows(display_name(name), check_file(name, rules, job))
    ]
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster,
        Client(cluster),
    ):
        frame = hedgecheck.cluster.scan([tmp_path], partition_size=4)
        assert frame.npartitions == 5
        table = frame.compute()
    assert list(table.columns) == list(hedgecheck.cluster.COLUMNS)
    assert table.to_dict("records") == expected
    assert len(expected) > 20


def test_a_bag_of_texts_and_parquet_output(tmp_path: Path) -> None:
    import dask.bag as db
    import pandas as pd

    bag = db.from_sequence([(f"doc{i}", s) for i, s in enumerate(SENTENCES)], npartitions=2)
    frame = hedgecheck.cluster.scan(bag)
    frame.to_parquet(tmp_path / "claims", write_index=False)
    back = pd.read_parquet(tmp_path / "claims")
    assert list(back["document"]) == [f"doc{i}" for i in range(len(SENTENCES))]
    assert set(back["label"]) <= {str(label) for label in Label}


def test_a_bag_of_byte_texts_is_read_as_check_reads_bytes() -> None:
    import dask.bag as db

    def rows(texts: list) -> list[dict]:
        bag = db.from_sequence([(f"doc{i}", t) for i, t in enumerate(texts)], npartitions=1)
        return hedgecheck.cluster.scan(bag).compute(scheduler="sync").to_dict("records")

    assert rows([s.encode() for s in SENTENCES]) == rows(SENTENCES)
