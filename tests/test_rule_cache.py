"""The rule cache is a pickle, so it is unpickled only when it is this user's own: the
folder, key and cache file owned by the effective user and closed to others, no symbolic
link, and an HMAC-SHA256 under the user's key over the bytes. Anything else is rebuilt from
the packs with a warning; a planted pickle never runs, and no rule goes missing.

Every test points HEDGECHECK_CACHE_DIR at a folder of its own."""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from house_pack import HOUSE_PACK as PACK
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hedgecheck.loader as loader_module
import hedgecheck.matcher as matcher_module
import hedgecheck.rulecache as rulecache_module
from hedgecheck import load_rules
from hedgecheck.cli import main
from hedgecheck.ruleset import RuleSet, shipped_packs

IDS = ["HSE001", "HSE002"]
MAGIC = rulecache_module._CACHE_MAGIC
HEAD = len(MAGIC) + rulecache_module._TAG_BYTES


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's own cache folder (not made yet)."""
    monkeypatch.delenv("HEDGECHECK_NO_CACHE", raising=False)
    monkeypatch.setenv("HEDGECHECK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    path = tmp_path / "house.toml"
    path.write_text(PACK, encoding="utf-8")
    return path


@pytest.fixture
def fresh(pack: Path, monkeypatch: pytest.MonkeyPatch) -> RuleSet:
    """The rules as built from the pack, with no cache."""
    with monkeypatch.context() as patch:
        patch.setenv("HEDGECHECK_NO_CACHE", "1")
        return load_rules(pack)


@pytest.fixture
def cached(folder: Path, pack: Path) -> Path:
    """The pack's cache file, written by a first load."""
    assert load_rules(pack).warnings == ()
    (path,) = folder.glob("rules-*.pickle")
    return path


def _key(folder: Path) -> bytes:
    return (folder / "cache-key").read_bytes()


def _digest(pack: Path) -> bytes:
    keyed = rulecache_module._pack_digest([(pack, pack.read_bytes())])
    assert keyed is not None
    return keyed[0]


def _from_cache_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make building rules from packs fail, so that a load that succeeds came from the cache."""

    def refuse(files: list[tuple[Path, bytes]]) -> RuleSet:
        raise AssertionError("built from the packs, not read from the cache")

    monkeypatch.setattr(loader_module, "built_rules", refuse)


def _rebuilt(pack: Path, fresh: RuleSet, *, notice: str = "") -> RuleSet:
    """Load; the rules must be the pack's, every one of them, with a warning that names
    ``notice``; and the cache written in passing must then be read back quietly."""
    rules = load_rules(pack)
    assert rules == fresh
    assert [r.id for r in rules.rules] == IDS
    assert [m.rule.id for m in rules.matcher.find("It perchance is a wonder pill.")] == IDS
    assert len(rules.warnings) == 1, rules.warnings
    assert "rule cache" in rules.warnings[0] and notice in rules.warnings[0]
    again = load_rules(pack)
    assert again == fresh and again.warnings == ()
    return rules


def _seal(folder: Path, pack: Path, ruleset: object, *, manifest: object = None) -> bytes:
    """Cache bytes sealed with the user's own key, as a holder of the key could make them."""
    listed = manifest if manifest is not None else rulecache_module._manifest(ruleset)  # type: ignore[arg-type]
    text = pickle.dumps(listed)
    body = len(text).to_bytes(4, "big") + text + pickle.dumps(ruleset)
    return MAGIC + rulecache_module._tag(_key(folder), _digest(pack), body) + body


def test_the_first_load_makes_a_private_folder_key_and_cache_and_the_next_reads_it(
    folder: Path, pack: Path, fresh: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_rules(pack)
    assert first == fresh and first.warnings == ()
    (path,) = folder.glob("rules-*.pickle")
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE((folder / "cache-key").stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(_key(folder)) == 32
    assert path.read_bytes().startswith(MAGIC)
    _from_cache_only(monkeypatch)
    second = load_rules(pack)
    assert second == fresh and second.warnings == ()
    assert [m.rule.id for m in second.matcher.find("It perchance is a wonder pill.")] == IDS


def test_a_key_closed_to_the_owner_too_is_fine(
    cached: Path, folder: Path, pack: Path, fresh: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "cache-key").chmod(0o400)
    _from_cache_only(monkeypatch)
    rules = load_rules(pack)
    assert rules == fresh and rules.warnings == ()


class _Payload:
    """A pickle that, once loaded, creates ``marker``: what a planted cache would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, (f"open({str(self.marker)!r}, 'w').close()",))


def _planted(kind: str, payload: bytes, folder: Path, pack: Path) -> bytes:
    body = b"\0\0\0\2{}" + payload
    if kind == "bare pickle":  # the old cache format
        return payload
    if kind == "zero tag":
        return MAGIC + bytes(32) + body
    if kind == "tag under another key":
        return MAGIC + rulecache_module._tag(os.urandom(32), _digest(pack), body) + body
    if kind == "tag for another pack set":  # the user's key, but another set's digest
        return MAGIC + rulecache_module._tag(_key(folder), bytes(32), body) + body
    if kind == "tag without the mark":
        return rulecache_module._tag(_key(folder), _digest(pack), body) + body
    raise AssertionError(kind)


PLANTS = [
    "bare pickle",
    "zero tag",
    "tag under another key",
    "tag for another pack set",
    "tag without the mark",
]


@pytest.mark.parametrize("kind", PLANTS)
def test_a_planted_pickle_never_runs(
    kind: str, cached: Path, folder: Path, pack: Path, fresh: RuleSet, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    cached.write_bytes(_planted(kind, pickle.dumps(_Payload(marker)), folder, pack))
    _rebuilt(pack, fresh, notice=str(cached))
    assert not marker.exists()
    # The payload does run when unpickled: the test would see it.
    pickle.loads(pickle.dumps(_Payload(marker)))
    assert marker.exists()


@pytest.mark.slow
def test_a_planted_pickle_in_the_default_cache_never_runs_and_hype_is_still_found(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The red-team case: the default packs' cache replaced by a pickle that runs a
    command, then a scan of hype text with the command line."""
    marker = tmp_path / "pwned"
    files = sorted(loader_module.default_rules_path().glob("*.toml"))
    keyed = rulecache_module._pack_digest([(f, f.read_bytes()) for f in files])
    assert keyed is not None
    folder.mkdir(mode=0o700)
    cache = folder / f"rules-{keyed[0].hex()[:32]}.pickle"
    cache.write_bytes(pickle.dumps(_Payload(marker)))
    cache.chmod(0o600)
    text = tmp_path / "hype.txt"
    text.write_text("This miracle drug may cure cancer, a breakthrough.\n", encoding="utf-8")
    monkeypatch.setattr(loader_module, "_DEFAULT", None)  # no rules loaded earlier
    result = CliRunner().invoke(main, ["scan", "--fail-on", "warning", str(text)])
    assert not marker.exists()
    assert "HYP001" in result.stdout
    assert result.exit_code == 1, result.output  # the hype finding still gates the run
    assert f"hedgecheck: warning: rule cache {cache}" in result.stderr
    assert cache.read_bytes().startswith(MAGIC)  # replaced by a sealed cache


def _without(ruleset: RuleSet, rule_id: str) -> RuleSet:
    return RuleSet(
        rules=tuple(r for r in ruleset.rules if r.id != rule_id),
        scoring=ruleset.scoring,
        packs=ruleset.packs,
        checks=ruleset.checks,
    )


def test_a_repickled_rule_set_that_drops_a_rule_is_not_used(
    cached: Path, folder: Path, pack: Path, fresh: RuleSet
) -> None:
    data = cached.read_bytes()
    shorter = pickle.dumps(_without(fresh, "HSE002"), protocol=pickle.HIGHEST_PROTOCOL)
    size = int.from_bytes(data[HEAD : HEAD + 4], "big")
    manifest = data[HEAD : HEAD + 4 + size]
    # The pickle swapped under the old tag and manifest: the tag no longer fits.
    cached.write_bytes(data[:HEAD] + manifest + shorter)
    _rebuilt(pack, fresh, notice="integrity")


@pytest.mark.parametrize("what", ["manifest kept", "manifest redone", "matcher only"])
def test_a_sealed_cache_short_of_a_rule_is_not_used(
    what: str, cached: Path, folder: Path, pack: Path, fresh: RuleSet
) -> None:
    """Even under a good tag (a bug, or someone holding the key), a cached rule set that
    lacks a rule its header lists, its matcher matches or its pack's id lines name is
    rebuilt: rules never go missing quietly."""
    shorter = _without(fresh, "HSE002")
    if what == "manifest kept":
        data, notice = (
            _seal(folder, pack, shorter, manifest=rulecache_module._manifest(fresh)),
            "lists",
        )
    elif what == "manifest redone":
        data, notice = _seal(folder, pack, shorter), "lacks rules its packs define (HSE002)"
    else:
        hollow = load_rules(pack)  # all rules listed, but the matcher lost one
        object.__setattr__(
            hollow, "matcher", matcher_module.Matcher(hollow.rules[:1], shipped=shipped_packs())
        )
        data, notice = _seal(folder, pack, hollow), "does not match every rule"
    cached.write_bytes(data)
    _rebuilt(pack, fresh, notice=notice)


def test_a_sealed_cache_of_something_else_is_not_used(
    cached: Path, folder: Path, pack: Path, fresh: RuleSet
) -> None:
    cached.write_bytes(_seal(folder, pack, ["not", "a", "rule set"], manifest={}))
    _rebuilt(pack, fresh, notice="does not hold the rules it lists")


def _cuts(data: bytes) -> list[bytes]:
    return [
        b"",
        data[:1],
        data[: len(MAGIC) - 1],
        data[: len(MAGIC)],
        data[:HEAD],
        data[: HEAD + 3],
        data[: len(data) // 2],
        data[:-1],
        data + b"\0",
    ]


def test_a_cut_short_or_padded_cache_is_rebuilt(cached: Path, pack: Path, fresh: RuleSet) -> None:
    data = cached.read_bytes()
    for cut in _cuts(data):
        cached.write_bytes(cut)
        _rebuilt(pack, fresh, notice=str(cached))
        cached.write_bytes(data)  # the original stays valid: the key did not change
        assert load_rules(pack).warnings == ()


@pytest.mark.parametrize(
    "garbage",
    [
        b"not a pickle",
        b"\x80\x05N.",  # a valid pickle of None
        bytes(range(256)) * 64,
        MAGIC,
        MAGIC + os.urandom(2000),
        b"\xff" * 100_000,
    ],
)
def test_garbage_in_the_cache_is_rebuilt(
    garbage: bytes, cached: Path, pack: Path, fresh: RuleSet
) -> None:
    cached.write_bytes(garbage)
    _rebuilt(pack, fresh, notice=str(cached))


needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="giving a file to another user (os.chown) needs root",
)


@needs_root
def test_a_cache_file_owned_by_another_user_is_not_used(
    cached: Path, pack: Path, fresh: RuleSet
) -> None:
    os.chown(cached, 4242, -1)
    _rebuilt(pack, fresh, notice="belongs to uid 4242")
    assert cached.stat().st_uid == os.geteuid()


@needs_root
def test_a_cache_folder_owned_by_another_user_is_off(
    cached: Path, folder: Path, pack: Path, fresh: RuleSet
) -> None:
    data = cached.read_bytes()
    os.chown(folder, 4242, -1)
    for _ in range(2):  # said on every load, and nothing is read or written there
        rules = load_rules(pack)
        assert rules == fresh
        assert len(rules.warnings) == 1 and "belongs to uid 4242" in rules.warnings[0]
        assert "rule cache folder" in rules.warnings[0]
    assert cached.read_bytes() == data


@needs_root
def test_a_key_owned_by_another_user_is_replaced(
    cached: Path, folder: Path, pack: Path, fresh: RuleSet
) -> None:
    old = _key(folder)
    os.chown(folder / "cache-key", 4242, -1)
    _rebuilt(pack, fresh, notice="belongs to uid 4242")
    assert (folder / "cache-key").stat().st_uid == os.geteuid()
    assert _key(folder) != old


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o622, 0o666, 0o777])
def test_a_cache_file_others_can_write_is_not_used(
    mode: int, cached: Path, pack: Path, fresh: RuleSet
) -> None:
    cached.chmod(mode)
    _rebuilt(pack, fresh, notice=f"mode {mode:04o}")
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o720, 0o702, 0o770, 0o777, 0o1777, 0o2770])
def test_a_cache_folder_others_can_write_is_off(
    mode: int, cached: Path, folder: Path, pack: Path, fresh: RuleSet, tmp_path: Path
) -> None:
    data = cached.read_bytes()
    folder.chmod(mode)
    marker = tmp_path / "pwned"
    cached.write_bytes(pickle.dumps(_Payload(marker)))  # planted: never even opened
    rules = load_rules(pack)
    assert rules == fresh and not marker.exists()
    assert len(rules.warnings) == 1
    assert f"rule cache folder {folder}" in rules.warnings[0] and "chmod 700" in rules.warnings[0]
    assert cached.read_bytes() != data  # not rewritten either
    folder.chmod(0o700)
    _rebuilt(pack, fresh, notice=str(cached))


