"""builder/release/licences.py: the schema's list of licences that allow redistribution."""

from __future__ import annotations

import pytest

from builder.errors import InputError
from builder.release.licences import annotations_licence, may_redistribute, redistributable
from factories import REPO


def test_the_repository_schema_lists_open_licences_and_the_seed_text_is_not_one():
    allowed = redistributable(REPO / "annotations" / "schema.yaml")
    assert {"CC-BY-4.0", "CC0-1.0"} <= allowed
    assert not may_redistribute(None, allowed) and may_redistribute("CC-BY-4.0", allowed)


def test_a_schema_without_the_list_allows_no_text():
    assert redistributable(REPO / "annotations" / "annotators.yaml") == frozenset()


def test_a_list_that_is_not_of_ids_is_refused(tmp_path):
    path = tmp_path / "schema.yaml"
    path.write_text("redistributable_licenses: CC-BY-4.0\n")
    with pytest.raises(InputError, match=r"E101 .*'redistributable_licenses' must be a list of SPDX ids"):
        redistributable(path)


def test_a_project_made_by_init_lists_the_same_open_licences(tmp_path):
    from builder.project.scaffold import init_project

    init_project(tmp_path / "p", name="P")
    assert redistributable(tmp_path / "p" / "annotations" / "schema.yaml") == redistributable(
        REPO / "annotations" / "schema.yaml")


def test_the_annotations_licence_is_the_schemas_or_none():
    assert annotations_licence(REPO / "annotations" / "schema.yaml") == "CC-BY-4.0"
    assert annotations_licence(REPO / "annotations" / "annotators.yaml") is None


def test_an_annotations_licence_that_is_not_an_id_is_refused(tmp_path):
    path = tmp_path / "schema.yaml"
    path.write_text("annotations_license: [CC-BY-4.0]\n")
    with pytest.raises(InputError, match=r"E101 .*'annotations_license' must be an SPDX id or null"):
        annotations_licence(path)
