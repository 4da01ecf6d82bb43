"""The rule caches: a set of packs validated and compiled once, read back pickled.

Validating the packs and working out which characters each of ~800 patterns can open with
takes most of a short run's time. The result (rules, opening tables, and each pattern
compiled) is pickled in the user's cache folder, keyed by a hash of every pack file's path
and bytes, the source of the rule engine's modules, and the Python and regex versions; any
change to those makes a new key. HEDGECHECK_CACHE_DIR moves the folder, HEDGECHECK_NO_CACHE=1
turns the cache off. Nothing is ever written beside the packs or the scanned files, and a
cache that cannot be written is ignored.

Unpickling runs whatever code the bytes name, so a cache is unpickled only once it is
known to be this user's own writing: the folder, the key file and the cache file belong
to the effective user; the folder and the cache are writable by no one else and the key
readable by no one else; neither file is a symbolic link (each is opened with O_NOFOLLOW
relative to the open folder, and checked by fstat on what was opened); and the cache's
bytes carry an HMAC-SHA256, under a random key of the user's, over the pack set's hash
and the bytes themselves. After unpickling, the rule set must hold every rule its header
lists (and the packs' id lines name). Whatever fails, the rules are built from the packs,
with a warning. A format without code was measured and not taken: the patterns would
have to be compiled again, about 0.6 s of a short run's patterns against 10 ms to
unpickle them (regex keeps no compiled form outside a pickle, and its compiled code
given from a file would need the same protection).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import sys
from pathlib import Path
from typing import BinaryIO

import regex

from hedgecheck.errors import RuleError
from hedgecheck.patterns import compiled
from hedgecheck.ruleset import RuleSet, default_rules_path
from hedgecheck.tomlfile import read_toml_bytes
from hedgecheck.trust import PRIVATE_FILES as _PRIVATE_FILES
from hedgecheck.trust import SHARED_ANY as _SHARED_ANY
from hedgecheck.trust import SHARED_WRITE as _SHARED_WRITE
from hedgecheck.trust import Untrusted as _Untrusted
from hedgecheck.trust import check_private as _check_private
from hedgecheck.trust import open_regular as _open_regular

try:
    # BLAKE2b from the module hashlib itself takes it from: importing hashlib loads OpenSSL
    # (about 4 ms of a one-file scan, which reads the shipped cache and needs no HMAC).
    from _blake2 import blake2b as _blake2b
except ImportError:  # a Python that does not build it apart
    from hashlib import blake2b as _blake2b

_CACHE_MAGIC = b"hedgecheck rule cache 5\n"
_TAG_BYTES = 32  # an HMAC-SHA256, and the pack set's key (a 32-byte BLAKE2b)
_KEY_FILE = "cache-key"
_KEY_BYTES = 32
# An id line of a pack as packs write them (id = "HDG001"), after a line feed: the ids a
# cached rule set must hold, read off the pack bytes hashed for the key (an id in an inline
# table is not seen). The standard re module finds them ten times faster than regex here.
_ID_LINE = re.compile(rb"""\n[ \t]*id[ \t]*=[ \t]*["']([A-Z]{2,5}[0-9]{3})["']""")
_REBUILT = "not used; the rules were built from the packs"
# The modules whose code builds, pickles or reads a cached rule set: a change to any of them
# makes a new key (a pickle names their classes and holds their tables).
_ENGINE_MODULES = (
    "schema",
    "packfile",
    "patternsafety",
    "openings",
    "overlaps",
    "cuewalk",
    "matcher",
    "anywhere",
    "literals",
    "ruleset",
    "loader",
    "rulecache",
    "lexicon",
    "rewrites",
)


def _cache_folder() -> Path | None:
    if os.environ.get("HEDGECHECK_NO_CACHE") or not _PRIVATE_FILES:
        return None
    chosen = os.environ.get("HEDGECHECK_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "hedgecheck"
    try:
        return Path.home() / ".cache" / "hedgecheck"
    except RuntimeError:  # no home folder
        return None


class RuleCache:
    """The cache folder, open and checked private to this user, and the cache of one set of
    pack files in it."""

    def __init__(self, folder: Path, descriptor: int, digest: bytes, ids: frozenset[str]):
        self.folder = folder
        self.descriptor = descriptor  # every file is opened relative to it
        self.digest = digest
        self.name = f"rules-{digest.hex()[:32]}.pickle"
        self.ids = ids
        self._key: bytes | None = None
        self._key_state = ""  # "", then "read", "missing" or "untrusted"

    @classmethod
    def open(cls, files: list[tuple[Path, bytes]], notices: list[str]) -> RuleCache | None:
        """The cache for ``files``, its folder made (0700) if need be; None when the cache
        is off, or its folder cannot be made or trusted (which ``notices`` tells)."""
        folder = _cache_folder()
        keyed = _pack_digest(files) if folder is not None else None
        if folder is None or keyed is None:
            return None
        with contextlib.suppress(OSError):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return None  # no folder, and none can be made: no cache this time
        try:
            _check_private(os.fstat(descriptor), _SHARED_WRITE)
        except _Untrusted as exc:
            os.close(descriptor)
            notices.append(
                f"rule cache folder {folder} {exc}, so the rule cache is off (make it "
                "private with chmod 700, or set HEDGECHECK_CACHE_DIR to a folder of your own)"
            )
            return None
        return cls(folder, descriptor, *keyed)

    def close(self) -> None:
        os.close(self.descriptor)

    def read(self, notices: list[str]) -> RuleSet | None:
        """The cached rule set, or None when there is none yet or it cannot be trusted
        (``notices`` says why)."""
        where = self.folder / self.name
        try:
            with self._open(self.name, _SHARED_WRITE) as handle:
                data = handle.read()
                os.utime(handle.fileno())  # used now: pruning keeps the caches in use
        except FileNotFoundError:
            return None  # not cached yet
        except _Untrusted as exc:
            notices.append(f"rule cache {where} {exc}: {_REBUILT}")
            return None
        except OSError:
            return None
        key = self.key(notices, create=False)
        if key is None:
            if self._key_state == "missing":
                notices.append(
                    f"rule cache {where} cannot be checked, its key "
                    f"{self.folder / _KEY_FILE} being gone: {_REBUILT}"
                )
            return None
        ruleset, problem = _unsealed(data, key, self.digest, self.ids)
        if problem:
            notices.append(f"rule cache {where} {problem}: {_REBUILT}")
        return ruleset

    def write(self, ruleset: RuleSet, notices: list[str]) -> None:
        """``ruleset`` sealed into the cache (written aside and renamed into place); a
        cache that cannot be written only costs the next run its load time."""
        key = self.key(notices, create=True)
        if key is None:
            return
        import secrets  # only to write: a warm start never needs it

        temporary = f".rules-{secrets.token_hex(8)}"
        try:
            data = _sealed(ruleset, key, self.digest)
            self._write_new(temporary, data)
            os.replace(temporary, self.name, src_dir_fd=self.descriptor, dst_dir_fd=self.descriptor)
        except (OSError, pickle.PicklingError, RecursionError):
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=self.descriptor)
            return
        self._prune()

    def key(self, notices: list[str], *, create: bool) -> bytes | None:
        """This user's cache key; with ``create``, a new one when there is none or the one
        there is not to be trusted."""
        if not self._key_state:
            self._key = self._read_key(notices)
        if self._key is None and create:
            self._key = self._new_key()
        return self._key

    def _read_key(self, notices: list[str]) -> bytes | None:
        where = self.folder / _KEY_FILE
        self._key_state = "read"
        try:
            with self._open(_KEY_FILE, _SHARED_ANY) as handle:
                key = handle.read(_KEY_BYTES + 1)
            if len(key) != _KEY_BYTES:
                raise _Untrusted(f"does not hold a {_KEY_BYTES}-byte key")
            return key
        except FileNotFoundError:
            self._key_state = "missing"
        except _Untrusted as exc:
            self._key_state = "untrusted"
            notices.append(
                f"rule cache key {where} {exc}: the caches are {_REBUILT}, and a new key "
                "replaces it"
            )
        except OSError:
            self._key_state = "untrusted"
        return None

    def _new_key(self) -> bytes | None:
        """A new random key, linked into place so that of two processes making one at once
        both use the first; the caches made with no key or an untrusted one are deleted."""
        import secrets

        key = secrets.token_bytes(_KEY_BYTES)
        temporary = f".key-{secrets.token_hex(8)}"
        folder = self.descriptor
        try:
            self._write_new(temporary, key)
            if self._key_state == "untrusted":
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(_KEY_FILE, dir_fd=folder)
            os.link(temporary, _KEY_FILE, src_dir_fd=folder, dst_dir_fd=folder)
        except FileExistsError:
            self._key_state = ""
            return self.key([], create=False)
        except OSError:
            return None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=folder)
        self._prune(keep=0)
        return key

    def _open(self, name: str, shared: int) -> BinaryIO:
        """``name`` in the folder opened for reading: never through a symbolic link, and
        only a regular file of this user's (else ``_Untrusted``)."""
        return _open_regular(self.descriptor, name, shared)

    def _write_new(self, name: str, data: bytes) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        descriptor = os.open(name, flags, 0o600, dir_fd=self.descriptor)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)

    def _prune(self, *, keep: int | None = None) -> None:
        """Drop all but the ``_CACHES_KEPT`` most recently used rule caches, so the folder
        does not grow with every set of packs ever loaded (each cache holds every pattern
        compiled)."""
        kept = _CACHES_KEPT if keep is None else keep
        folder = self.descriptor
        try:
            names = [n for n in os.listdir(folder) if _CACHE_NAME.fullmatch(n)]
            used = sorted(
                names,
                key=lambda n: os.stat(n, dir_fd=folder, follow_symlinks=False).st_mtime,
                reverse=True,
            )
            for stale in used[kept:]:
                os.unlink(stale, dir_fd=folder)
        except OSError:
            pass  # another process pruned first


