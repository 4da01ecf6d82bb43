"""The rule cache a wheel ships beside its default packs (built by setup.py) is read only
when it is a regular file of the package's owner in the package's packs folder, writable by
no one else, and made from exactly the installed packs; anything else falls back on the
user's cache, with a warning when the file cannot be trusted.

A small pack set stands in for the default packs, in a folder laid out as an installed
package's (``<package>/packs``)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from house_pack import HOUSE_PACK as PACK

import hedgecheck.loader as loader_module
import hedgecheck.rulecache as rulecache_module
from hedgecheck import load_rules
from hedgecheck.rulecache import SHIPPED_CACHE, build_shipped_cache
from hedgecheck.ruleset import RuleSet

pytestmark = pytest.mark.skipif(
    not rulecache_module._PRIVATE_FILES, reason="the rule caches need POSIX owners and O_NOFOLLOW"
)


def _packs(root: Path) -> Path:
    """``root/hedgecheck/packs`` holding the pack, as a package's packs folder."""
    folder = root / "hedgecheck" / "packs"
    folder.mkdir(parents=True)
    (folder / "house.toml").write_text(PACK, encoding="utf-8")
    return folder


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A packs folder with the shipped cache made in it, as in the build folder."""
    folder = _packs(tmp_path / "build")
    assert build_shipped_cache(folder) == folder / SHIPPED_CACHE
    return folder


@pytest.fixture
def installed(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The built packs folder copied to where an install puts it, which is the package's."""
    folder = tmp_path / "site" / "hedgecheck" / "packs"
    shutil.copytree(built, folder)
    monkeypatch.setattr(rulecache_module, "_package_folder", lambda: folder.parent)
    monkeypatch.delenv("HEDGECHECK_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def fresh(installed: Path, monkeypatch: pytest.MonkeyPatch) -> RuleSet:
    with monkeypatch.context() as patch:
        patch.setenv("HEDGECHECK_NO_CACHE", "1")
        return load_rules(installed)


def _read(folder: Path) -> tuple[RuleSet | None, list[str]]:
    notices: list[str] = []
    files = [(path, path.read_bytes()) for path in sorted(folder.glob("*.toml"))]
    return rulecache_module.read_shipped(files, notices, folder=folder), notices


def _refused(folder: Path, problem: str) -> None:
    ruleset, notices = _read(folder)
    assert ruleset is None
    assert len(notices) == 1 and problem in notices[0] and str(folder) in notices[0], notices


def test_the_shipped_cache_is_read_where_installed_and_names_the_installed_packs(
    installed: Path, fresh: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(files: list[Path]) -> RuleSet:
        raise AssertionError("built from the packs, not read from the shipped cache")

    monkeypatch.setattr(loader_module, "built_rules", refuse)
    ruleset, notices = _read(installed)
    assert notices == [] and ruleset is not None
    assert ruleset == fresh  # every rule, its file the installed pack's
    assert {r.file for r in ruleset.rules} == {str(installed / "house.toml")}
    found = ruleset.matcher.find("It perchance is a wonder pill.")
    assert [(m.rule.id, m.rule.file) for m in found] == [
        ("HSE001", str(installed / "house.toml")),
        ("HSE002", str(installed / "house.toml")),
    ]


def test_load_rules_reads_the_shipped_default_packs_and_makes_no_user_cache(
    installed: Path, fresh: RuleSet, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    user_cache = tmp_path / "user-cache"
    monkeypatch.setenv("HEDGECHECK_CACHE_DIR", str(user_cache))
    monkeypatch.setattr(loader_module, "default_rules_path", lambda: installed)
    monkeypatch.setattr(loader_module, "built_rules", None)  # any build would fail
    assert load_rules() == fresh
    assert load_rules(installed) == fresh
    assert not user_cache.exists()


def test_user_packs_beside_the_defaults_use_the_user_cache(
    installed: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    user_cache = tmp_path / "user-cache"
    monkeypatch.setenv("HEDGECHECK_CACHE_DIR", str(user_cache))
    monkeypatch.setattr(loader_module, "default_rules_path", lambda: installed)
    extra = tmp_path / "extra.toml"
    extra.write_text(PACK.replace("HSE", "EXT").replace('"house"', '"extra"'), encoding="utf-8")
    rules = load_rules(extra, include_defaults=True)
    assert [r.id for r in rules.rules] == ["HSE001", "HSE002", "EXT001", "EXT002"]
    assert len(list(user_cache.glob("rules-*.pickle"))) == 1


def test_an_editable_install_has_no_shipped_cache(built: Path) -> None:
    # The packs folder is not inside the package (an editable install reads rules/).
    assert _read(built) == (None, [])


def test_no_cache_turns_the_shipped_cache_off_too(
    installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEDGECHECK_NO_CACHE", "1")
    assert _read(installed) == (None, [])


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace("perchance", "perhaps"),
        lambda text: text + "\n",
        lambda text: text.replace("It works.", "It works!"),
    ],
)
def test_packs_changed_after_the_build_make_it_stale_quietly(
    installed: Path, change: object
) -> None:
    pack = installed / "house.toml"
    pack.write_text(change(pack.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    assert _read(installed) == (None, [])


def test_a_pack_added_or_renamed_after_the_build_makes_it_stale(installed: Path) -> None:
    (installed / "house.toml").rename(installed / "other.toml")
    assert _read(installed) == (None, [])


def test_another_python_or_regex_makes_it_stale(
    installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rulecache_module.regex, "__version__", "0.0.0")
    assert _read(installed) == (None, [])


def test_a_symbolic_link_is_not_followed(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.pickle"
    (installed / SHIPPED_CACHE).rename(elsewhere)
    (installed / SHIPPED_CACHE).symlink_to(elsewhere)
    _refused(installed, "symbolic link")


def test_a_folder_in_its_place_is_not_read(installed: Path) -> None:
    (installed / SHIPPED_CACHE).unlink()
    (installed / SHIPPED_CACHE).mkdir()
    _refused(installed, "not a regular file")


@pytest.mark.parametrize("bits", [stat.S_IWGRP, stat.S_IWOTH])
def test_a_cache_others_can_write_is_not_read(installed: Path, bits: int) -> None:
    path = installed / SHIPPED_CACHE
    path.chmod(stat.S_IMODE(path.stat().st_mode) | bits)
    _refused(installed, "open to group or others")


def test_a_cache_not_owned_like_the_package_is_not_read(
    installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = (installed / SHIPPED_CACHE).stat().st_uid
    monkeypatch.setattr(rulecache_module, "_package_owner", lambda: owner + 1)
    _refused(installed, "not to the owner of hedgecheck's own modules")


@pytest.mark.parametrize("cut", [1, 100, 1000])
def test_a_damaged_cache_is_not_used(installed: Path, cut: int) -> None:
    path = installed / SHIPPED_CACHE
    path.write_bytes(path.read_bytes()[:-cut])
    _refused(installed, "cannot be read")


def test_a_cache_that_lacks_a_rule_of_its_packs_is_not_used(
    installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made, say, by a build step gone wrong: the packs name a rule it does not hold."""
    path = installed / SHIPPED_CACHE
    head = len(rulecache_module._SHIPPED_MAGIC) + rulecache_module._TAG_BYTES
    one = RuleSet(rules=load_rules(installed).rules[:1])
    path.write_bytes(path.read_bytes()[:head] + rulecache_module._payload(one))
    _refused(installed, "lacks rules its packs define (HSE002)")


def test_the_build_writes_a_file_only_its_owner_can_change(built: Path) -> None:
    info = (built / SHIPPED_CACHE).stat()
    assert stat.S_IMODE(info.st_mode) == 0o644
    assert info.st_uid == os.geteuid()
    assert [p.name for p in built.iterdir() if p.name.startswith(".")] == []


def test_reading_the_shipped_cache_imports_no_hashlib_hmac_nor_json(installed: Path) -> None:
    """hashlib loads OpenSSL (and hmac with it), json is for the manifest no more: the
    shipped cache is keyed and read without them; only the user's cache, which is sealed
    with an HMAC, imports hmac."""
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "import hedgecheck.rulecache as rulecache\n"
        "folder = Path(sys.argv[1])\n"
        "rulecache._package_folder = lambda: folder.parent\n"
        "files = [(p, p.read_bytes()) for p in sorted(folder.glob('*.toml'))]\n"
        "notices = []\n"
        "ruleset = rulecache.read_shipped(files, notices, folder=folder)\n"
        "loaded = sorted({'hashlib', 'hmac', 'json'} & set(sys.modules))\n"
        "print(ruleset is not None, notices, loaded)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(installed)], capture_output=True, text=True, check=False
    )
    assert done.stdout.strip() == "True [] []", done.stderr
