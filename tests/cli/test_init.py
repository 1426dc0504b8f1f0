"""`newsstance init` (builder/cli/init.py), then every command run from inside the new project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from builder.cli import main
from factories import ARTICLE, annotation, default_entities, write_annotation, write_article

SECOND = ARTICLE.replace("Monday", "Friday")


@pytest.fixture
def ner_project(tmp_path, monkeypatch, capsys) -> Path:
    """A fresh `newsstance init` project with an NER-only corpus of two German articles, one annotator."""
    monkeypatch.chdir(tmp_path)
    assert main(["init", "fresh", "--name", "Fresh news"]) == 0
    root = tmp_path / "fresh"
    write_article(root / "corpus", "a1", ARTICLE, language="de", outlet="Example Zeitung", split="test")
    write_article(root / "corpus", "a2", SECOND, language="de", outlet=None, notes={"outlet": "not given"}, split="train")
    write_annotation(root / "annotations", annotation("a1", ARTICLE, "ann-1", entities=default_entities(), cleaning=[]))
    write_annotation(root / "annotations", annotation("a2", SECOND, "ann-1", entities=default_entities()[:3], cleaning=[]))
    (root / "annotations" / "annotators.yaml").write_text(yaml.safe_dump(
        {"annotators": [{"id": "ann-1", "kind": "human", "description": "A student."}]}), encoding="utf-8")
    capsys.readouterr()
    return root


def built_card(root: Path) -> tuple[dict, str]:
    text = (root / "dist" / "1.0.0" / "README.md").read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def test_init_prints_what_it_wrote(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "p"]) == 0
    out = capsys.readouterr().out
    assert "annotations/schema.yaml" in out and "DATASET_CARD.md" in out and "next: cd p" in out


def test_init_into_a_folder_with_files_exits_1(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "x").write_text("", encoding="utf-8")
    assert main(["init", "p"]) == 1
    assert "E460" in capsys.readouterr().err


def test_validate_and_build_from_inside_the_project(ner_project, monkeypatch, capsys):
    monkeypatch.chdir(ner_project)
    assert main(["validate"]) == 0
    assert main(["build", "--no-progress"]) == 0
    manifest = json.loads((ner_project / "dist" / "1.0.0" / "manifest.json").read_text(encoding="utf-8"))
    assert not any(name.startswith("stance/") for name in manifest["outputs"])
    from datasets import get_dataset_config_names, load_dataset
    dist = str(ner_project / "dist" / "1.0.0")
    assert get_dataset_config_names(dist) == ["documents", "ner", "cleaning", "annotations"]
    documents = load_dataset(dist, "documents", split="test")
    assert [e["text"] for e in documents[0]["entities"]] == [e["text"] for e in default_entities()]


def test_every_command_finds_the_project_from_a_subfolder(ner_project, monkeypatch, capsys):
    monkeypatch.chdir(ner_project / "corpus")
    assert main(["validate"]) == 0
    assert main(["stats"]) == 0
    assert main(["agreement"]) == 0
    assert main(["build", "--no-progress"]) == 0
    assert (ner_project / "dist" / "1.0.0" / "README.md").is_file() and not (ner_project / "corpus" / "dist").exists()
    assert (ner_project / ".newsstance-cache").is_dir()
    capsys.readouterr()
    assert main(["evaluate", "--task", "stance", "--predictions", str(ner_project / "corpus" / "a1.txt")]) == 1
    assert "E462" in capsys.readouterr().err  # found dist/ of the project: it has no stance config


def test_the_card_of_an_ner_only_single_annotator_corpus_tells_the_truth(ner_project, monkeypatch):
    monkeypatch.chdir(ner_project)
    assert main(["build", "--no-progress"]) == 0
    head, body = built_card(ner_project)
    assert head["language"] == ["de"] and head["pretty_name"] == "Fresh news" and head["license"] == "unknown"
    assert head["task_ids"] == ["named-entity-recognition"] and "stance-detection" not in head["tags"]
    assert [c["config_name"] for c in head["configs"]] == ["documents", "ner", "cleaning", "annotations"]
    assert "n/a: one annotator" in body and "1.000" not in body and "0 matches" not in body
    assert "`de` (2 articles)" in body and "Example Zeitung (1)" in body and "| `ann-1` | human | 2 |" in body
    assert "Stance detection" not in body and "`stance`" not in body
    for seed_fact in ("English", "seed article", "Brazilian", "AI agents", "newsstance project team",
                      "us-peace-plan", "Scores on newsstance"):
        assert seed_fact not in body


def test_the_card_lists_only_results_computed_on_this_build(ner_project, monkeypatch):
    monkeypatch.chdir(ner_project)
    assert main(["build", "--no-progress"]) == 0
    manifest = json.loads((ner_project / "dist" / "1.0.0" / "manifest.json").read_text(encoding="utf-8"))
    predictions = ner_project / "ner.jsonl"
    predictions.write_text(json.dumps({"article_id": "a1", "entities": []}) + "\n", encoding="utf-8")
    assert main(["evaluate", "--task", "ner", "--predictions", str(predictions), "--model-name", "empty"]) == 0
    record = json.loads(next((ner_project / "benchmarks" / "results").glob("*.json")).read_text(encoding="utf-8"))
    assert record["dataset"]["content_sha256"] == manifest["content_sha256"]
    assert main(["build", "--no-progress"]) == 0
    assert "| ner | empty | test |" in built_card(ner_project)[1]
    write_annotation(ner_project / "annotations",  # other data, same version string: the result no longer applies
                     annotation("a1", ARTICLE, "ann-1", entities=default_entities()[:2], cleaning=[]))
    assert main(["build", "--no-progress"]) == 0
    _, body = built_card(ner_project)
    assert "| ner | empty |" not in body and "No benchmark results on record were computed on this build" in body


def test_agreement_of_one_annotator_prints_no_figure(ner_project, monkeypatch, capsys):
    monkeypatch.chdir(ner_project / "annotations")
    assert main(["agreement"]) == 0
    out = capsys.readouterr().out
    assert "n/a: one annotator" in out and "1.000" not in out and "0 matches" not in out
