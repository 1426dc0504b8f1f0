"""builder/evaluation/baselines.py and benchmarks/run_baselines.py."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import spacy

from builder.evaluation.baselines import (DEBRIS_PATTERN, is_debris_line, jsonl_bytes, keep_everything_predictions,
                               line_heuristic_clean, line_heuristic_predictions, majority_label,
                               majority_stance_predictions, rules_ner_pipeline, spacy_ner_predictions)
from builder.errors import InputError
from builder.evaluation.evaluate import load_gold, score
from builder.evaluation.results import benchmarks_section

REPO = Path(__file__).resolve().parents[2]


def load_script():
    spec = importlib.util.spec_from_file_location("run_baselines", REPO / "benchmarks" / "run_baselines.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- stance --------------------------------------------------------------------------------------

@pytest.mark.parametrize("labels, expected", [
    (["against", "favor", "favor"], "favor"),
    (["neutral", "against"], "against"),  # a tie goes to the first label of the inventory order
    ([], "favor"),
])
def test_majority_label(labels, expected):
    assert majority_label(labels, ("favor", "against", "neutral")) == expected


def test_majority_stance_predictions_cover_every_item_once():
    items = [("b", "Q1", "t"), ("a", "Q2", "t"), ("a", "Q2", "t")]
    assert majority_stance_predictions(items, "against") == [
        {"article_id": "a", "holder_key": "Q2", "target": "t", "label": "against"},
        {"article_id": "b", "holder_key": "Q1", "target": "t", "label": "against"}]


# --- cleaning ------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["Continues after advertising", "FREE TOOL", "Subscribe to our newsletter",
                                  "Read more: markets today", "© 2025 Example Media. All rights reserved.",
                                  "Share this article", "ADVERTISEMENT"])
def test_debris_lines(line):
    assert is_debris_line(line)


@pytest.mark.parametrize("line", ["Capitulation", "difficult moment", "",
                                  "The company said advertising revenue fell sharply in the third quarter of the year.",
                                  "Shares rose 3%."])
def test_content_lines(line):
    assert not is_debris_line(line)


def test_line_heuristic_removes_debris_lines_with_their_line_break():
    raw = "Title\nContinues after advertising\nBody text.\nFREE TOOL\nXP simulator\nEnd.\n"
    assert line_heuristic_clean(raw) == "Title\nBody text.\nXP simulator\nEnd.\n"
    assert DEBRIS_PATTERN.search("XP simulator") is None  # not tuned to the seed's promotion block


def test_cleaning_baselines_give_one_line_per_article():
    raw = {"b": "x\nContinues after advertising", "a": "y"}
    assert keep_everything_predictions(raw) == [{"article_id": "a", "text": "y"}, {"article_id": "b", "text": raw["b"]}]
    assert line_heuristic_predictions(raw)[1] == {"article_id": "b", "text": "x"}


def test_jsonl_bytes_are_canonical():
    content = jsonl_bytes([{"text": "Київ", "article_id": "a"}])
    assert content == '{"article_id": "a", "text": "Київ"}\n'.encode("utf-8")
    assert jsonl_bytes([]) == b""


# --- NER -----------------------------------------------------------------------------------------

def test_spacy_ner_predictions_use_character_offsets_of_the_text():
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "GPE", "pattern": "Kiev"},
                                               {"label": "PERSON", "pattern": [{"LOWER": "zelensky"}]}])
    texts = {"b": "Zelensky left Kiev.", "a": "Kiev, again Kiev"}
    records = spacy_ner_predictions(nlp, texts)
    assert [r["article_id"] for r in records] == ["a", "b"]
    assert records[0]["entities"] == [{"start": 0, "end": 4, "label": "GPE"},
                                      {"start": len("Kiev, again "), "end": len("Kiev, again Kiev"), "label": "GPE"}]
    assert [texts["b"][e["start"]:e["end"]] for e in records[1]["entities"]] == ["Zelensky", "Kiev"]


def test_rules_pipeline_finds_dates_and_numbers():
    doc = rules_ner_pipeline()("On Thursday, two sources said 40% of the first $5 million came in March 2024 and this summer.")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Thursday", "DATE"), ("two", "CARDINAL"), ("40%", "PERCENT"), ("first", "ORDINAL"), ("$5 million", "MONEY"),
        ("March 2024", "DATE"), ("this summer", "DATE")]


# --- the script ----------------------------------------------------------------------------------

def test_run_baselines_writes_predictions_and_results(data, sample, content, tmp_path, capsys):
    script = load_script()
    args = ["--data", str(data), "--results-dir", str(tmp_path / "results"), "--predictions-dir", str(tmp_path / "preds")]
    assert script.main(args) == 0
    names = sorted(p.name for p in (tmp_path / "results").iterdir())
    assert names == [f"{sample.version}__cleaning__test__keep-everything.json", f"{sample.version}__cleaning__test__line-heuristic.json",
                     f"{sample.version}__ner__test__rules-numbers-dates.json", f"{sample.version}__stance__test__majority-class-train.json"]
    first = {name: (tmp_path / "results" / name).read_bytes() for name in names}
    stance = json.loads(first[names[-1]])
    # train labels are favor, favor: every test item is predicted favor; test gold has 2 favor of 5
    assert stance["metrics"]["accuracy"] == pytest.approx(2 / 5)
    keep = json.loads(first[names[0]])["metrics"]
    assert keep["recall"] == 1.0 and keep["exact_match"] == 0.0
    heuristic = json.loads(first[names[1]])["metrics"]
    assert heuristic["exact_match"] == 1.0  # the fixture's only debris is "Continues after advertising"
    assert script.main(args) == 0
    assert {name: (tmp_path / "results" / name).read_bytes() for name in names} == first  # deterministic
    assert sorted(p.name for p in (tmp_path / "preds").iterdir()) == [
        "cleaning-keep-everything.jsonl", "cleaning-line-heuristic.jsonl", "ner-rules-numbers-dates.jsonl",
        "stance-majority-class.jsonl"]
    (tmp_path / "results" / "speed").mkdir()
    (tmp_path / "results" / "speed" / "results-machine.json").write_text('{"build_1_worker": {}}', encoding="utf-8")
    section = benchmarks_section(tmp_path / "results", content)  # speed results, in a subfolder, are not model results
    assert section.count("\n| ") == 2 + 4 and "majority-class (train)" in section
    assert "wrote" in capsys.readouterr().out


def test_run_baselines_falls_back_to_split_labels_without_train_items(data, monkeypatch):
    script = load_script()
    monkeypatch.setattr(script, "training_labels", lambda *args: [])
    runs = script.baseline_predictions(str(data), "test", None, None)
    (name, records), = [(model, r) for (task, model), r in runs.items() if task == "stance"]
    assert name == "majority-class (test labels: no train items)"
    assert {r["label"] for r in records} == {"favor"}  # test gold: favor 2, against 2, neutral 1 -> tie to favor


def test_run_baselines_reports_a_missing_dataset(tmp_path, capsys):
    assert load_script().main(["--data", str(tmp_path / "nothing"), "--results-dir", str(tmp_path / "r")]) == 1
    assert "E611" in capsys.readouterr().err


def test_training_labels_are_empty_without_a_train_split(data, tmp_path):
    script = load_script()
    assert script.training_labels(str(data), None, None) == ["favor", "favor"]
    assert script.training_labels(str(tmp_path / "nothing"), None, None) == []


# --- the seed ------------------------------------------------------------------------------------

SEED_GOLD = REPO / "annotations" / "gold"


@pytest.mark.skipif(not SEED_GOLD.is_dir(), reason="the seed article has no gold set yet")
def test_committed_baseline_results_reproduce_on_the_seed_build(tmp_path):
    from builder import DATASET_VERSION
    from builder.config import BuildConfig
    from builder.pipeline import build

    built = build(BuildConfig(corpus_dir=REPO / "corpus", annotations_dir=REPO / "annotations",
                              card_path=REPO / "DATASET_CARD.md", benchmarks_dir=tmp_path / "none",
                              output_dir=tmp_path / DATASET_VERSION))
    assert load_script().main(["--data", str(built), "--results-dir", str(tmp_path / "results"),
                               "--predictions-dir", str(tmp_path / "preds")]) == 0
    committed = REPO / "benchmarks" / "results"
    fresh = sorted((tmp_path / "results").glob("*.json"))
    assert fresh
    rerun = "re-run `python benchmarks/run_baselines.py --data dist/<version>` and commit benchmarks/results/"
    for path in fresh:
        assert (committed / path.name).is_file(), f"{path.name} is not on record: {rerun}"
        record = json.loads(path.read_text(encoding="utf-8"))
        on_record = json.loads((committed / path.name).read_text(encoding="utf-8"))
        record["dataset"]["source"] = on_record["dataset"]["source"]  # the folder differs, nothing else may
        assert record == on_record, f"{path.name} differs from the result on record: {rerun}"
    gold = load_gold("ner", data=str(built))
    assert score(gold, jsonl_bytes([]), file="p", model="m").sizes["missing_articles"] == len(gold.articles)


# --- a dataset without a layer -------------------------------------------------------------------

def without_config(data: Path, folder: Path, config: str) -> Path:
    """A copy of the sample dataset as a build of a corpus without ``config``'s layer writes it."""
    import shutil
    shutil.copytree(data, folder)
    shutil.rmtree(folder / config)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"] = {name: entry for name, entry in manifest["outputs"].items() if not name.startswith(f"{config}/")}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_run_baselines_skips_the_stance_task_of_a_dataset_without_stances(data, tmp_path, capsys):
    built = without_config(data, tmp_path / "built", "stance")
    args = ["--data", str(built), "--results-dir", str(tmp_path / "results"), "--predictions-dir", str(tmp_path / "p")]
    assert load_script().main(args) == 0
    assert "skipped stance: the dataset has no 'stance' config" in capsys.readouterr().out
    assert sorted(p.name.split("__")[1] for p in (tmp_path / "results").iterdir()) == ["cleaning", "cleaning", "ner"]


def test_run_baselines_skips_cleaning_when_no_debris_is_marked(data, monkeypatch, capsys):
    script = load_script()
    real = script.load_gold

    def no_debris(task, **options):
        gold = real(task, **options)
        return gold if task != "cleaning" else type(gold)(gold.task, gold.data, gold.raw_texts, gold.raw_texts)

    monkeypatch.setattr(script, "load_gold", no_debris)
    runs = script.baseline_predictions(str(data), "test", None, None, ("cleaning", "ner"))
    assert [task for task, _ in runs] == ["ner"]
    assert "skipped cleaning: no debris is marked in split 'test'" in capsys.readouterr().out


def test_evaluating_a_task_the_dataset_has_no_config_for_is_e462(data, tmp_path):
    built = without_config(data, tmp_path / "built", "stance")
    with pytest.raises(InputError, match=r"E462 built: the dataset has no 'stance' config, so there is no gold "
                                         r"to score: .*\(its configs: cleaning, documents, ner\)"):
        load_gold("stance", data=str(built))
