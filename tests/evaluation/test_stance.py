"""builder/evaluation/stance.py: gold items with label and target names, predictions checked, hand-computed scores."""

from __future__ import annotations

import pytest

from builder.errors import InputError
from builder.evaluation.evaluate import score


def test_stance_gold_has_label_and_target_names(golds, sample):
    gold = golds["stance"]
    assert [(s.article_id, s.holder_key, s.label) for s in gold.stances][:2] == [
        ("a1", "Q3874799", "neutral"), ("a1", "european countries", "against")]
    assert {s.target for s in gold.stances} == {sample.target}
    assert gold.stance_labels == ("favor", "against", "neutral")


def test_stance_scores_hand_computed(golds, sample, tmp_path):
    # gold: a1 neutral, against; a2 against, favor, favor
    path = sample.write(tmp_path / "p.jsonl", [
        sample.stance_line("a1", "Q3874799", "neutral"), sample.stance_line("a1", "european countries", "favor"),
        sample.stance_line("a2", "Q1033000", "against"), sample.stance_line("a2", "Q7747", "favor")])  # Q22686 missing
    result = score(golds["stance"], path.read_bytes(), file="p.jsonl", model="m")
    s = result.scores
    assert s.accuracy == pytest.approx(3 / 5)
    by_label = dict(s.per_label)
    assert (by_label["favor"].precision, by_label["favor"].recall) == (pytest.approx(1 / 2), pytest.approx(1 / 2))
    assert (by_label["against"].precision, by_label["against"].recall) == (1.0, pytest.approx(1 / 2))
    assert by_label["neutral"].f1 == 1.0
    assert s.f_avg == pytest.approx((0.5 + 2 / 3) / 2)
    assert s.macro_f1 == pytest.approx((0.5 + 2 / 3 + 1) / 3)
    assert s.confusion == ((1, 0, 0, 1), (1, 1, 0, 0), (0, 0, 1, 0))
    assert result.sizes == {"articles": 2, "gold_items": 5, "predicted_items": 4, "missing_items": 1}
    assert "a2/Q22686/us-peace-plan-2025" in str(result.warnings[0])


@pytest.mark.parametrize("line, message", [
    (dict(holder_key="Q3874799", label="pro"),
     r"E605 .*line 1, article 'a1': unknown stance label 'pro'; known: favor, against, neutral"),
    (dict(holder_key="Q3874799", label="favor", target="nato"), r"E605 .*unknown target 'nato'; known: us-peace-plan-2025"),
    (dict(holder_key="q3874799", label="favor"),
     r"E607 .*line 1, article 'a1': no gold stance for holder_key 'q3874799' and target 'us-peace-plan-2025'"),
])
def test_malformed_stance_predictions(line, message, golds, sample, tmp_path):
    path = sample.write(tmp_path / "p.jsonl", [sample.stance_line("a1", **line)])
    with pytest.raises(InputError, match=message):
        score(golds["stance"], path.read_bytes(), file=str(path), model="m")


def test_stance_prediction_needs_a_label(golds, sample, tmp_path):
    path = sample.write(tmp_path / "p.jsonl", [{"article_id": "a1", "holder_key": "Q3874799", "target": sample.target}])
    with pytest.raises(InputError, match=r"E602 .*missing field 'label'"):
        score(golds["stance"], path.read_bytes(), file=str(path), model="m")


def test_duplicate_stance_prediction(golds, sample, tmp_path):
    path = sample.write(tmp_path / "p.jsonl", [sample.stance_line("a1", "Q3874799", "favor"), "",
                                               sample.stance_line("a1", "Q3874799", "against")])
    with pytest.raises(InputError, match=r"E606 .*line 3, article 'a1': duplicate prediction for holder_key 'Q3874799', "
                                         r"target 'us-peace-plan-2025' \(first on line 1\)"):
        score(golds["stance"], path.read_bytes(), file=str(path), model="m")
