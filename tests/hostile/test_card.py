"""Nothing from the data is injected into the card: its body escapes it, its YAML header still loads."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from factories import ARTICLE, annotation, default_entities, span, write_annotation, write_article
from hostile.running import assert_refused, dist_files, run_cli

SCRIPT = "<script>alert(1)</script>"
INJECTED = "\n---\n# injected\n<img src=x onerror=alert(1)>"


def card_parts(project: Path) -> tuple[dict, str]:
    text = (project / "dist" / "1.0.0" / "README.md").read_text(encoding="utf-8")
    _, header, body = text.split("---\n", 2)
    return yaml.safe_load(header), body


def assert_inert(body: str) -> None:
    assert "<script" not in body and "<img" not in body
    assert "# injected" not in body.splitlines()
    assert body.count("\n---\n") == 0


def test_an_article_text_with_a_script_reaches_the_card_escaped(project):
    text = ARTICLE + f"The page said {SCRIPT} today.\n"
    write_article(project / "corpus", "b1", text, split="train")
    hostile = dict(span(text, SCRIPT), id="e9", label="PERSON")
    for annotator, extra in (("team-a", [hostile]), ("team-b", [])):
        write_annotation(project / "annotations",
                         annotation("b1", text, annotator, entities=default_entities(text) + extra))
    run = run_cli(project, "build", "--no-cache", "--allow-unadjudicated")
    assert run.code == 0, run.stderr[-3000:]
    header, body = card_parts(project)
    assert header["pretty_name"].startswith("newsstance")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # the disagreement line, shown as text
    assert_inert(body)


def test_a_model_name_of_a_result_file_reaches_the_card_escaped(project):
    assert run_cli(project, "build", "--no-cache").code == 0  # a result is listed only for the data it scored
    content = json.loads(next((project / "dist").glob("*/manifest.json")).read_text(encoding="utf-8"))["content_sha256"]
    results = project / "benchmarks" / "results"
    results.mkdir(parents=True)
    record = {"task": "ner", "model": f"m{INJECTED}|{SCRIPT}",
              "dataset": {"version": "1.0.0", "split": "test", "content_sha256": content},
              "sizes": {"gold_items": 3}, "predictions": {"sha256": "ab" * 32},
              "metrics": {"strict": {"micro": {"f1": 0.5, "precision": 0.5, "recall": 0.5}},
                          "partial": {"micro": {"f1": 0.5}}}}
    (results / "x.json").write_text(json.dumps(record), encoding="utf-8")
    run = run_cli(project, "build", "--no-cache")
    assert run.code == 0, run.stderr[-3000:]
    header, body = card_parts(project)
    assert header["configs"]
    assert "m --- \\# injected &lt;img src=x onerror=alert(1)&gt;\\|&lt;script&gt;" in body
    assert_inert(body)


def test_a_label_that_is_not_a_plain_name_is_refused_before_it_reaches_the_card(project):
    before = dist_files(project)
    schema = project / "annotations" / "schema.yaml"
    schema.write_text(schema.read_text(encoding="utf-8").replace(
        "stance_labels:\n", f"stance_labels:\n  {json.dumps('x' + INJECTED)}: hostile\n"), encoding="utf-8")
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E807", project, before)
    assert "/stance_labels must be keyed by label names" in run.stderr


def write_result(project: Path, content: str) -> None:
    results = project / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "x.json").write_text(content, encoding="utf-8")


def test_a_malformed_result_file_is_a_coded_error(project):
    before = dist_files(project)
    write_result(project, "{not json")
    assert_refused(run_cli(project, "build", "--no-cache"), "E815", project, before)


def test_a_result_file_holding_a_list_is_a_coded_error(project):
    before = dist_files(project)
    write_result(project, "[1, 2]")
    assert_refused(run_cli(project, "build", "--no-cache"), "E815", project, before)


def test_a_result_file_missing_keys_is_a_coded_error(project):
    before = dist_files(project)
    write_result(project, json.dumps({"task": "ner", "dataset": {"version": "1.0.0"}}))
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E815", project, before)
    assert "a field is missing or of the wrong type" in run.stderr


def test_a_missing_card_text_is_a_coded_error(project):
    before = dist_files(project)
    (project / "DATASET_CARD.md").unlink()
    assert_refused(run_cli(project, "build", "--no-cache"), "E816", project, before)


def test_a_card_text_that_is_not_utf8_is_a_coded_error(project):
    before = dist_files(project)
    (project / "DATASET_CARD.md").write_bytes(b"# Caf\xe9\n")
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E816", project, before)
    assert "not UTF-8 (byte offset 5)" in run.stderr


def test_a_card_text_linked_out_of_the_project_is_refused_and_not_leaked(project):
    before = dist_files(project)
    (project / "DATASET_CARD.md").unlink()
    (project / "DATASET_CARD.md").symlink_to("/etc/passwd")
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E802", project, before)
    assert "root:" not in run.stderr