def test_a_symbolic_link_as_the_cache_is_not_followed(
    cached: Path, pack: Path, fresh: RuleSet, tmp_path: Path
) -> None:
    # Even a link to a valid copy of the cache: whoever can place a link can aim it anywhere.
    copy = tmp_path / "elsewhere.pickle"
    original = cached.read_bytes()
    copy.write_bytes(original)
    copy.chmod(0o600)
    for target in (copy, tmp_path / "missing", Path("/dev/zero")):
        cached.unlink()
        cached.symlink_to(target)
        _rebuilt(pack, fresh, notice="is a symbolic link")
        assert not cached.is_symlink()
    assert copy.read_bytes() == original  # the link's target is left alone


def test_a_cache_that_is_no_regular_file_is_not_used(
    cached: Path, pack: Path, fresh: RuleSet
) -> None:
    cached.unlink()
    os.mkfifo(cached, 0o600)  # opening it must not wait for a writer
    _rebuilt(pack, fresh, notice="not a regular file")
    cached.unlink()
    cached.mkdir(mode=0o700)
    rules = load_rules(pack)  # a folder cannot be replaced by the new cache: said each time
    assert rules == fresh and "not a regular file" in rules.warnings[0]


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o660, 0o601, 0o610])
def test_a_key_others_can_read_or_write_is_replaced(
    mode: int, cached: Path, folder: Path, pack: Path, fresh: RuleSet
) -> None:
    key = folder / "cache-key"
    old = key.read_bytes()
    key.chmod(mode)
    rules = _rebuilt(pack, fresh, notice=f"mode {mode:04o}")
    assert "new key" in rules.warnings[0]
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.read_bytes() != old


