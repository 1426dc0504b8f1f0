"""builder/release/croissant.py: croissant.json of the seed build, validated and read by mlcroissant."""

from __future__ import annotations

import json

import datasets
import mlcroissant
import pytest

from builder.config import BuildConfig
from builder.pipeline import build
from builder.views import VIEWS
from factories import REPO, files_of


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "build"
    return build(BuildConfig(corpus_dir=REPO / "corpus", annotations_dir=REPO / "annotations",
                             card_path=REPO / "DATASET_CARD.md", benchmarks_dir=REPO / "benchmarks" / "results",
                             output_dir=out))


def test_the_seed_croissant_validates_and_gives_the_records_of_load_dataset(seed, tmp_path):
    dataset = mlcroissant.Dataset(jsonld=str(seed / "croissant.json"))
    for config in VIEWS:
        loaded = datasets.load_dataset(str(seed), config, cache_dir=str(tmp_path))
        records = list(dataset.records(record_set=config))
        assert len(records) == sum(split.num_rows for split in loaded.values()) > 0, config


def test_validation_finds_no_error_and_only_the_date_it_leaves_out(seed):
    issues = mlcroissant.Dataset(jsonld=str(seed / "croissant.json")).metadata.ctx.issues
    assert not issues.errors
    assert [w for w in issues.warnings if "datePublished" not in w] == []  # no timestamps: same build, same bytes


def test_records_carry_the_values_of_the_parquet(seed):
    dataset = mlcroissant.Dataset(jsonld=str(seed / "croissant.json"))
    (record,) = list(dataset.records(record_set="documents"))
    assert record["documents/raw_sha256"].decode() == json.loads((REPO / "corpus" / "000_b81791b00934b5a0.meta.json")
                                                                  .read_text())["sha256"]
    assert record["documents/license"] is None and len(record["documents/entities"]) > 10


def test_class_label_names_are_an_enumeration(seed):
    dataset = mlcroissant.Dataset(jsonld=str(seed / "croissant.json"))
    names = [r["ner/ner_tags-labels/name"] for r in dataset.records(record_set="ner/ner_tags-labels")]
    features = datasets.load_dataset_builder(str(seed), "ner").info.features
    assert names == features["ner_tags"].feature.names


def test_every_parquet_file_is_in_the_distribution_with_its_sha256(seed):
    document = json.loads((seed / "croissant.json").read_text())
    outputs = json.loads((seed / "manifest.json").read_text())["outputs"]
    files = {f["contentUrl"]: f["sha256"] for f in document["distribution"] if f["@type"] == "cr:FileObject"}
    assert files == {name: entry["sha256"] for name, entry in outputs.items() if name.endswith(".parquet")}
    assert "http://mlcommons.org/croissant/RAI/1.0" in document["conformsTo"]


def test_the_same_build_gives_the_same_bytes(seed, tmp_path):
    again = build(BuildConfig(corpus_dir=REPO / "corpus", annotations_dir=REPO / "annotations",
                              card_path=REPO / "DATASET_CARD.md", benchmarks_dir=REPO / "benchmarks" / "results",
                              output_dir=tmp_path / "again"))
    assert files_of(again)["croissant.json"] == files_of(seed)["croissant.json"]


def test_the_rai_fields_tell_the_seed_annotators_as_annotators_yaml_does(seed):
    from builder.sources.annotations import load_annotators

    document = json.loads((seed / "croissant.json").read_text())
    annotators = load_annotators(REPO / "annotations" / "annotators.yaml")
    assert document["rai:annotatorDemographics"] == [f"{a.id} ({a.kind}): {a.description}" for a in annotators.values()]
    assert all("AI" in a.description for a in annotators.values())  # the project team's AI agents, as the card says
    assert document["inLanguage"] == ["en"]
    assert document["rai:annotationsPerItem"].startswith("1 article(s) with 3 annotator set(s); gold sets by origin: "
                                                         "1 adjudicated.")
    assert "1 with no known licence (all rights reserved)" in document["rai:dataCollectionRawData"]
    assert document["license"] == "https://spdx.org/licenses/CC-BY-4.0.html"  # annotations_license of schema.yaml


def test_a_project_that_states_no_annotations_licence_is_given_none(tmp_path):
    from factories import config_for, make_project

    root = make_project(tmp_path / "project")
    schema = root / "annotations" / "schema.yaml"
    schema.write_text(schema.read_text().replace("annotations_license: CC-BY-4.0", "annotations_license: null"))
    out = build(config_for(root, tmp_path / "out"))
    document = json.loads((out / "croissant.json").read_text())
    assert "license" not in document
    assert "Annotations and documentation: no licence stated" in document["rai:dataCollectionRawData"]
    assert "Annotations and documentation: no licence stated" in (out / "README.md").read_text()


def test_the_public_release_croissant_reads_the_records_with_their_texts_withheld(mixed, tmp_path):
    dataset = mlcroissant.Dataset(jsonld=str(mixed.public / "croissant.json"))
    assert not dataset.metadata.ctx.issues.errors
    for config in VIEWS:
        loaded = datasets.load_dataset(str(mixed.public), config, cache_dir=str(tmp_path))
        assert len(list(dataset.records(record_set=config))) == sum(s.num_rows for s in loaded.values()) > 0, config
    documents = {r["documents/id"].decode(): r for r in dataset.records(record_set="documents")}
    assert documents["b2"]["documents/raw_text"] is None and documents["a1"]["documents/raw_text"] is not None


def test_the_name_is_the_cards_pretty_name():
    from builder.release.croissant import dataset_name

    assert dataset_name((REPO / "DATASET_CARD.md").read_text()) == "newsstance: news entities, stances and cleaned text"
    assert dataset_name("# A card without front matter\n") == "newsstance"
