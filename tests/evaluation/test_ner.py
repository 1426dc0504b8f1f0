"""builder/evaluation/ner.py: gold from the ner config, predictions checked, scores equal to seqeval's."""

from __future__ import annotations

import re

import pytest
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from builder.errors import InputError
from builder.evaluation.evaluate import score
from builder.evaluation.metrics import Span
from builder.evaluation.ner import ner_gold_spans
from builder.evaluation.results import render_table


def test_ner_gold_comes_from_the_ner_config_in_clean_offsets(golds, sample):
    gold = golds["ner"]
    assert gold.articles == ("a1", "a2")
    expected = {Span(a, s, e, label) for a in ("a1", "a2") for s, e, label in sample.gold_spans(a)}
    assert set(gold.entities) == expected and len(gold.entities) == 10
    for span in gold.entities:
        assert gold.texts[span.article_id][span.start:span.end] in {"Zelensky", "Trump", "Kiev", "Thursday", "European",
                                                                    "Moscow", "US", "Dmitry Peskov", "Wednesday"}
    assert gold.entity_labels[:3] == ("PERSON", "NORP", "FAC")


def test_ner_gold_spans_read_stray_inside_tags_strictly():
    rows = [{"article_id": "a", "ner_tags": ["I-PERSON", "O", "B-GPE", "I-GPE"], "token_starts": [0, 5, 9, 14],
             "token_ends": [4, 8, 13, 18]}]
    assert ner_gold_spans(rows, ["O"]) == [Span("a", 9, 18, "GPE")]


# --- against seqeval, through the whole harness ---------------------------------------------------

def seqeval_of(gold, sample, predicted: dict[str, list[tuple[int, int, str]]]) -> dict:
    """seqeval's strict IOB2 report over the sample's sentences, predictions tagged on its tokens."""
    y_true, y_pred = [], []
    for article_id in gold.articles:
        for sentence in sample.sentences(gold.texts[article_id]):
            y_true.append(sample.tags_for(sentence, sample.gold_spans(article_id)))
            y_pred.append(sample.tags_for(sentence, predicted.get(article_id, [])))
    return classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)


PREDICTIONS = {
    "perfect": lambda s: {a: s.gold_spans(a) for a in ("a1", "a2")},
    "one article missing": lambda s: {"a1": s.gold_spans("a1")},
    "label errors": lambda s: {a: [(b, e, "ORG" if label == "GPE" else label) for b, e, label in s.gold_spans(a)]
                               for a in ("a1", "a2")},
    "boundary error": lambda s: {"a2": [(*s.at("a2", "Dmitry"), "PERSON"), *s.gold_spans("a2")[:2]]},
    "extra entities": lambda s: {"a1": [*s.gold_spans("a1"), (*s.at("a1", "plan"), "LAW"),
                                        (*s.at("a1", "countries"), "NORP")]},
    "nothing": lambda s: {"a1": [], "a2": []},
    "multi-token prediction": lambda s: {"a1": [(*s.at("a1", "European countries"), "NORP"),
                                                (*s.at("a1", "Kiev on Thursday"), "DATE")]},
}


@pytest.mark.parametrize("case", sorted(PREDICTIONS))
def test_ner_scores_equal_seqeval_strict(case, golds, sample, tmp_path):
    predicted = PREDICTIONS[case](sample)
    path = sample.write(tmp_path / "p.jsonl", [sample.ner_line(a, spans) for a, spans in sorted(predicted.items())])
    result = score(golds["ner"], path.read_bytes(), file=str(path), model="m")
    theirs = seqeval_of(golds["ner"], sample, predicted)
    ours = result.scores
    assert ours.strict.precision == pytest.approx(theirs["micro avg"]["precision"])
    assert ours.strict.recall == pytest.approx(theirs["micro avg"]["recall"])
    assert ours.strict.f1 == pytest.approx(theirs["micro avg"]["f1-score"])
    assert ours.strict.gold == theirs["micro avg"]["support"] == 10
    for label, value in ours.strict_per_label:
        assert (value.precision, value.recall, value.gold) == (
            pytest.approx(theirs[label]["precision"]), pytest.approx(theirs[label]["recall"]), theirs[label]["support"])
        assert value.f1 == pytest.approx(theirs[label]["f1-score"])