@pytest.mark.parametrize("content", [b"", b"k" * 31, b"k" * 33, b"k" * 4096])
def test_a_key_of_the_wrong_size_is_replaced(
    content: bytes, cached: Path, folder: Path, pack: Path, fresh: RuleSet
) -> None:
    (folder / "cache-key").write_bytes(content)
    _rebuilt(pack, fresh, notice="32-byte key")
    assert len(_key(folder)) == 32


def test_a_symbolic_link_as_the_key_is_replaced(
    cached: Path, folder: Path, pack: Path, fresh: RuleSet, tmp_path: Path
) -> None:
    key = folder / "cache-key"
    elsewhere = tmp_path / "key-elsewhere"
    elsewhere.write_bytes(key.read_bytes())  # the right key, but behind a link
    elsewhere.chmod(0o600)
    key.unlink()
    key.symlink_to(elsewhere)
    _rebuilt(pack, fresh, notice="is a symbolic link")
    assert not key.is_symlink() and elsewhere.read_bytes() != key.read_bytes()


def test_a_cache_whose_key_is_gone_is_rebuilt_and_older_caches_dropped(
    cached: Path, folder: Path, pack: Path, fresh: RuleSet, tmp_path: Path
) -> None:
    other = tmp_path / "other.toml"
    other.write_text(PACK.replace("HSE", "OTH"), encoding="utf-8")
    load_rules(other)
    assert len(list(folder.glob("rules-*.pickle"))) == 2
    (folder / "cache-key").unlink()
    _rebuilt(pack, fresh, notice="cannot be checked")
    # The other pack set's cache, sealed with the lost key, went with it.
    assert list(folder.glob("rules-*.pickle")) == [cached]