# Rule caches kept: one per set of pack files in use (the default packs, a house style,
# the packs a test suite writes), the least recently used going first.
_CACHES_KEPT = 16
_CACHE_NAME = compiled(r"rules-[0-9a-f]{32}\.pickle")


def _pack_digest(
    files: list[tuple[Path, bytes]], *, by_name: bool = False
) -> tuple[bytes, frozenset[str]] | None:
    """The cache key of a set of pack files (each path with its bytes), and the ids their
    id lines name. ``by_name`` keys each file by its name instead of its path: the shipped
    cache is made in the build folder and read where the wheel was installed."""
    digest = _blake2b(digest_size=_TAG_BYTES)
    ids: set[str] = set()
    try:
        for module in _ENGINE_MODULES:
            digest.update(Path(__file__).with_name(f"{module}.py").read_bytes())
    except OSError:
        return None  # the engine cannot be read, so no key can be trusted: no cache
    for path, data in files:
        digest.update(f"\0{path.name if by_name else path}\0{len(data)}\0".encode())
        digest.update(data)
        ids.update(m.decode() for m in _ID_LINE.findall(b"\n" + data))
    digest.update(f"{sys.version}\0{regex.__version__}".encode())
    return digest.digest(), frozenset(ids)


def _sealed(ruleset: RuleSet, key: bytes, digest: bytes) -> bytes:
    """The cache file's bytes: a mark, the tag, and the manifest and pickle it covers."""
    body = _payload(ruleset)
    return _CACHE_MAGIC + _tag(key, digest, body) + body


