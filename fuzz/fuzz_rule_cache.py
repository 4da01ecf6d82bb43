"""Coverage-guided fuzzing of the rule-cache reader with atheris.

A private cache folder in a temporary folder holds a valid cache of a two-rule pack (the
tests' ``HOUSE_PACK``). Each input becomes the cache file: its bytes as they are, or (when
the first byte is odd) the valid cache with the rest of the input laid over it from an
offset the input gives, so that the fuzzer works near valid files too. Then ``load_rules``
must give the rules a fresh build gives, every one of them, never raise, never let a pickle
run (a planted payload would create a marker file), and warn exactly when the bytes are not
the valid cache's. See fuzz/README.md.

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_rule_cache.py -max_total_time=120 -max_len=4096
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

with atheris.instrument_imports():
    from house_pack import HOUSE_PACK as PACK

    from hedgecheck.loader import load_rules

ROOT = Path(tempfile.mkdtemp(prefix="hedgecheck-fuzz-cache-"))
MARKER = ROOT / "pwned"
PACK_FILE = ROOT / "house.toml"
PACK_FILE.write_text(PACK, encoding="utf-8")
os.environ["HEDGECHECK_NO_CACHE"] = "1"
FRESH = load_rules(PACK_FILE)
del os.environ["HEDGECHECK_NO_CACHE"]
os.environ["HEDGECHECK_CACHE_DIR"] = str(ROOT / "cache")
assert load_rules(PACK_FILE).warnings == ()
(CACHE,) = (ROOT / "cache").glob("rules-*.pickle")
VALID = CACHE.read_bytes()
TEXT = "It perchance is a wonder pill."


def _cache_bytes(data: bytes) -> bytes:
    if not data or not data[0] & 1:
        return data[1:]
    offset = int.from_bytes(data[1:4].ljust(3, b"\0"), "big") % len(VALID)
    patch = data[4:]
    return VALID[:offset] + patch + VALID[offset + len(patch) :]


def test_one_input(data: bytes) -> None:
    written = _cache_bytes(data)
    CACHE.write_bytes(written)
    rules = load_rules(PACK_FILE)
    assert not MARKER.exists(), "a cached pickle ran"
    assert rules == FRESH
    assert [m.rule.id for m in rules.matcher.find(TEXT)] == ["HSE001", "HSE002"]
    assert bool(rules.warnings) == (written != VALID), rules.warnings
    # The load wrote a fresh sealed cache when it warned; put the known one back.
    CACHE.write_bytes(VALID)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