def test_two_processes_making_the_key_at_once_share_the_first(
    folder: Path, pack: Path, fresh: RuleSet
) -> None:
    notices: list[str] = []
    packs = [(pack, pack.read_bytes())]
    first = rulecache_module.RuleCache.open(packs, notices)
    second = rulecache_module.RuleCache.open(packs, notices)
    assert first is not None and second is not None
    try:
        assert first.read(notices) is None and second.read(notices) is None  # no cache yet
        assert first.key(notices, create=False) is None  # both look: no key yet
        assert second.key(notices, create=False) is None
        first.write(fresh, notices)
        key = _key(folder)
        second.write(fresh, notices)  # makes a key too, but the first one is in place
        assert _key(folder) == key and second.key(notices, create=False) == key
        assert notices == []
    finally:
        first.close()
        second.close()
    assert load_rules(pack).warnings == ()


def test_without_owner_checks_there_is_no_cache(
    folder: Path, pack: Path, fresh: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rulecache_module, "_PRIVATE_FILES", False)
    assert load_rules(pack) == fresh
    assert not folder.exists()


# Mutations of a valid cache file: a bit flipped, a byte run replaced, a cut, or bytes of
# its own.
_MUTATIONS = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 2**31), st.integers(0, 7)),
    st.tuples(st.just("splice"), st.integers(0, 2**31), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("cut"), st.integers(0, 2**31), st.just(b"")),
    st.tuples(st.just("bytes"), st.just(0), st.binary(max_size=256)),
)


def _mutated(data: bytes, mutation: tuple[str, int, object]) -> bytes:
    kind, where, what = mutation
    at = where % len(data)
    if kind == "flip":
        return data[:at] + bytes([data[at] ^ (1 << what)]) + data[at + 1 :]  # type: ignore[operator]
    if kind == "splice":
        return data[:at] + what + data[at + len(what) :]  # type: ignore[operator]
    if kind == "cut":
        return data[:at]
    return what  # type: ignore[return-value]


@pytest.mark.slow
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(mutation=_MUTATIONS)
def test_a_changed_cache_never_loads_other_rules_than_a_fresh_build(
    cached: Path, pack: Path, fresh: RuleSet, mutation: tuple[str, int, object]
) -> None:
    data = cached.read_bytes()  # valid: the last example's load wrote it afresh
    changed = _mutated(data, mutation)
    cached.write_bytes(changed)
    rules = load_rules(pack)
    assert rules == fresh
    assert [m.rule.id for m in rules.matcher.find("It perchance is a wonder pill.")] == IDS
    assert (rules.warnings == ()) == (changed == data)
