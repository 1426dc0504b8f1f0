"""The repository's own dataset: the seed article, its three annotation passes and the gold set."""

import json

import pytest
from datasets import load_dataset

from builder.config import BuildConfig
from builder.pipeline import build

SEED = "000_b81791b00934b5a0"
DEBRIS_LINES = {"FREE TOOL", "XP simulator", "Find out in 1 minute how much your money can yield",
                "Continues after advertising"}


@pytest.fixture(scope="module")
def built(repo, tmp_path_factory):
    return build(BuildConfig(corpus_dir=repo / "corpus", annotations_dir=repo / "annotations",
                             card_path=repo / "DATASET_CARD.md", benchmarks_dir=repo / "benchmarks" / "results",
                             output_dir=tmp_path_factory.mktemp("seed") / "out"))


@pytest.fixture(scope="module")
def document(built):
    return load_dataset(str(built), "documents", split="test")[0]


def test_cleaned_seed_has_no_debris_and_every_sentence(document):
    raw_lines = document["raw_text"].splitlines()
    clean_lines = document["text"].splitlines()
    assert [line for line in raw_lines if line not in DEBRIS_LINES] == clean_lines
    assert not DEBRIS_LINES & set(clean_lines)
    assert {"difficult moment", "Capitulation"} <= set(clean_lines)  # headings are content


def test_every_entity_indexes_both_texts(document):
    assert len(document["entities"]) >= 80
    for entity in document["entities"]:
        assert document["text"][entity["start"]:entity["end"]] == entity["text"]
        assert document["raw_text"][entity["raw_start"]:entity["raw_end"]] == entity["text"]


def test_gold_stances_cover_the_actors_of_the_plan(built):
    stance = load_dataset(str(built), "stance", split="test")
    labels = {row["holder"]: stance.features["label"].int2str(row["label"]) for row in stance}
    assert labels == {"Volodimir Zelensky": "neutral", "Washington": "favor", "European": "against",
                      "Moscow": "neutral", "Dmitry Peskov": "neutral", "European Union": "against",
                      "Jean-Noel Barrot": "against", "Marco Rubio": "favor"}
    for row in stance:
        for evidence in row["evidence"]:
            assert evidence["text"] in row["context"]


def test_every_annotator_is_published_with_an_honest_description(built):
    rows = load_dataset(str(built), "annotations", split="test")
    assert sorted(rows["annotator"]) == ["team-a", "team-b", "team-c"]
    assert all("Not a recruited annotator" in d for d in rows["annotator_description"])


def test_manifest_and_card_carry_the_agreement(built):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    entities = manifest["agreement"]["corpus"]["entities"]
    assert 0 < entities["f1"] <= 1 and entities["alpha"]["value"] is not None
    assert manifest["gold_sources"] == {"adjudicated": 1}
    card = (built / "README.md").read_text(encoding="utf-8")
    assert "Annotator agreement" in card and "Krippendorff" in card
