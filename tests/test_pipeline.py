"""End to end: a temporary corpus -> build -> the real load_dataset."""

import json

import pytest
from datasets import load_dataset

from builder.config import BuildConfig
from builder.errors import ConfigError, InputError
from builder.pipeline import build
from builder.views import VIEWS as CONFIGS
from factories import ARTICLE, make_project


def config_for(root, **options):
    options = {"output_dir": root / "out"} | options
    return BuildConfig(corpus_dir=root / "corpus", annotations_dir=root / "annotations",
                       card_path=root / "DATASET_CARD.md", benchmarks_dir=root / "no-results", **options)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("project"))
    return build(config_for(root))


def test_every_config_loads_with_class_label_names(built):
    for config in CONFIGS:
        dataset = load_dataset(str(built), config, split="train")
        assert len(dataset) > 0, config
    docs = load_dataset(str(built), "documents", split="train")
    entity_label = docs.features["entities"].feature["label"]
    assert entity_label.names[:3] == ["PERSON", "NORP", "FAC"]
    ner = load_dataset(str(built), "ner", split="train")
    assert ner.features["ner_tags"].feature.int2str(ner[0]["ner_tags"][:4]) == ["O", "B-PERSON", "I-PERSON", "O"]


def test_offsets_index_both_texts(built):
    doc = load_dataset(str(built), "documents", split="train")[0]
    assert "Continues after advertising" not in doc["text"] and "FREE TOOL" not in doc["text"]
    for entity in doc["entities"]:
        assert doc["text"][entity["start"]:entity["end"]] == entity["text"]
        assert doc["raw_text"][entity["raw_start"]:entity["raw_end"]] == entity["text"]
    for stance in doc["stances"]:
        for evidence in stance["evidence"]:
            assert doc["text"][evidence["start"]:evidence["end"]] == evidence["text"]


def test_stance_rows_carry_context_and_label_names(built):
    stance = load_dataset(str(built), "stance", split="train")
    labels = stance.features["label"]
    rows = {row["holder_key"]: row for row in stance}
    assert labels.int2str(rows["Q6279"]["label"]) == "favor"
    assert rows["Q1033000"]["context"] == "The Kremlin rejected it."


def test_annotations_config_has_every_annotator(built):
    rows = load_dataset(str(built), "annotations", split="train")
    assert sorted(rows["annotator"]) == ["team-a", "team-b"]
    assert all(e["agreement"] == 1.0 for row in rows for e in row["entities"])


def test_card_and_manifest(built):
    card = (built / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "config_name: documents" in card and "<!-- generated" not in card
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == "1.0.0"
    assert set(manifest["outputs"]) == {p.relative_to(built).as_posix() for p in built.rglob("*")
                                        if p.is_file() and p.name != "manifest.json"}
    assert "corpus/a1.txt" in manifest["inputs"]


def test_two_builds_are_byte_identical(tmp_path, built):
    root = make_project(tmp_path / "again")
    second = build(config_for(root))
    files = sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in files:
        assert (built / name).read_bytes() == (second / name).read_bytes(), name


def test_a_failing_build_keeps_the_previous_output(tmp_path):
    root = make_project(tmp_path)
    output = build(config_for(root))
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    (root / "corpus" / "a1.txt").write_text(ARTICLE + "tampered\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E008 "):
        build(config_for(root))
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


def test_unadjudicated_disagreement_is_refused_then_allowed(tmp_path):
    root = make_project(tmp_path, gold=False)
    path = root / "annotations" / "team-b" / "a1.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["stances"][1]["label"] = "neutral"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match=r"E115 .*article 'a1' has annotation sets but no gold set"):
        build(config_for(root))
    output = build(config_for(root, allow_unadjudicated=True))
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["build_flags"]["allow_unadjudicated"] is True
    assert "--allow-unadjudicated" in (output / "README.md").read_text(encoding="utf-8")
    stance = load_dataset(str(output), "stance", split="train")
    assert stance["holder_key"] == ["Q6279"]  # the disputed Kremlin stance is not gold


def test_card_markers_must_match_the_sections(tmp_path):
    root = make_project(tmp_path)
    card = root / "DATASET_CARD.md"
    card.write_text(card.read_text(encoding="utf-8").replace("<!-- generated: labels -->", "<!-- generated: lables -->"),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=r"E306 .*markers without a section: \['lables'\]; sections without a marker: \['labels'\]"):
        build(config_for(root))


@pytest.mark.parametrize("options, message", [
    ({"version": "1.0"}, r"E301 .*version '1.0' is not MAJOR.MINOR.PATCH"),
    ({"version": "1.0.0\n"}, r"E301 .*version '1.0.0\\n' is not MAJOR.MINOR.PATCH"),  # "$" would let it through
    ({"version": "1.0.\u0662"}, r"E301 .*is not MAJOR.MINOR.PATCH"),  # an Arabic-Indic digit: "\d" would let it through
    ({"split_ratios": (("train", 0.5), ("test", 0.2))}, r"E302 .*split ratios must be positive and sum to 1"),
    ({"workers": 0}, r"E301 .*workers must be at least 1"),
])
def test_bad_configuration(options, message):
    with pytest.raises(ConfigError, match=message):
        BuildConfig(**options)


def test_a_config_without_rows_has_no_file_with_or_without_a_cache(tmp_path):
    from factories import annotation, default_entities, write_annotation
    root = make_project(tmp_path / "project")
    for annotator in ("team-a", "team-b", "gold"):  # no stances: the stance config has no rows
        write_annotation(root / "annotations", annotation("a1", ARTICLE, annotator, entities=default_entities(), stances=[]))
    outputs = {}
    for name, options in (("plain", {}), ("cached", {"cache_dir": tmp_path / "cache"})):
        out = build(config_for(root, output_dir=tmp_path / name, **options))
        outputs[name] = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert not any(name.startswith("stance/") for name in outputs["plain"])
    assert "documents/train-00000-of-00001.parquet" in outputs["plain"]
    assert outputs["plain"] == outputs["cached"]


@pytest.mark.parametrize(("content", "expected"), [
    (None, r"E816 .*DATASET_CARD.md: cannot read the card text .*: No such file or directory"),
    (b"# Caf\xe9\n", r"E816 .*DATASET_CARD.md: cannot read the card text .*: not UTF-8 \(byte offset 5\)"),
], ids=["missing", "not UTF-8"])
def test_an_unreadable_card_text_is_refused_and_nothing_is_written(tmp_path, content, expected):
    project = make_project(tmp_path / "p")
    card = project / "DATASET_CARD.md"
    card.unlink() if content is None else card.write_bytes(content)
    with pytest.raises(InputError, match=expected):
        build(config_for(project))
    assert not (project / "out").exists()
