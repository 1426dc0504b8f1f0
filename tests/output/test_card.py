"""builder/output/card.py: the sections computed from the build's figures."""

from __future__ import annotations

from collections import Counter

from dataclasses import replace

from builder.output.card import CardFigures, build_section, card_data, labels_section


def figures(labels) -> CardFigures:
    return CardFigures(version="1.0.0", articles=2, splits={}, labels=labels, gold_sources=Counter(gold=2),
                       allow_unadjudicated=False, unadjudicated=())


def test_one_table_per_counted_kind_in_schema_order_most_frequent_first():
    section = labels_section(figures({"debris": Counter(advertising=1),
                                      "entity": Counter(ORG=1, PERSON=3, LOC=1)}))
    assert section == (
        "**Gold entity labels** (5 in all)\n\n| label | count | share |\n| --- | --- | --- |\n"
        "| `PERSON` | 3 | 60.0% |\n| `LOC` | 1 | 20.0% |\n| `ORG` | 1 | 20.0% |\n\n"
        "**Gold stance labels** (0 in all)\n\n| label | count | share |\n| --- | --- | --- |\n\n"
        "**Gold debris reasons** (1 in all)\n\n| label | count | share |\n| --- | --- | --- |\n"
        "| `advertising` | 1 | 100.0% |")


def test_figure_links_are_markdown_images_relative_to_the_card():
    from builder.output.card import figure_links
    from builder.review.figures import Figure

    text = figure_links([Figure("Gold entities per label", "figures/entity-labels.svg")])
    assert text.endswith("\n\n![Gold entities per label](figures/entity-labels.svg)\n")
    assert figure_links([]) == ""


def with_languages(languages, split_tokens=None) -> CardFigures:
    return replace(figures({}), languages=Counter(languages), split_tokens=split_tokens or {})


def test_the_card_yaml_lists_the_corpus_language_codes():
    assert card_data(with_languages({"pcm": 2}), {}).language == ["pcm"]
    data = card_data(with_languages({"yo": 1, "pcm": 3, "en": 1}), {})
    assert data.language == ["en", "pcm", "yo"] and data.multilinguality == ["multilingual"]
    assert card_data(with_languages({"en": 1}), {}).multilinguality == ["monolingual"]


def test_the_build_section_names_the_tokenizer_of_each_language_and_the_split_tokens():
    section = build_section(with_languages({"pcm": 2, "yo": 1}, {"p1": 3, "p2": 1}))
    assert ("for `pcm` (2 article(s)), `MultiLanguage` (`xx`), spaCy's multi-language tokenizer, as spaCy has no "
            "class for `pcm`; for `yo` (1 article(s)), `Yoruba` (`yo`).") in section
    assert "that token was split there: 4 token(s) in 2 article(s). Offsets are as annotated" in section
