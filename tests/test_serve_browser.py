"""The page in a real browser: Debian's headless Chromium, driven by Selenium through
``chromedriver`` (the ``chromium-driver`` package; ``.ci/run`` installs both), against the
real server. The reference article pasted into the draft shows its report, with the
headline claim's label and the findings; an edit updates it; a chosen file is checked too;
an answer to an older draft that comes late never replaces the newer one's.
Skipped, with the reason, where no browser or driver is installed."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import hedgecheck

pytest.importorskip("uvicorn", reason="needs the serve extra: pip install 'hedgecheck[serve]'")
pytest.importorskip("selenium", reason="needs selenium (the dev extra)")

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import serve_load
from house_pack import write_pack

ROOT = Path(__file__).resolve().parent.parent
KETAMINE = ROOT / "examples" / "ketamine"


def _found(*names: str) -> str | None:
    for name in names:
        path = shutil.which(name) or (
            f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None
        )
        if path:
            return path
    return None


BROWSER = _found("chromium", "chromium-browser")
DRIVER = _found("chromedriver")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(BROWSER is None, reason="no chromium on PATH or at /usr/bin/chromium"),
    pytest.mark.skipif(
        DRIVER is None, reason="no chromedriver (Debian: apt-get install chromium-driver)"
    ),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(BROWSER)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.add_argument("--window-size=1400,1000")
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def page(browser: Any) -> Iterator[Any]:
    with serve_load.server() as base:
        browser.get(f"{base}/")
        _wait(browser, lambda d: d.execute_script("return document.body.dataset.ready") == "1")
        yield browser


def _wait(driver: Any, condition: Any, seconds: float = 90) -> Any:
    return WebDriverWait(driver, seconds, poll_frequency=0.1).until(condition)


def _checked(driver: Any) -> str | None:
    return driver.execute_script("return document.body.dataset.checked || null")


def _report(driver: Any, after: str | None = None) -> dict[str, Any]:
    """What the report frame shows once the check after ``after`` is in."""
    _wait(driver, lambda d: _checked(d) not in (None, after))
    status = driver.find_element(By.ID, "status").text
    driver.switch_to.frame(driver.find_element(By.ID, "report"))
    try:
        _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "section.file .article"))
        headline = driver.find_element(By.CSS_SELECTOR, "p.headline .claim")
        article = driver.find_element(By.CSS_SELECTOR, ".article-label .badge").text
        findings = [f.text for f in driver.find_elements(By.CSS_SELECTOR, ".article .finding")]
        return {
            "status": status,
            "headline": headline.get_attribute("data-label"),
            "headline text": headline.text,
            "article": article,
            "findings": findings,
        }
    finally:
        driver.switch_to.default_content()


def test_a_pasted_article_shows_its_report_and_an_edit_updates_it(page: Any) -> None:
    text = KETAMINE.joinpath("ketamine-article.txt").read_text(encoding="utf-8").rstrip("\n")
    want = hedgecheck.check(text)
    headline = next(c for c in want.claims if c.headline)
    draft = page.find_element(By.ID, "draft")
    # Pasted: the text lands in the box at once, then one keystroke as the editor goes on.
    page.execute_script("arguments[0].value = arguments[1];", draft, text[:-1])
    draft.send_keys(text[-1])
    shown = _report(page)
    assert shown["headline"] == headline.label.value
    assert shown["headline text"].startswith(headline.text[:30])
    assert shown["article"] == want.label.value  # type: ignore[union-attr]
    assert len(shown["findings"]) == len(want.findings) > 0
    assert want.findings[0].code in shown["findings"][0]
    assert f"article {want.label.value}" in shown["status"]  # type: ignore[union-attr]

    before = _checked(page)
    draft.send_keys("\n\nExperts say it is a miracle cure.")
    edited = _report(page, after=before)
    assert len(edited["findings"]) > len(shown["findings"])
    assert any("HYP" in finding for finding in edited["findings"])


def test_a_chosen_markdown_file_is_checked_and_fills_the_draft(page: Any) -> None:
    path = KETAMINE / "ketamine-article.md"
    want = hedgecheck.check(path.read_bytes(), format="markdown")
    before = _checked(page)
    page.find_element(By.ID, "file").send_keys(str(path))
    shown = _report(page, after=before)
    assert shown["status"].startswith("ketamine-article.md: ")
    assert shown["article"] == want.label.value  # type: ignore[union-attr]
    assert len(shown["findings"]) == len(want.findings)
    _wait(page, lambda d: d.find_element(By.ID, "format").get_attribute("value") == "markdown")
    draft = page.find_element(By.ID, "draft").get_attribute("value")
    assert draft == path.read_text(encoding="utf-8")


def test_an_answer_to_an_older_draft_never_replaces_a_newer_one(
    browser: Any, pytestconfig: pytest.Config, tmp_path: Path
) -> None:
    # A house rule that backtracks until the match timeout makes the first draft's answer
    # come a second or more after the second draft's.
    cache = getattr(pytestconfig, "cache", None)
    folder = cache.mkdir("serve-house-pack") if cache is not None else tmp_path
    pack = write_pack(folder / "house.toml", r"(?:a|aa)+b")
    slow = "The drug may help. " + "a" * 60 + ". It could work."
    fast = "Coffee is a miracle cure for stroke\n\nExperts say it cures strokes, a study found."
    with serve_load.server("--rules", str(pack)) as base:
        browser.get(f"{base}/")
        _wait(browser, lambda d: d.execute_script("return document.body.dataset.ready") == "1")
        draft = browser.find_element(By.ID, "draft")
        browser.execute_script("arguments[0].value = arguments[1];", draft, slow[:-1])
        draft.send_keys(slow[-1])
        _wait(browser, lambda d: d.find_element(By.ID, "status").text == "checking…")
        browser.execute_script("arguments[0].value = arguments[1];", draft, fast[:-1])
        draft.send_keys(fast[-1])
        shown = _report(browser)
        time.sleep(3)  # past the time the first draft's answer takes
        assert _report(browser) == shown
    assert any("HYP001" in finding for finding in shown["findings"])
    assert shown["headline text"].startswith("Coffee is a miracle cure")
