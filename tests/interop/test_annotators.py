"""New annotators of an import -> annotators.yaml, with the kind the user gave; none without a kind."""

from __future__ import annotations

import pytest

from builder.errors import InputError
from builder.interop.annotators import register_annotators
from builder.sources.annotations import load_annotators
from conftest import REPO
from factories import fail_on


def written(root, *annotators):
    return [root / a / "a1.json" for a in annotators]


def test_a_new_annotator_is_appended_with_its_kind_and_the_comments_stay(tmp_path):
    (tmp_path / "annotators.yaml").write_text((REPO / "annotations" / "annotators.yaml").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    before = (tmp_path / "annotators.yaml").read_text(encoding="utf-8")
    done = register_annotators(tmp_path, written(tmp_path, "team-a", "ls-2"), ["export.json"], lambda a: "human")
    assert done.added == ("ls-2",) and done.problems == ()
    text = (tmp_path / "annotators.yaml").read_text(encoding="utf-8")
    assert text.startswith(before)
    annotators = load_annotators(tmp_path / "annotators.yaml")
    assert annotators["ls-2"].kind == "human" and "export.json" in annotators["ls-2"].description
    assert list(annotators)[:4] == ["team-a", "team-b", "team-c", "gold"]


def test_a_missing_annotators_file_is_made(tmp_path):
    register_annotators(tmp_path, written(tmp_path, "m1"), ["x.json"], lambda a: "model")
    assert load_annotators(tmp_path / "annotators.yaml")["m1"].kind == "model"


def test_without_a_kind_nothing_is_added_and_it_says_how(tmp_path):
    done = register_annotators(tmp_path, written(tmp_path, "ls-2"), ["x.json"], lambda a: None)
    assert done.left_out == ("ls-2",) and not (tmp_path / "annotators.yaml").exists()
    with pytest.raises(InputError, match=r"E436 .*annotators\.yaml: annotator 'ls-2' is not in .*: no kind was given"):
        fail_on(done.problems)


def test_an_unknown_kind_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"E428 import options: option annotator-kind='robot' is invalid"):
        register_annotators(tmp_path, written(tmp_path, "ls-2"), ["x.json"], lambda a: "robot")
