"""The review site in headless Chromium (Debian's ``chromium``, driven by playwright): checks read the rendered DOM.

Skipped only when no chromium is installed (``.ci/run`` installs it). The seed article's page is
screenshotted into ``tests/_artifacts/review-seed-article.png`` (git-ignored) on every run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.agreement.votes import votes
from builder.review.drafts import write_draft
from builder.review.site import write_site
from builder.sources.annotations import scan_annotations
from factories import REPO

SEED = "000_b81791b00934b5a0"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium: apt-get install -y chromium (.ci/run does)")


@pytest.fixture(scope="module")
def seed_sets():
    sets, problems = scan_annotations(REPO / "annotations")
    assert not problems
    return next(s for s in sets if s.is_gold), sorted((s for s in sets if not s.is_gold), key=lambda s: s.annotator)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("review") / "site"
    write_site(REPO / "corpus", REPO / "annotations", out)
    return out


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


class Visit:
    """A page opened from the file system, with every request it made and every console message."""

    def __init__(self, browser, url: str):
        self.requests: list[str] = []
        self.console: list[str] = []
        self.page = browser.new_page(viewport={"width": 1200, "height": 1600})
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.console.append(m.text))
        self.page.goto(url)


@pytest.fixture()
def article(browser, site):
    visit = Visit(browser, (site / "articles" / f"{SEED}.html").as_uri())
    yield visit
    visit.page.close()


def test_every_gold_entity_is_a_marked_span_with_its_label(article, seed_sets):
    gold, _ = seed_sets
    marks = article.page.eval_on_selector_all("#article-text mark.entity", """marks => marks.map(m => ({
        id: m.id, label: m.dataset.label, text: m.querySelector('.entity-text').textContent,
        shown: m.querySelector('.label').textContent}))""")
    assert marks == [{"id": f"entity-{e.id}", "label": e.label, "text": e.text, "shown": e.label} for e in gold.entities]


def test_every_stance_shows_holder_label_and_evidence(article, seed_sets):
    gold, _ = seed_sets
    texts = {e.id: e.text for e in gold.entities}
    for s in gold.stances:
        item = article.page.locator(f"#stance-{s.id}")
        assert item.locator(".holder").inner_text() == texts[s.holder]
        assert item.locator(".holder a").get_attribute("href") == f"#entity-{s.holder}"
        assert item.locator(".stance-label").text_content() == s.label
        assert item.locator(".evidence-quote").all_text_contents() == [v.text for v in s.evidence]
        highlighted = article.page.eval_on_selector_all(
            "#article-text .evidence", f"""spans => spans.filter(s => s.dataset.stances.split(' ').includes('{s.id}'))
                .map(s => s.textContent).join('')""")
        assert highlighted == "".join(v.text for v in s.evidence)


def test_a_stances_evidence_is_picked_out_on_click(article):
    article.page.click("#stance-s2 .show-evidence")
    active = article.page.eval_on_selector_all("#article-text .evidence.active", "s => s.map(x => x.textContent).join('')")
    assert active == "had signaled to Zelensky that Kiev must accept the US-drafted framework"


def test_debris_is_struck_through_with_its_reason(article, seed_sets):
    gold, _ = seed_sets
    found = article.page.eval_on_selector_all("#article-text del.debris", """dels => dels.map(d => ({
        text: d.textContent, line: getComputedStyle(d).textDecorationLine, reason: d.nextElementSibling.textContent}))""")
    assert found == [{"text": d.text, "line": "line-through", "reason": f"debris: {d.reason}"} for d in gold.cleaning]


def test_the_team_c_disagreements_are_in_the_annotator_view(article, seed_sets):
    _, sets = seed_sets
    expected = [v for v in votes(sets) if not v.unanimous]
    rows = article.page.eval_on_selector_all("#annotator-view tr.disagreement", """rows => rows.map(r => ({
        id: r.id, c: r.querySelector('td[data-annotator="team-c"]').textContent}))""")
    assert [r["id"] for r in rows] == [f"disagreement-{i}" for i in range(1, len(expected) + 1)]
    assert [r["c"] for r in rows] == [dict(v.labels)["team-c"] or "none" for v in expected]
    assert len(rows) == 15
    day_x = article.page.locator("#annotator-view tr.disagreement", has_text="'Day X'")
    assert "not an entity" in day_x.locator(".decision").inner_text()  # the gold decision, with its reason
    assert "Guidelines 3.3" in day_x.locator(".decision").inner_text()


def test_j_and_k_move_between_disagreements(article):
    article.page.keyboard.press("j")
    article.page.keyboard.press("j")
    assert article.page.evaluate("location.hash") == "#disagreement-2"
    assert article.page.evaluate("document.activeElement.id") == "disagreement-2"
    article.page.keyboard.press("k")
    assert article.page.evaluate("document.activeElement.id") == "disagreement-1"


def test_an_entity_anchor_targets_its_mark(browser, site):
    visit = Visit(browser, (site / "articles" / f"{SEED}.html").as_uri() + "#entity-e12")
    assert visit.page.evaluate("document.querySelector(':target').dataset.label") == "GPE"
    assert visit.page.evaluate("document.querySelector(':target .entity-text').textContent") == "Washington"
    visit.page.close()


def test_no_request_leaves_the_file_system(browser, site):
    for page in ("index.html", f"articles/{SEED}.html"):
        visit = Visit(browser, (site / page).as_uri())
        visit.page.click("#article-table th button >> nth=4") if page == "index.html" else visit.page.keyboard.press("j")
        visit.page.close()
        assert visit.requests and all(url.startswith("file://") for url in visit.requests), visit.requests
        assert not [m for m in visit.console if "Content Security Policy" in m or "Failed" in m], visit.console


def test_the_index_links_each_article_and_shows_the_charts(browser, site):
    visit = Visit(browser, (site / "index.html").as_uri())
    assert visit.page.locator(f'a[href="articles/{SEED}.html"]').count() == 1
    assert visit.page.locator("svg.chart").count() == 3
    assert visit.page.locator("#chart-entity-labels g.bar[data-label=GPE] text").all_text_contents() == ["GPE", "26 (32.1%)"]
    visit.page.close()


def test_a_screenshot_of_the_seed_article_is_written(article):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "review-seed-article.png"
    article.page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


def test_open_decisions_come_first(browser, tmp_path):
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    shutil.copytree(REPO / "annotations", tmp_path / "annotations")
    write_draft(tmp_path / "annotations", SEED, overwrite=True)
    write_site(tmp_path / "corpus", tmp_path / "annotations", tmp_path / "site")
    visit = Visit(browser, (tmp_path / "site" / "articles" / f"{SEED}.html").as_uri())
    order = visit.page.evaluate("""() => ['open-decisions', 'article-text', 'annotator-view'].map(
        id => document.getElementById(id).getBoundingClientRect().top)""")
    assert order == sorted(order)
    assert visit.page.locator("#open-decisions li.open-decision").count() == 15
    assert visit.page.locator("#gold-source").inner_text().startswith("draft (open decisions)")
    assert visit.page.locator("#annotator-view tr.disagreement .decision strong", has_text="open").count() == 15
    links = visit.page.eval_on_selector_all("#open-decisions li.open-decision > a", "a => a.map(x => x.hash)")
    assert links == [f"#disagreement-{i}" for i in range(1, 16)]
    visit.page.click("#open-decisions li.open-decision >> nth=2 >> a")
    assert "'the White House'" in visit.page.locator(":target").inner_text()  # its row in the annotator view
    visit.page.close()


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory):
    from benchmarks.synthetic import generate

    root = generate(tmp_path_factory.mktemp("synthetic") / "project", articles=12, gold_share=0.5)
    out = root.parent / "site"
    write_site(root / "corpus", root / "annotations", out)
    return out


def column_values(page, index: int) -> list[str]:
    return page.eval_on_selector_all("#article-table tbody tr", f"rows => rows.map(r => r.cells[{index}].dataset.value)")


def test_a_click_on_a_column_title_sorts_the_articles_by_it(browser, synthetic_site):
    visit = Visit(browser, (synthetic_site / "index.html").as_uri())
    titles = visit.page.locator("#article-table th button").all_text_contents()
    column = titles.index("disagreements")
    visit.page.click(f"#article-table th button >> nth={column}")
    first = [int(v) for v in column_values(visit.page, column)]
    assert first == sorted(first, reverse=True) and first[0] > first[-1]
    visit.page.click(f"#article-table th button >> nth={column}")
    assert [int(v) for v in column_values(visit.page, column)] == sorted(first)
    assert visit.page.locator("#article-table th").nth(column).get_attribute("aria-sort") == "ascending"
    visit.page.close()


def test_a_place_of_the_annotator_view_links_to_its_gold_item(article):
    article.page.click("#annotator-view a[href='#entity-e2']")
    assert article.page.evaluate("document.querySelector(':target').id") == "entity-e2"


def test_one_annotators_index_shows_no_agreement_figure(browser, tmp_path):
    from factories import make_project

    root = make_project(tmp_path / "p", annotators=("team-a",), gold=False)
    write_site(root / "corpus", root / "annotations", tmp_path / "site")
    visit = Visit(browser, (tmp_path / "site" / "index.html").as_uri())
    assert visit.page.locator("#chart-agreement g.bar").count() == 0
    assert "no article with two or more annotators" in visit.page.locator("#chart-agreement").text_content()
    f1 = visit.page.locator("#corpus-figures tr", has_text="entity exact-span F1").locator("td").inner_text()
    assert f1 == "n/a: one annotator"
    visit.page.close()