def _payload(ruleset: RuleSet) -> bytes:
    """The manifest (pickled, its length first) and the pickle of ``ruleset``. The manifest
    is no JSON: a scan that reads the cache would import json for it alone (some 3 ms)."""
    manifest = pickle.dumps(_manifest(ruleset), protocol=pickle.HIGHEST_PROTOCOL)
    body = len(manifest).to_bytes(4, "big") + manifest
    _share_equal_sets(ruleset)
    return body + pickle.dumps(ruleset, protocol=pickle.HIGHEST_PROTOCOL)


def _share_equal_sets(ruleset: RuleSet) -> None:
    """Equal sets of the matchers' three-character tables made one object, in place (they
    are frozen, so no reader can tell), so that the pickle holds each once: the default
    packs' tables hold some 5,000 sets of about 100 distinct ones, and unpickling each
    anew took 4 ms of a one-file scan."""
    shared: dict[frozenset[str], frozenset[str]] = {}
    for matcher in (ruleset.matcher, ruleset.overlay, ruleset.methods):
        for tier in matcher.tiers():
            for table in tier._third_characters.values():
                for opening, thirds in (table or {}).items():
                    if thirds is not None:
                        table[opening] = shared.setdefault(thirds, thirds)


def _tag(key: bytes, digest: bytes, body: bytes | memoryview) -> bytes:
    """HMAC-SHA256 over the format mark, the pack set's key (so a cache cannot pass for
    another pack set's) and the body. hmac is imported here, by the user's cache alone:
    it loads OpenSSL, which reading the shipped cache never needs."""
    import hashlib
    import hmac

    mac = hmac.new(key, _CACHE_MAGIC, hashlib.sha256)
    mac.update(digest)
    mac.update(body)
    return mac.digest()


