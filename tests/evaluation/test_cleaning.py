"""builder/evaluation/cleaning.py: gold cleaned texts, predictions checked, character-level scores."""

from __future__ import annotations

import pytest

from builder.errors import InputError
from builder.evaluation.evaluate import score


def test_cleaning_gold_is_the_cleaning_config(golds, sample):
    gold = golds["cleaning"]
    assert gold.texts == {a: sample.text(a) for a in ("a1", "a2")}
    assert gold.raw_texts["a2"].startswith("Moscow has played down any new US initiatives.\nContinues after advertising\n")


def test_cleaning_scores(golds, sample, tmp_path):
    a1, a2 = sample.text("a1"), sample.text("a2")
    raw_a2 = golds["cleaning"].raw_texts["a2"]
    path = sample.write(tmp_path / "p.jsonl", [{"article_id": "a1", "text": a1}, {"article_id": "a2", "text": raw_a2}])
    s = score(golds["cleaning"], path.read_bytes(), file="p.jsonl", model="m").scores
    assert s.recall == 1.0
    assert s.precision == pytest.approx((len(a1) + len(a2)) / (len(a1) + len(raw_a2)))
    assert s.exact_match == 0.5


def test_cleaning_prediction_needs_text(golds, sample, tmp_path):
    path = sample.write(tmp_path / "p.jsonl", [{"article_id": "a1", "text": None}])
    with pytest.raises(InputError, match=r"E602 .*field 'text' must be str, got NoneType"):
        score(golds["cleaning"], path.read_bytes(), file=str(path), model="m")
