"""builder/evaluation/predictions.py: every line read and checked, all problems reported at once."""

from __future__ import annotations

import pytest

from builder.errors import InputError
from builder.evaluation.evaluate import score


def test_every_problem_is_reported_at_once(golds, sample, tmp_path):
    path = sample.write(tmp_path / "p.jsonl", ["{", sample.ner_line("zz", []),
                                               sample.ner_line("a1", [(0, 999, "PERSON"), (0, 8, "PER")])])
    with pytest.raises(InputError, match=r"^4 problems:") as exc:
        score(golds["ner"], path.read_bytes(), file=str(path), model="m")
    assert exc.value.codes == ["E601", "E603", "E604", "E605"]


def test_blank_lines_are_ignored_and_counted_in_line_numbers(golds, sample):
    content = b"\n  \n" + b'{"article_id": "zz", "text": ""}\n'
    with pytest.raises(InputError, match=r"E603 .*line 3, article 'zz'"):
        score(golds["cleaning"], content, file="p.jsonl", model="m")


def test_predictions_that_are_not_utf8(golds):
    with pytest.raises(InputError, match=r"E609 .*p\.jsonl: cannot read the predictions: not UTF-8 \(byte 0xff"):
        score(golds["ner"], b'{"article_id": "a1"}\n\xff\n', file="p.jsonl", model="m")