def _unsealed(
    data: bytes, key: bytes, digest: bytes, ids: frozenset[str]
) -> tuple[RuleSet | None, str | None]:
    """The rule set in a cache file's bytes, or None and what is wrong with them. Nothing
    is unpickled before the tag is checked."""
    head = len(_CACHE_MAGIC) + _TAG_BYTES
    if not data.startswith(_CACHE_MAGIC) or len(data) < head + 4:
        return None, "is not a rule cache of this version (or is cut short)"
    import hmac

    view = memoryview(data)
    body = view[head:]
    if not hmac.compare_digest(view[len(_CACHE_MAGIC) : head], _tag(key, digest, body)):
        return None, (
            "fails its integrity check (changed, cut short, or not written by hedgecheck "
            "with this user's key)"
        )
    return _unpickled(body, ids)


def _unpickled(body: memoryview, ids: frozenset[str]) -> tuple[RuleSet | None, str | None]:
    """The rule set in a trusted payload, or None and what is wrong with it: it must hold
    every rule its manifest lists and its packs' id lines name."""
    size = int.from_bytes(body[:4], "big")
    try:
        manifest = pickle.loads(body[4 : 4 + size])
        ruleset = pickle.loads(body[4 + size :])
    except Exception:  # a sealed cache that still cannot be read: rebuild
        return None, "cannot be read"
    if not isinstance(ruleset, RuleSet) or _manifest(ruleset) != manifest:
        return None, "does not hold the rules it lists"
    if set(manifest["matched"]) != set(manifest["rules"]):
        return None, "does not match every rule it holds"
    missing = ids - {r.id for r in ruleset.rules} - {c.id for c in ruleset.checks}
    missing -= {e.id for e in (*ruleset.lexicon.entries, *ruleset.lexicon.replaced)}
    if missing:
        return None, f"lacks rules its packs define ({', '.join(sorted(missing)[:5])})"
    return ruleset, None


def _manifest(ruleset: RuleSet) -> dict[str, list[str]]:
    """What a cached rule set holds: its rules, checks and packs, and the rules its
    matchers match (each rule has a pattern, so every one of them)."""
    matched = {r.id for m in ruleset.matchers for r in m.rules()}
    return {
        "rules": [r.id for r in ruleset.rules],
        "checks": [c.id for c in ruleset.checks],
        "packs": list(ruleset.packs),
        "matched": sorted(matched),
    }


