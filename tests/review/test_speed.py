"""The review of a 1,000-article synthetic corpus: written, then its index opened in Chromium (slow; times printed).

The times are measurements to report (run with ``-s``), checked only against the issue's loose bounds.
"""

from __future__ import annotations

import shutil
import time

import pytest

from builder.review.site import write_site

CHROMIUM = shutil.which("chromium")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="no chromium: apt-get install -y chromium (.ci/run does)")
def test_a_thousand_article_review_is_written_and_opens(tmp_path):
    from benchmarks.synthetic import generate

    sync_api = pytest.importorskip("playwright.sync_api")
    root = generate(tmp_path / "project", articles=1000)
    started = time.perf_counter()
    written = write_site(root / "corpus", root / "annotations", tmp_path / "site")
    seconds = time.perf_counter() - started
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(written.index.as_uri(), wait_until="load")
        loaded = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        rows = page.locator("tr.article-row").count()
        browser.close()
    print(f"\nreview of 1000 articles written in {seconds:.1f} s; index loaded in {loaded:.0f} ms ({rows} rows)")
    assert written.articles == rows == 1000
    assert seconds < 60 and loaded < 2000
