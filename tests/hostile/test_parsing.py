"""Strict parsing: a key twice in one JSON object, unknown YAML keys and ill-typed schema values are errors."""

from __future__ import annotations

from hostile.running import assert_refused, dist_files, run_cli


def test_a_duplicate_key_in_an_annotation_file_is_a_coded_error(project):
    before = dist_files(project)
    path = project / "annotations" / "team-a" / "a1.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"label": "PERSON",', '"label": "PERSON", "label": "ORG",', 1), encoding="utf-8")
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E808", project, before)
    assert "key 'label' given twice in one object, at /entities/0/label" in run.stderr


def test_a_duplicate_key_in_a_metadata_file_is_a_coded_error(project):
    before = dist_files(project)
    path = project / "corpus" / "a1.meta.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"outlet": ', '"outlet": "Other", "outlet": ', 1),
                    encoding="utf-8")
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E808", project, before)
    assert "key 'outlet' given twice in one object, at /outlet" in run.stderr


def test_an_unknown_top_level_key_in_schema_yaml_is_a_coded_error(project):
    before = dist_files(project)
    schema = project / "annotations" / "schema.yaml"
    schema.write_text(schema.read_text(encoding="utf-8") + "entity_lables:\n  PERSON: typo\n", encoding="utf-8")
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E806", project, before)
    assert "unknown key(s) entity_lables at /; known keys: entity_labels" in run.stderr


def test_an_unknown_top_level_key_in_annotators_yaml_is_a_coded_error(project):
    before = dist_files(project)
    path = project / "annotations" / "annotators.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "reviewers: []\n", encoding="utf-8")
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E806", project, before)
    assert "unknown key(s) reviewers at /; known keys: annotators" in run.stderr


def test_a_schema_description_that_is_not_text_is_a_coded_error(project):
    before = dist_files(project)
    schema = project / "annotations" / "schema.yaml"
    schema.write_text(schema.read_text(encoding="utf-8").replace("stance_labels:\n", "stance_labels:\n  odd: [1, 2]\n"),
                      encoding="utf-8")
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E807", project, before)
    assert "/stance_labels/odd must be a text (the label's description), got list" in run.stderr


def test_an_annotator_description_that_is_not_text_is_a_coded_error(project):
    before = dist_files(project)
    path = project / "annotations" / "annotators.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - {id: team-z, kind: k, description: {a: 1}}\n",
                    encoding="utf-8")
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E807", project, before)
    assert "/annotators/4/description must be a text, got dict" in run.stderr


def test_a_missing_label_studio_export_is_a_coded_error(project):
    run = run_cli(project, "import", "labelstudio", "no-such-export.json", "--annotator", "team-d")
    assert run.code == 1 and "E430" in run.stderr + run.stdout and "Traceback" not in run.stderr, run.stderr
