"""The real server (``hedgecheck serve`` in its own process, on uvicorn): many requests at
once each get their own draft's report, and a house rule that backtracks without end is
switched off within the request, named in its report, while the server goes on answering."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("uvicorn", reason="needs the serve extra: pip install 'hedgecheck[serve]'")
httpx = pytest.importorskip(
    "httpx", reason="needs the serve extra: pip install 'hedgecheck[serve]'"
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import serve_load  # noqa: E402
from house_pack import write_pack  # noqa: E402

pytestmark = pytest.mark.slow


def test_forty_requests_eight_at_a_time_are_each_answered_with_their_own_report() -> None:
    with serve_load.server() as base:
        outcomes = serve_load.load(base, requests=40, concurrency=8)
    assert [o.problem for o in outcomes if not o.correct] == []
    assert len(outcomes) == 40


def test_a_catastrophic_house_rule_is_switched_off_within_each_request(
    pytestconfig: pytest.Config, tmp_path: Path
) -> None:
    # In pytest's cache folder when there is one: the same path each run, so the server
    # reads the rule cache of the default packs with this one instead of building it.
    cache = getattr(pytestconfig, "cache", None)
    folder = cache.mkdir("serve-house-pack") if cache is not None else tmp_path
    pack = write_pack(folder / "house.toml", r"(?:a|aa)+b")
    text = "The drug may help. " + "a" * 60 + ". It could work."
    answers: list[tuple[float, Any]] = []

    def slow_request(base: str) -> None:
        started = time.monotonic()
        answer = httpx.post(f"{base}/api/check", json={"text": text}, timeout=120)
        answers.append((time.monotonic() - started, answer))

    with serve_load.server("--rules", str(pack)) as base:
        for _ in range(2):  # each request has its own budget: the rule is tried again
            request = threading.Thread(target=slow_request, args=(base,))
            request.start()
            listed = 0
            while request.is_alive():  # the event loop answers while the check runs
                assert httpx.get(f"{base}/api/rules", timeout=30).status_code == 200
                listed += 1
                time.sleep(0.05)
            request.join()
            assert listed
    for seconds, answer in answers:
        assert seconds < 60
        assert answer.status_code == 200
        report = answer.json()
        assert any("rule 'HSE001'" in e and "timeout" in e for e in report["errors"])
        cues = {cue["text"] for claim in report["claims"] for cue in claim["cues"]}
        assert {"may", "could"} <= cues
