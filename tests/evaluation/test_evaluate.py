"""builder/evaluation/evaluate.py and `newsstance evaluate`: a predictions file or a spaCy pipeline, scored on gold."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import spacy

from builder.cli import main
from builder.errors import InputError
from builder.evaluation.baselines import jsonl_bytes
from builder.evaluation.evaluate import evaluate, load_gold, score


def test_a_missing_predictions_file(data, tmp_path):
    with pytest.raises(InputError, match=r"E609 .*nope\.jsonl: cannot read the predictions: No such file"):
        evaluate(task="ner", data=str(data), predictions=tmp_path / "nope.jsonl")


@pytest.mark.parametrize("options", [{}, {"predictions": Path("p.jsonl"), "spacy_model": "x"},
                                     {"task": "stance", "spacy_model": "en_core_web_sm"}])
def test_evaluate_needs_exactly_one_source(options, data):
    options = {"task": "ner", **options}
    with pytest.raises(InputError, match=r"E612 .*give exactly one of predictions, spacy_model or nlp"):
        evaluate(data=str(data), **options)


def test_a_predictions_file_is_recorded_by_name(data, sample, tmp_path):
    path = sample.write(tmp_path / "my-preds.jsonl", [sample.ner_line("a1", sample.gold_spans("a1"))])
    result = evaluate(task="ner", data=str(data), predictions=path)
    assert (result.model, result.predictions_file, result.scores.strict.correct) == ("my-preds", "my-preds.jsonl", 5)


# --- spaCy pipelines ------------------------------------------------------------------------------

def gazetteer() -> spacy.language.Language:
    """A small rule-based pipeline: it knows most, not all, gold entities, and one wrong label."""
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([
        {"label": "PERSON", "pattern": "Zelensky"}, {"label": "PERSON", "pattern": "Trump"},
        {"label": "GPE", "pattern": "Kiev"}, {"label": "GPE", "pattern": "Moscow"},
        {"label": "DATE", "pattern": [{"LOWER": {"IN": ["thursday", "wednesday"]}}]},
        {"label": "ORG", "pattern": "US"}, {"label": "PERSON", "pattern": "Peskov"}])
    nlp.meta["name"] = "gazetteer"
    return nlp


def test_a_spacy_pipeline_object_is_scored(data):
    result = evaluate(task="ner", data=str(data), nlp=gazetteer())
    s = result.scores
    # predicted 9: Zelensky Trump Kiev Thursday | Moscow US(ORG) Peskov Wednesday Moscow; correct 7 of gold 10
    assert (s.strict.correct, s.strict.predicted, s.strict.gold) == (7, 9, 10)
    assert s.partial.correct == 8  # Peskov overlaps Dmitry Peskov
    assert result.model == "spacy:en_gazetteer-0.0.0"
    assert result.predictions_file is None


def test_a_spacy_pipeline_is_loaded_from_a_path(data, tmp_path):
    gazetteer().to_disk(tmp_path / "pipeline")
    result = evaluate(task="ner", data=str(data), spacy_model=str(tmp_path / "pipeline"), model_name="gaz")
    assert (result.scores.strict.correct, result.model) == (7, "gaz")


def test_a_spacy_pipeline_that_cannot_be_loaded(data):
    with pytest.raises(InputError, match=r"E610 .*cannot load the spaCy pipeline 'xx_no_such_pipeline_sm'"):
        evaluate(task="ner", data=str(data), spacy_model="xx_no_such_pipeline_sm")


# --- the command line -----------------------------------------------------------------------------

def test_cli_evaluates_and_writes_a_record(data, sample, tmp_path, capsys):
    path = sample.write(tmp_path / "preds.jsonl", [sample.ner_line(a, sample.gold_spans(a)) for a in ("a1", "a2")])
    code = main(["evaluate", "--task", "ner", "--data", str(data), "--predictions", str(path),
                 "--results-dir", str(tmp_path / "results")])
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"micro\s+100\.0\s+100\.0\s+100\.0", out)
    record = json.loads((tmp_path / "results" / f"{sample.version}__ner__test__preds.json").read_text(encoding="utf-8"))
    assert record["metrics"]["strict"]["micro"]["f1"] == 1.0


def test_cli_reports_problems_with_exit_1(data, sample, tmp_path, capsys):
    path = sample.write(tmp_path / "preds.jsonl", [sample.ner_line("nope", [])])
    code = main(["evaluate", "--task", "ner", "--data", str(data), "--predictions", str(path), "--no-write"])
    assert code == 1
    assert "E603" in capsys.readouterr().err


def test_cli_spacy_model_is_for_ner_only(data, capsys):
    assert main(["evaluate", "--task", "stance", "--data", str(data), "--spacy-model", "x"]) == 2
    assert "--spacy-model scores NER only" in capsys.readouterr().err


def test_cli_scores_a_spacy_pipeline_folder(data, sample, tmp_path, capsys):
    gazetteer().to_disk(tmp_path / "pipeline")
    code = main(["evaluate", "--task", "ner", "--data", str(data), "--spacy-model", str(tmp_path / "pipeline"),
                 "--results-dir", str(tmp_path / "results")])
    assert code == 0
    assert "model spacy:en_gazetteer-0.0.0" in capsys.readouterr().out
    assert [p.name for p in (tmp_path / "results").iterdir()] == [
        f"{sample.version}__ner__test__spacy-en_gazetteer-0.0.0.json"]


def test_cli_needs_predictions_or_a_model(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["evaluate", "--task", "ner"])
    assert exc.value.code == 2


def test_cli_lists_the_tasks_of_the_registry(capsys):
    with pytest.raises(SystemExit):
        main(["evaluate", "--help"])
    assert "{ner,stance,cleaning}" in capsys.readouterr().out


# --- a real build ---------------------------------------------------------------------------------

def test_scores_gold_of_a_real_build(tmp_path, sample):
    from factories import make_project

    from builder.config import BuildConfig
    from builder.pipeline import build

    root = make_project(tmp_path / "project", split="test")
    built = build(BuildConfig(corpus_dir=root / "corpus", annotations_dir=root / "annotations", output_dir=root / "out",
                              card_path=root / "DATASET_CARD.md", benchmarks_dir=root / "no-results"))
    gold = load_gold("ner", data=str(built))
    perfect = jsonl_bytes([sample.ner_line(a, [(s.start, s.end, s.label) for s in gold.entities if s.article_id == a])
                           for a in gold.articles])
    result = score(gold, perfect, file="p", model="gold")
    assert result.scores.strict.f1 == 1.0 and result.scores.strict.gold == 6
    assert {gold.texts["a1"][s.start:s.end] for s in gold.entities} == {"Joe Biden", "Olaf Scholz", "Berlin",
                                                                      "Monday", "Biden", "Kremlin"}
    stance = load_gold("stance", data=str(built))
    lines = [sample.stance_line(s.article_id, s.holder_key, s.label, s.target) for s in stance.stances]
    assert score(stance, jsonl_bytes(lines), file="p", model="gold").scores.accuracy == 1.0
