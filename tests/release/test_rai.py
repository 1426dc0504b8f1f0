"""builder/release/rai.py: the RAI fields, taken from the card, annotators.yaml and the agreement report."""

from __future__ import annotations

from builder.records import Annotator
from collections import Counter

from builder.release.rai import CorpusFacts, agreement_summary, card_sections, rai_fields
from builder.release.withhold import ReleaseStep

FACTS = CorpusFacts(("en", "pcm"), Counter({2: 3, 1: 1}), Counter({"adjudicated": 2, "single": 2}))
PROSE = """# Card

## Personal and sensitive information

Public figures only.

## Considerations

### Biases and limitations

Tiny corpus.
<!-- generated: benchmarks -->
"""


def test_sections_are_found_by_heading_without_generated_markers():
    sections = card_sections(PROSE)
    assert sections["Biases and limitations"] == "Tiny corpus."
    assert sections["Personal and sensitive information"] == "Public figures only."


def test_the_annotators_are_told_as_annotators_yaml_tells_them():
    annotators = {"team-a": Annotator("team-a", "project-team-assistant", "an AI assistant, not a recruited annotator")}
    fields = rai_fields(PROSE, annotators, {}, ReleaseStep(public=True, allowed=frozenset({"CC0-1.0"})), FACTS)
    assert fields["rai:annotatorDemographics"] == ["team-a (project-team-assistant): an AI assistant, not a recruited annotator"]
    assert fields["rai:personalSensitiveInformation"] == "Public figures only."
    assert fields["rai:dataLimitations"] == fields["rai:dataBiases"] == "Tiny corpus."
    assert "rai:dataCollection" not in fields  # no such section in this card: nothing invented


def test_the_agreement_summary_quotes_the_corpus_figures():
    report = {"corpus": {"articles": 2, "annotator_pairs": 3, "entities": {"f1": 0.95, "alpha": {"value": 0.9}},
                         "stances": {"kappa": {"value": 1.0}, "alpha": {"value": None}}}}
    text = agreement_summary(report)
    assert "2 article(s) compared, 3 annotator pair(s)" in text and "entity F1 (exact span) 0.95" in text
    assert "stance Cohen's kappa 1.0" in text


def test_annotations_per_item_are_counted_from_the_documents_config():
    annotators = {"bot": Annotator("bot", "model", "spaCy en_core_web_sm 3.8, predictions imported as a set")}
    fields = rai_fields(PROSE, annotators, {}, ReleaseStep(public=False, allowed=frozenset()), FACTS)
    assert fields["rai:annotationsPerItem"].startswith("1 article(s) with 1 annotator set(s), 3 article(s) with 2 "
                                                       "annotator set(s); gold sets by origin: 2 adjudicated, 2 single.")
    assert fields["rai:machineAnnotationTools"][1] == "bot (a model): spaCy en_core_web_sm 3.8, predictions imported as a set"


def test_a_section_still_as_init_wrote_it_gives_no_field():
    from builder.project.scaffold import project_files

    card = project_files("P")["DATASET_CARD.md"]
    answered = card.replace("What does the corpus not cover, and whose views dominate it?", "Only Lagos outlets.")
    fields = rai_fields(card, {}, {}, ReleaseStep(public=False, allowed=frozenset()), FACTS)
    assert not {"rai:personalSensitiveInformation", "rai:dataCollection", "rai:dataLimitations"} & set(fields)
    fields = rai_fields(answered, {}, {}, ReleaseStep(public=False, allowed=frozenset()), FACTS)
    assert fields["rai:dataLimitations"] == fields["rai:dataBiases"] == "Only Lagos outlets."
