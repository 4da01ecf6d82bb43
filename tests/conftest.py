"""The suite never touches the user's real rule cache: before any test module is imported,
HEDGECHECK_CACHE_DIR points at a folder of pytest's own cache (kept between runs, so the
default packs are built once, not once per session), or at a temporary folder when pytest
runs without its cache. Subprocesses started by the tests inherit the setting."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_TEMPORARY: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    cache = getattr(config, "cache", None)
    if cache is not None:
        folder = str(cache.mkdir("hedgecheck-rule-cache"))
        os.chmod(folder, 0o700)  # a cache folder others can write to is not used
    else:
        folder = tempfile.mkdtemp(prefix="hedgecheck-rule-cache-")
        _TEMPORARY.append(folder)
    os.environ["HEDGECHECK_CACHE_DIR"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _TEMPORARY:
        shutil.rmtree(folder, ignore_errors=True)
