"""Tests of `newsstance adjudicate` (builder/cli/adjudicate.py, builder/review/drafts.py) on a copy of the seed."""

from __future__ import annotations

import json
import shutil

import pytest

from builder.cli import main
from builder.errors import InputError
from builder.review.drafts import apply_draft, write_draft
from builder.sources.annotations import load_annotation_file
from factories import REPO

SEED = "000_b81791b00934b5a0"


@pytest.fixture()
def seed(tmp_path):
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    shutil.copytree(REPO / "annotations", tmp_path / "annotations")
    (tmp_path / "annotations" / "gold" / f"{SEED}.json").unlink()
    return tmp_path


def args(root, *more):
    return ["--annotations", str(root / "annotations"), *more]


def fill_as_the_gold_did(path):
    """Each open decision: team-a's and team-b's candidate (the guideline spans, the holders' QIDs); French no QID."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for d in data["decisions"]:
        if d["decision"] is None:
            d["decision"] = next(c["choice"] for c in d["candidates"] if c["annotators"] == ["team-a", "team-b"])
            d["reason"] = "guidelines"
        elif "'French'" in d["item"]:
            d["decision"], d["reason"] = "no qid", "a NORP names a people, not a country"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def test_adjudicate_writes_a_draft_that_validate_refuses(seed, capsys):
    assert main(["adjudicate", SEED, *args(seed)]) == 0
    draft = json.loads((seed / "annotations" / "gold" / f"{SEED}.json").read_text(encoding="utf-8"))
    assert sum(d["decision"] is None for d in draft["decisions"]) == 15
    assert main(["validate", "--corpus", str(seed / "corpus"), *args(seed)]) == 1
    out = capsys.readouterr().out
    assert out.count("E940") >= 15 and "is an open decision" in out


def test_a_decided_but_unapplied_draft_is_refused(seed, capsys):
    path = write_draft(seed / "annotations", SEED)
    fill_as_the_gold_did(path)
    assert main(["validate", "--corpus", str(seed / "corpus"), *args(seed)]) == 1
    assert "E941" in capsys.readouterr().out


def test_apply_gives_the_current_gold_and_validate_passes(seed, capsys):
    path = write_draft(seed / "annotations", SEED)
    fill_as_the_gold_did(path)
    assert main(["adjudicate", SEED, "--apply", *args(seed)]) == 0
    made, problems = load_annotation_file(path)
    gold, _ = load_annotation_file(REPO / "annotations" / "gold" / f"{SEED}.json")
    assert not problems
    assert (made.entities, made.stances, made.cleaning) == (gold.entities, gold.stances, gold.cleaning)
    assert main(["validate", "--corpus", str(seed / "corpus"), *args(seed)]) == 0


def test_an_existing_gold_file_is_not_overwritten(seed):
    path = write_draft(seed / "annotations", SEED)
    path.write_text(path.read_text(encoding="utf-8").replace('"draft', '"draft'), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(InputError, match=r"E942 .*already exists"):
        write_draft(seed / "annotations", SEED)
    assert path.read_bytes() == before
    assert main(["adjudicate", SEED, "--overwrite", *args(seed)]) == 0


def test_fewer_than_two_annotators_are_refused(seed):
    with pytest.raises(InputError, match=r"E943 .*1 annotator set\(s\) among team-a, team-z"):
        write_draft(seed / "annotations", SEED, annotators=("team-a", "team-z"))


def test_annotators_chooses_the_sets(seed):
    path = write_draft(seed / "annotations", SEED, annotators=("team-a", "team-b"))
    assert json.loads(path.read_text(encoding="utf-8"))["adjudicated_from"] == ["team-a", "team-b"]


def test_apply_without_a_gold_file_is_refused(seed):
    with pytest.raises(InputError, match=r"E945 .*no gold set to apply"):
        apply_draft(seed / "annotations", SEED)


def test_the_draft_is_the_same_bytes_twice(seed):
    path = write_draft(seed / "annotations", SEED)
    first = path.read_bytes()
    assert write_draft(seed / "annotations", SEED, overwrite=True).read_bytes() == first


def test_apply_leaves_a_gold_set_without_candidates_as_written(tmp_path, capsys):
    shutil.copytree(REPO / "annotations", tmp_path / "annotations")
    path = tmp_path / "annotations" / "gold" / f"{SEED}.json"
    path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8"))), encoding="utf-8")  # one line, as a user may
    before = path.read_bytes()
    assert main(["adjudicate", SEED, "--apply", *args(tmp_path)]) == 0
    assert path.read_bytes() == before
    assert "nothing to apply" in capsys.readouterr().out


def test_adjudicate_finds_the_projects_annotations_from_a_subfolder(seed, monkeypatch):
    monkeypatch.chdir(seed / "corpus")
    assert main(["adjudicate", SEED]) == 0
    assert (seed / "annotations" / "gold" / f"{SEED}.json").is_file()


@pytest.mark.parametrize("article_id", ["../team-a/" + SEED, "a/b", ".."])
def test_an_id_that_is_a_path_is_refused(seed, article_id):
    before = {p: p.read_bytes() for p in (seed / "annotations").rglob("*.json")}
    with pytest.raises(InputError, match=r"E947 .*is not an article id"):
        apply_draft(seed / "annotations", article_id)
    with pytest.raises(InputError, match=r"E947 .*is not an article id"):
        write_draft(seed / "annotations", article_id, overwrite=True)
    assert {p: p.read_bytes() for p in (seed / "annotations").rglob("*.json")} == before
