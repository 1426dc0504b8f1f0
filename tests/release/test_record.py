"""builder/release/record.py: what the card says of a release's withheld texts."""

from __future__ import annotations

from builder.release.record import card_statement
from builder.release.withhold import ReleaseStep, RestrictedArticle


def step_with(url: str | None) -> ReleaseStep:
    article = RestrictedArticle("x1", None, "publisher's copyright", url, "0" * 64, 3, 3, ("ab",))
    return ReleaseStep(public=True, allowed=frozenset(), restricted=["x1"], withheld=[article])


def test_a_withheld_article_without_url_is_named_with_where_to_look_instead():
    text = card_statement(step_with(None), "public", False, "1.0.0")
    assert "**Withheld without a known address:** `x1`: the `url` column is null" in text
    assert text.startswith("**Public release:** the texts of 1 article(s)")


def test_an_article_with_a_url_needs_no_such_note():
    assert "Withheld without a known address" not in card_statement(step_with("https://example.invalid/x1"), "public",
                                                                    False, "1.0.0")


def test_the_seed_public_release_card_tells_how_to_obtain_and_hydrate_its_text(tmp_path):
    from builder.config import BuildConfig
    from builder.pipeline import build
    from factories import REPO

    out = build(BuildConfig(corpus_dir=REPO / "corpus", annotations_dir=REPO / "annotations",
                            card_path=REPO / "DATASET_CARD.md", benchmarks_dir=REPO / "benchmarks" / "results",
                            output_dir=tmp_path / "public", release="public"))
    card = (out / "README.md").read_text()
    assert "**Public release:** the texts of 1 article(s)" in card
    assert "`newsstance hydrate ORG/NAME --revision v1.0.0 --texts DIR --output dist/1.0.0-full`" in card
    assert "**Withheld without a known address:** `000_b81791b00934b5a0`" in card
    assert "The published (public) release withholds" in card  # the licensing section agrees
