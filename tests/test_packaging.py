"""The wheel carries every subpackage: setuptools installs only the packages pyproject lists,
and a package left out works in an editable install and breaks every other one."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _listed() -> set[str]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return set(tomllib.load(handle)["tool"]["setuptools"]["packages"])


def test_every_subpackage_of_hedgecheck_is_listed_for_the_wheel() -> None:
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "hedgecheck").rglob("__init__.py")
    }
    assert {"hedgecheck", "hedgecheck.cli", "hedgecheck.checks"} <= found
    assert found - _listed() == set()


def test_the_listed_packages_exist() -> None:
    missing = {
        name
        for name in _listed() - {"hedgecheck.packs"}  # the rules/ folder, mapped by package-dir
        if not (ROOT / Path(*name.split(".")) / "__init__.py").is_file()
    }
    assert missing == set()
