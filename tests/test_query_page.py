"""The query page of `diplograph serve` in headless Chromium: it works, and asks nothing of any other host.

Skip rule as for every browser test (conftest.py's ``chromium_executable``): only when Chromium
is absent and CI is unset. The page's screenshot goes to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from server_util import Served

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server = Served(tmp_path_factory.mktemp("page"))
    try:
        yield server
    finally:
        server.stop()


def test_the_query_page_runs_a_named_query_with_no_outside_request(served, chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium_executable),
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            requests, errors = [], []
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(served.base + "/")
            names = page.eval_on_selector_all("#dq-examples option", "os => os.map(o => o.value).filter(Boolean)")
            assert "partners" in names and len(names) >= 20  # the project's named queries
            page.select_option("#dq-examples", "partners")
            assert "SELECT" in page.input_value("#dq-text")
            page.click("#dq-run")
            deadline = time.monotonic() + 30
            while "row" not in (page.text_content("#dq-status") or ""):
                assert time.monotonic() < deadline, page.text_content("#dq-status")
                page.wait_for_timeout(50)
            rows = page.eval_on_selector_all("#dq-result tbody tr", "rs => rs.length")
            assert rows >= 1
            assert "Azerbaijan" in page.text_content("#dq-result")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "query-page-answer.png"), full_page=True)
            page.fill("#dq-text", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
            page.click("#dq-run")
            deadline = time.monotonic() + 30
            while "Error" not in (page.text_content("#dq-status") or ""):
                assert time.monotonic() < deadline
                page.wait_for_timeout(50)
            assert "403" in page.text_content("#dq-status")
            page.screenshot(path=str(ARTIFACTS / "query-page.png"), full_page=True)
        finally:
            browser.close()
    assert requests and all(url.startswith(served.base + "/") for url in requests), requests
    assert not [e for e in errors if "403" not in e], errors  # the refused query's 403 is the only console line
