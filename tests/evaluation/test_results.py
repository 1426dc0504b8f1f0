"""builder/evaluation/results.py: deterministic result records, printed tables and the card's section."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from builder.evaluation.baselines import jsonl_bytes
from builder.evaluation.evaluate import evaluate, score
from builder.errors import InputError
from builder.evaluation.results import benchmarks_section, render_table, result_path, result_record, write_result


def test_result_record_is_deterministic(data, sample, content, tmp_path):
    path = sample.write(tmp_path / "preds.jsonl", [sample.stance_line("a1", "Q3874799", "neutral")])
    first = write_result(evaluate(task="stance", data=str(data), predictions=path, model_name="My Model 1"),
                         tmp_path / "results")
    written = first.read_bytes()
    second = write_result(evaluate(task="stance", data=str(data), predictions=path, model_name="My Model 1"),
                          tmp_path / "results")
    assert first == second and second.read_bytes() == written
    assert first.name == f"{sample.version}__stance__test__my-model-1.json"
    record = json.loads(written)
    assert list(record) == sorted(record)
    assert record["predictions"] == {"file": "preds.jsonl", "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    assert record["dataset"] == {"source": data.name, "revision": None, "version": sample.version, "split": "test",
                                 "content_sha256": content}
    assert record["sizes"]["missing_items"] == 4
    assert re.search(rb"20\d\d-\d\d-\d\d", written) is None  # no timestamps


def test_record_of_each_task(golds, sample, tmp_path):
    ner = score(golds["ner"], jsonl_bytes([sample.ner_line("a1", sample.gold_spans("a1"))]), file="p", model="m")
    assert result_record(ner)["metrics"]["strict"]["per_label"]["PERSON"]["f1"] == pytest.approx(0.8)  # P 2/2, R 2/3
    assert result_path(tmp_path, ner).name == f"{sample.version}__ner__test__m.json"
    cleaning = score(golds["cleaning"], jsonl_bytes([{"article_id": "a1", "text": sample.text("a1")}]), file="p",
                     model="m")
    metrics = result_record(cleaning)["metrics"]
    assert metrics["exact_match"] == 0.5 and metrics["kept_chars"] == len(sample.text("a1"))


def test_render_table_lists_labels_and_provenance(golds, sample):
    result = score(golds["ner"], jsonl_bytes([sample.ner_line("a1", sample.gold_spans("a1"))]), file="p", model="m")
    table = render_table(result)
    assert "task ner, model m" in table and f"version {sample.version}" in table
    assert re.search(r"PERSON\s+100\.0\s+66\.7\s+80\.0", table)
    stance = score(golds["stance"], jsonl_bytes([sample.stance_line("a1", "Q3874799", "neutral")]), file="p", model="m")
    assert "F_avg(favor, against)" in render_table(stance) and "MISSING" in render_table(stance)
    cleaning = score(golds["cleaning"], b"", file="p", model="m")
    assert "exact match" in render_table(cleaning)


def test_benchmarks_section_lists_the_results_of_this_build(golds, sample, content, tmp_path):
    results = tmp_path / "results"
    for model in ("b-model", "a-model"):
        write_result(score(golds["stance"], jsonl_bytes([sample.stance_line("a1", "Q3874799", "neutral")]), file="p",
                           model=model), results)
    write_result(score(golds["ner"], b"", file="p", model="z"), results)
    other = json.loads(next(results.glob("*ner*.json")).read_text(encoding="utf-8"))
    other["model"], other["dataset"]["content_sha256"] = "scored-other-data", "00" * 32
    (results / "other.json").write_text(json.dumps(other), encoding="utf-8")
    section = benchmarks_section(results, content)
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert [row.split(" | ")[:2] for row in rows] == [["| ner", "z"], ["| stance", "a-model"], ["| stance", "b-model"]]
    assert "accuracy 20.0; macro-F1" in rows[1]
    assert benchmarks_section(results, content) == section


def test_benchmarks_section_leaves_out_a_result_of_the_same_version_on_other_data(golds, sample, content, tmp_path):
    path = write_result(score(golds["ner"], b"", file="p", model="z"), tmp_path)
    record = json.loads(path.read_text(encoding="utf-8"))
    record["dataset"]["content_sha256"] = "0" * 64  # same version string, other Parquet files
    path.write_text(json.dumps(record), encoding="utf-8")
    assert record["dataset"]["version"] == sample.version
    assert benchmarks_section(tmp_path, content).startswith("No benchmark results on record were computed on this build")


def test_benchmarks_section_leaves_out_a_task_whose_layer_the_build_lacks(golds, content, tmp_path):
    write_result(score(golds["stance"], b"", file="p", model="m"), tmp_path)
    assert "| stance |" in benchmarks_section(tmp_path, content)
    assert "| stance |" not in benchmarks_section(tmp_path, content, ["ner", "cleaning"])


def test_benchmarks_section_without_results(tmp_path):
    assert benchmarks_section(tmp_path / "none", "ab" * 32).startswith(
        "No benchmark results on record were computed on this build (content sha256 `abababababab`)")


@pytest.mark.parametrize(("content", "expected"), [
    ("{not json", r"E815 .*x.json: benchmark result is not usable: it cannot be read as JSON"),
    ("[1, 2]", r"E815 .*x.json: benchmark result is not usable: it must hold one JSON object"),
    (json.dumps({"task": "ner", "dataset": {"content_sha256": "ab" * 32}}), r"E815 .*x.json: .*a field is missing or of the "
                                                                    r"wrong type \(KeyError\('split'\)\)"),
], ids=["malformed", "a list", "missing keys"])
def test_a_result_file_that_is_no_record_is_refused(tmp_path, content, expected):
    (tmp_path / "x.json").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=expected):
        benchmarks_section(tmp_path, "ab" * 32)