# -- the shipped cache ------------------------------------------------------------------
#
# A wheel carries the default packs compiled (setup.py runs build_shipped_cache when the
# wheel is built), so that the first run after an install reads them as fast as later ones.
# The file is part of the installed package and as trusted as its code, so it carries no
# HMAC; it is unpickled only when it is a regular file (no symbolic link) in the package's
# packs folder, owned by the owner of this module and writable by no one else, and made from
# packs with exactly the installed packs' names and bytes, the rule engine's source and this
# Python and regex (its key, first in the file). Anything else falls back on the user's
# cache: an editable install (its packs are the source tree's rules/ folder), packs edited
# after the install, another regex.

SHIPPED_CACHE = "rules.pickle"
_SHIPPED_MAGIC = b"hedgecheck shipped rule cache 4\n"


def read_shipped(
    files: list[tuple[Path, bytes]], notices: list[str], *, folder: Path
) -> RuleSet | None:
    """The packs ``files`` of ``folder`` (the default packs) as compiled when the wheel was
    built, or None when there is no such file, it is off or stale, or cannot be trusted
    (which ``notices`` tells)."""
    if os.environ.get("HEDGECHECK_NO_CACHE") or not _PRIVATE_FILES:
        return None
    if folder.parent != _package_folder():
        return None  # not an installed wheel's packs (an editable install's, say)
    where = folder / SHIPPED_CACHE
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            owner = _package_owner()
            with _open_regular(descriptor, SHIPPED_CACHE, _SHARED_WRITE, owner=owner) as handle:
                data = handle.read()
        finally:
            os.close(descriptor)
    except _Untrusted as exc:
        notices.append(f"shipped rule cache {where} {exc}: not used")
        return None
    except OSError:
        return None  # none shipped (a wheel built without it), or unreadable
    keyed = _pack_digest(files, by_name=True)
    head = len(_SHIPPED_MAGIC) + _TAG_BYTES
    if (
        keyed is None
        or not data.startswith(_SHIPPED_MAGIC)
        or data[len(_SHIPPED_MAGIC) : head] != keyed[0]
    ):
        return None  # made for other packs, another Python or another regex
    ruleset, problem = _unpickled(memoryview(data)[head:], keyed[1])
    if ruleset is None:
        notices.append(f"shipped rule cache {where} {problem}: not used")
        return None
    return _relocated(ruleset, folder)


def _package_folder() -> Path:
    return Path(__file__).parent


def _package_owner() -> int:
    """The owner of the package's own modules, who alone may have written its cache."""
    return os.stat(__file__).st_uid


def _relocated(ruleset: RuleSet, folder: Path) -> RuleSet:
    """``ruleset`` with each rule's, check's and lexicon entry's file in ``folder``: the
    shipped cache was made from the packs in the build folder. Done in place, before any
    rule is hashed, on the objects the matchers share."""
    # By file name, a path built once per pack: building one per rule with pathlib took a
    # fifth of the time to load the shipped cache.
    moved: dict[str, str] = {}
    for item in (*ruleset.rules, *ruleset.checks, *ruleset.lexicon.entries):
        if item.file not in moved:
            moved[item.file] = str(folder / Path(item.file).name)
        object.__setattr__(item, "file", moved[item.file])
    return ruleset


def build_shipped_cache(folder: Path | None = None) -> Path:
    """Compile the packs of ``folder`` (by default this not yet installed package's
    default packs) into the cache file beside them, as a wheel ships it; run by setup.py
    when a wheel is built."""
    folder = folder or default_rules_path()
    files = [(path, read_toml_bytes(path)) for path in sorted(folder.glob("*.toml"))]
    keyed = _pack_digest(files, by_name=True)
    if keyed is None:
        raise RuleError("cannot read the default packs", path=str(folder))
    from hedgecheck.loader import compiled_rules  # which loads through this module

    data = _SHIPPED_MAGIC + keyed[0] + _payload(compiled_rules(files))
    target = folder / SHIPPED_CACHE
    import secrets

    temporary = target.with_name(f".{SHIPPED_CACHE}-{secrets.token_hex(8)}")
    temporary.write_bytes(data)
    temporary.chmod(0o644)
    temporary.replace(target)
    return target