def test_ner_partial_view_credits_boundary_errors(golds, sample, tmp_path):
    path = sample.write(tmp_path / "p.jsonl", [sample.ner_line("a1", [(*sample.at("a1", "Zelensky met"), "PERSON"),
                                                                      (*sample.at("a1", "Kiev on"), "GPE")])])
    scores = score(golds["ner"], path.read_bytes(), file="p.jsonl", model="m").scores
    assert scores.strict.correct == 0
    assert (scores.partial.correct, scores.partial.predicted, scores.partial.gold) == (2, 2, 10)


def test_missing_articles_count_as_misses_and_are_reported(golds, sample, tmp_path):
    path = sample.write(tmp_path / "p.jsonl", [sample.ner_line("a1", sample.gold_spans("a1"))])
    result = score(golds["ner"], path.read_bytes(), file=str(path), model="m")
    assert result.scores.strict.recall == pytest.approx(5 / 10)
    assert result.sizes["missing_articles"] == 1
    assert [w.code for w in result.warnings] == ["E608"]
    assert re.search(r"E608 .*p\.jsonl: 1 of 2 gold articles have no prediction \(first: a2\); they count as misses",
                     str(result.warnings[0]))
    assert "1 of 2 gold articles have no prediction" in render_table(result)


# --- malformed predictions: every check ------------------------------------------------------------

BAD = {
    "E601": (lambda s: ["{not json"], r"E601 .*p\.jsonl: line 1: line is not valid JSON"),
    "E602": (lambda s: [{"article_id": "a1"}],
             r"E602 .*line 1, article 'a1': prediction is malformed: missing field 'entities'"),
    "E602 entity": (lambda s: [{"article_id": "a1", "entities": [{"start": "0", "end": 3, "label": "PERSON"}]}],
                    r"E602 .*entities\[0\]: field 'start' must be int, got str"),
    "E602 not an object": (lambda s: ["[1, 2]"],
                           r"E602 .*line 1: prediction is malformed: expected a JSON object, got list"),
    "E603": (lambda s: [s.ner_line("zz", [])],
             r"E603 .*line 1, article 'zz': unknown article id 'zz': not an article of the 'test' split"),
    "E603 train article": (lambda s: [s.ner_line("a3", [])], r"E603 .*unknown article id 'a3'"),
    "E604": (lambda s: [s.ner_line("a1", [(70, 90, "PERSON")])],
             r"E604 .*line 1, article 'a1': entity offsets \[70, 90\) do not fit the cleaned text of 75 characters"),
    "E604 empty": (lambda s: [s.ner_line("a1", [(3, 3, "PERSON")])], r"E604 .*entity offsets \[3, 3\)"),
    "E605": (lambda s: [s.ner_line("a1", [(0, 8, "PER")])], r"E605 .*unknown entity label 'PER'; known: PERSON, NORP"),
    "E606": (lambda s: [s.ner_line("a1", []), s.ner_line("a1", [])],
             r"E606 .*line 2, article 'a1': duplicate prediction for this article \(first on line 1\)"),
    "E606 entity": (lambda s: [s.ner_line("a1", [(0, 8, "PERSON"), (0, 8, "PERSON")])],
                    r"E606 .*duplicate prediction for entity \[0, 8\) PERSON \(first on line 1\)"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_ner_predictions(case, golds, sample, tmp_path):
    lines, message = BAD[case]
    path = sample.write(tmp_path / "p.jsonl", lines(sample))
    with pytest.raises(InputError, match=message) as exc:
        score(golds["ner"], path.read_bytes(), file=str(path), model="m")
    assert "fix:" in str(exc.value)
