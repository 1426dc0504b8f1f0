"""builder/output/card.py: the sections computed from the build's figures."""

from __future__ import annotations

from collections import Counter

from builder.output.card import CardFigures, labels_section


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
