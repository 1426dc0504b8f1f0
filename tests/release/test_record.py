"""The card's words on the release (builder/release/record.py): the annotations' licence as the project states it."""

from __future__ import annotations

from builder.release.record import annotations_statement, licence_details
from builder.release.withhold import ReleaseStep


def test_the_annotations_licence_is_the_one_the_card_front_matter_gives():
    assert annotations_statement({"annotations_license": "CC-BY-4.0"}) == "Annotations and documentation: CC-BY-4.0."


def test_without_one_in_the_front_matter_no_licence_is_claimed():
    said = annotations_statement({"license": "unknown"})
    assert "no licence stated" in said and "`annotations_license` in DATASET_CARD.md" in said and "CC" not in said


def test_the_texts_part_claims_nothing_about_the_annotations():
    text = licence_details(ReleaseStep(public=False, allowed=frozenset()))
    assert text.startswith("Article texts: their publishers' licences") and "Annotations" not in text
