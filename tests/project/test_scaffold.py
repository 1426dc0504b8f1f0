"""builder/project/scaffold.py: an empty project's files, and a folder that is not empty refused."""

from __future__ import annotations

import pytest
import yaml

from builder.errors import InputError
from builder.output.card import MARKER, front_matter
from builder.project.scaffold import init_project
from builder.sources.annotations import load_annotators, load_schema


def test_init_writes_the_files_of_an_empty_project(tmp_path):
    made = init_project(tmp_path / "new")
    assert set(made.files) == {"annotations/schema.yaml", "annotations/annotators.yaml", "annotations/GUIDELINES.md",
                               "DATASET_CARD.md", "CHANGELOG.md", ".gitignore"}
    assert all((tmp_path / "new" / f).is_dir() for f in ("corpus", "annotations", "benchmarks/results"))


def test_the_schema_and_annotators_load(tmp_path):
    init_project(tmp_path)
    assert "PERSON" in load_schema(tmp_path / "annotations" / "schema.yaml").entity_labels
    assert load_annotators(tmp_path / "annotations" / "annotators.yaml") == {}


def test_the_card_template_has_every_generated_marker_and_no_seed_fact(tmp_path):
    init_project(tmp_path, "Pidgin news")
    front, body = front_matter((tmp_path / "DATASET_CARD.md").read_text(encoding="utf-8"))
    assert front == {"pretty_name": "Pidgin news", "license": "unknown"}
    assert set(MARKER.findall(body)) == {"version", "build", "corpus", "languages", "tasks", "splits", "labels",
                                         "annotators", "agreement", "benchmarks"}
    for heading in ("Motivation", "Composition", "Collection process", "Annotation", "Uses", "Limitations",
                    "Distribution", "Maintenance"):
        assert f"## {heading}" in body
    for seed_fact in ("English", "seed", "Brazil", "AI agent", "Ukraine", "peace"):
        assert seed_fact not in body


def test_a_name_with_yaml_syntax_stays_a_string(tmp_path):
    init_project(tmp_path, "news: a #1 corpus")
    card = (tmp_path / "DATASET_CARD.md").read_text(encoding="utf-8")
    assert yaml.safe_load(card.split("---\n")[1])["pretty_name"] == "news: a #1 corpus"


def test_the_name_defaults_to_the_folder_name(tmp_path):
    init_project(tmp_path / "my-corpus")
    assert "# my-corpus\n" in (tmp_path / "my-corpus" / "DATASET_CARD.md").read_text(encoding="utf-8")


def test_a_folder_with_files_is_refused_and_left_as_it_was(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match=r"E460 .*: cannot create a new project here: the path is a folder that "
                                         r"already holds notes.txt\n.*fix: give `newsstance init` a new or empty folder"):
        init_project(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_file_is_refused(tmp_path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"E460 .*the path is a file, not a folder"):
        init_project(tmp_path / "f")
