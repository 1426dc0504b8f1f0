"""builder/output/card.py: the sections computed from the build's figures."""

from __future__ import annotations

from collections import Counter

from dataclasses import replace

import pytest
from datasets import Features, Value

from builder.errors import ConfigError
from builder.output.card import (CardFigures, SplitFigures, build_section, card_data, front_matter, labels_section,
                                 render_card, splits_section)
from builder.output.statements import AnnotatorFacts, CorpusFacts


def figures(labels) -> CardFigures:
    return CardFigures(version="1.0.0", articles=2, splits={}, labels=labels, gold_sources=Counter(gold=2),
                       allow_unadjudicated=False, unadjudicated=())


def test_one_table_per_counted_kind_in_schema_order_most_frequent_first_one_line_for_an_absent_kind():
    section = labels_section(figures({"debris": Counter(advertising=1),
                                      "entity": Counter(ORG=1, PERSON=3, LOC=1)}))
    assert section == (
        "**Gold entity labels** (5 in all)\n\n| label | count | share |\n| --- | --- | --- |\n"
        "| `PERSON` | 3 | 60.0% |\n| `LOC` | 1 | 20.0% |\n| `ORG` | 1 | 20.0% |\n\n"
        "**Gold stance labels**: none in this corpus.\n\n"
        "**Gold debris reasons** (1 in all)\n\n| label | count | share |\n| --- | --- | --- |\n"
        "| `advertising` | 1 | 100.0% |")


def test_figure_links_are_markdown_images_relative_to_the_card():
    from builder.output.card import figure_links
    from builder.review.figures import Figure

    text = figure_links([Figure("Gold entities per label", "figures/entity-labels.svg")])
    assert text.endswith("\n\n![Gold entities per label](figures/entity-labels.svg)\n")
    assert figure_links([]) == ""


def with_languages(languages, split_tokens=None) -> CardFigures:
    ranked = tuple(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0])))
    return replace(figures({}), facts=CorpusFacts(languages=ranked), split_tokens=split_tokens or {})


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


# --- statements from the data: front matter, YAML, sections -------------------------------------

MARKERS = ("version", "build", "corpus", "languages", "tasks", "splits", "labels", "annotators", "agreement",
           "benchmarks")
NER_ONLY = {"entity": Counter(PERSON=2)}


def card(prose_head: str = "", facts: CorpusFacts = CorpusFacts(languages=(("de", 2),)), labels=NER_ONLY) -> str:
    prose = prose_head + "# T\n\n" + "\n\n".join(f"<!-- generated: {m} -->" for m in MARKERS) + "\n"
    figures = CardFigures(version="1.0.0", articles=2, splits={"documents": {"test": SplitFigures(2, 10, 10)}},
                          labels=labels, gold_sources=Counter(single=2), allow_unadjudicated=False,
                          unadjudicated=(), facts=facts)
    return render_card(prose, figures, {"documents": Features({"id": Value("string")})},
                       {"agreement": "AGREEMENT FIGURES", "benchmarks": "BENCH"})


def yaml_of(text: str) -> str:
    return text.split("\n---\n", 1)[0]


def test_yaml_languages_come_from_the_metadata():
    assert "language:\n- de\n" in yaml_of(card())


def test_yaml_lists_no_stance_task_or_tag_without_stances():
    head = yaml_of(card())
    assert "task_categories:\n- token-classification\ntask_ids:\n- named-entity-recognition\n" in head
    assert "text-classification" not in head and "stance-detection" not in head


def test_yaml_lists_every_task_when_every_layer_has_items():
    head = yaml_of(card(labels={"entity": Counter(ORG=1), "stance": Counter(favor=1), "debris": Counter(navigation=1)}))
    assert "- stance-detection\n- boilerplate-removal\n- news\n" in head
    assert "task_ids:\n- named-entity-recognition\n- multi-class-classification\n" in head


def test_front_matter_sets_the_human_fields_and_leaves_the_body():
    text = card(prose_head="---\npretty_name: 'My corpus: news'\nlicense: cc-by-4.0\n---\n")
    assert "pretty_name: 'My corpus: news'" in yaml_of(text) and "license: cc-by-4.0" in yaml_of(text)
    assert text.count("\n---\n") == 1 and "\n# T\n" in text


def test_front_matter_cannot_override_the_languages_of_the_data():
    assert "language:\n- de\n" in yaml_of(card(prose_head="---\nlanguage: [en]\n---\n"))


def test_front_matter_that_is_not_a_mapping_is_e461():
    with pytest.raises(ConfigError, match=r"E461 DATASET_CARD.md: the YAML front matter .* not a mapping"):
        front_matter("---\n- a\n- b\n---\n# T\n")


def test_a_card_without_front_matter_is_all_body():
    assert front_matter("# T\n\ntext\n") == ({}, "# T\n\ntext\n")


def test_one_annotator_shows_no_agreement_figure():
    text = card(facts=CorpusFacts(languages=(("de", 2),), annotators=(AnnotatorFacts("ann-1", "human", 2),)))
    assert "n/a: one annotator" in text and "AGREEMENT FIGURES" not in text and "1.000" not in text


def test_compared_annotators_keep_the_agreement_figures():
    assert "AGREEMENT FIGURES" in card(facts=CorpusFacts(languages=(("de", 2),), compared_pairs=1))


def test_sections_state_languages_outlets_annotators_and_absent_layers():
    facts = CorpusFacts(languages=(("de", 2), ("pcm", 1)), outlets=(("Daily Example", 2),), without_outlet=1,
                        annotators=(AnnotatorFacts("ann-1", "human", 3),))
    text = card(facts=facts)
    assert "`de` (2 articles), `pcm` (1 article)" in text and "multilingual" in yaml_of(text)
    assert "1 outlet, as the metadata names it: Daily Example (2). 1 article without an outlet" in text
    assert "| `ann-1` | human | 3 |" in text
    assert "Not annotated in this corpus: stances, debris spans." in text
    assert "- Named entity recognition" in text and "Stance detection" not in text


def test_splits_table_lists_only_the_configs_written():
    figures = CardFigures(version="1.0.0", articles=1, splits={"ner": {"test": SplitFigures(3, 1, 1)}},
                          labels=NER_ONLY, gold_sources=Counter(), allow_unadjudicated=False, unadjudicated=())
    table = splits_section(figures)
    assert "`ner`" in table and "`stance`" not in table and "`documents`" not in table


@pytest.mark.parametrize("seed_fact", ["English", "seed article", "Brazilian", "AI agents", "us-peace-plan"])
def test_generated_sections_name_no_seed_fact(seed_fact):
    facts = CorpusFacts(languages=(("de", 2),), annotators=(AnnotatorFacts("ann-1", "human", 2),))
    assert seed_fact not in card(facts=facts)
