"""CoNLL export of the built ner config: read back by the `datasets` library's own conll builder."""

from __future__ import annotations

import re
import textwrap

import pytest
from datasets import Dataset, load_dataset

from builder.sources.annotations import load_schema
from builder.cli import main
from builder.errors import InputError
from builder.interop.conll import COLUMNS, conll_features, export_conll, ner_rows_to_conll
from builder.pipeline import build
from builder.views.schema import bio_names
from conftest import REPO
from factories import config_for, make_project, write_built

SCHEMA = load_schema(REPO / "annotations" / "schema.yaml")
TAGS = bio_names(SCHEMA)


def sentence(article_id, index, pairs):
    tokens = [t for t, _ in pairs]
    starts = [sum(len(t) + 1 for t in tokens[:i]) for i in range(len(tokens))]
    return {"id": f"{article_id}-{index}", "article_id": article_id, "sentence_index": index, "tokens": tokens,
            "ner_tags": [tag for _, tag in pairs], "token_starts": starts,
            "token_ends": [s + len(t) for s, t in zip(starts, tokens)]}




@pytest.fixture(autouse=True)
def no_download_counts(monkeypatch):
    """load_dataset("conll") pings a download counter on S3 unless told not to; tests stay offline."""
    monkeypatch.setattr("datasets.config.HF_UPDATE_DOWNLOAD_COUNTS", False)


def load_back(paths, cache):
    loaded = load_dataset("conll", data_files={split: str(p) for split, p in paths.items()}, column_names=list(COLUMNS),
                          features=conll_features(TAGS), cache_dir=str(cache))
    names = loaded[next(iter(paths))].features["ner_tags"].feature.int2str
    return {split: [(row["tokens"], names(row["ner_tags"])) for row in loaded[split]] for split in paths}


SPLITS = {
    "train": [sentence("b", 1, [("“", "O"), ("We", "O"), ("back", "O"), ("it", "O"), (",", "O"), ("”", "O"),
                                ("Biden", "B-PERSON"), ("said", "O"), (".", "O")]),
              sentence("b", 0, [("Joe", "B-PERSON"), ("Biden", "I-PERSON"), ("met", "O"), ("Kraków", "B-GPE"),
                                ("-DOCSTART", "O"), ("on", "O"), ("Monday", "B-DATE"), ("🙂", "O")]),
              sentence("a", 0, [("The", "O"), ("Kremlin", "B-ORG"), ("said", "O"), ("nothing", "O")])],
    "test": [sentence("c", 0, [("New", "B-GPE"), ("York", "I-GPE"), ("City", "I-GPE"), ("Council", "B-ORG")])],
}


def test_files_load_back_in_datasets_with_identical_tags(tmp_path):
    paths = export_conll(write_built(tmp_path / "ds", "ner", SPLITS), tmp_path / "out")
    loaded = load_back(paths, tmp_path / "cache")
    for split, rows in SPLITS.items():
        ordered = sorted(rows, key=lambda r: (r["article_id"], r["sentence_index"]))
        assert loaded[split] == [(r["tokens"], r["ner_tags"]) for r in ordered]


def test_the_file_is_conll_2003_with_document_markers():
    rows = [sentence("a", 0, [("Joe", "B-PERSON"), ("Biden", "I-PERSON")]), sentence("a", 1, [("Hi", "O")]),
            sentence("b", 0, [("Kyiv", "B-GPE")])]
    text, problems = ner_rows_to_conll(rows, lambda tag: tag, "x")  # tags given as names here
    assert problems == []
    assert text == textwrap.dedent("""\
        -DOCSTART- -X- -X- O

        Joe _ _ B-PERSON
        Biden _ _ I-PERSON

        Hi _ _ O

        -DOCSTART- -X- -X- O

        Kyiv _ _ B-GPE

        """)


@pytest.mark.parametrize("token, reason", [("New York", "it contains whitespace"), ("", "it is empty"),
                                           ("\u00a0", "it contains whitespace"),
                                           ("-DOCSTART-", "readers skip lines starting with -DOCSTART-")])
def test_tokens_the_format_cannot_hold_stop_the_export(tmp_path, token, reason):
    dataset = write_built(tmp_path / "ds", "ner", {"train": [sentence("a", 0, [(token, "B-GPE"), ("x", "O")])]})
    with pytest.raises(InputError, match=rf"E424 .*ner/train: article a, sentence 0, token 0: token {re.escape(repr(token))} "
                                         rf"cannot be written as one CoNLL column: {reason}"):
        export_conll(dataset, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_tags_that_are_not_iob2_stop_the_export(tmp_path):
    dataset = write_built(tmp_path / "ds", "ner", {"train": [sentence("a", 0, [("Joe", "B-PERSON"), ("Biden", "I-ORG")])]})
    with pytest.raises(InputError, match=r"E425 .*article a, sentence 0: tag 'I-ORG' of token 1 \('Biden'\) does not continue an entity"):
        export_conll(dataset, tmp_path / "out")


def test_a_folder_that_is_not_a_build_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"E422 .*has no ner/<split>-\*\.parquet files"):
        export_conll(tmp_path, tmp_path / "out")


def built_ner(built):
    found = {}
    for path in sorted((built / "ner").glob("*.parquet")):
        rows = Dataset.from_parquet(str(path))
        names = rows.features["ner_tags"].feature.int2str
        ordered = sorted(rows, key=lambda r: (r["article_id"], r["sentence_index"]))
        found[path.name.split("-")[0]] = [(r["tokens"], names(r["ner_tags"])) for r in ordered]
    return found


def test_the_export_of_a_real_build_matches_its_ner_rows(tmp_path):
    root = make_project(tmp_path / "project")
    built = build(config_for(root, tmp_path / "built"))
    loaded = load_back(export_conll(built, tmp_path / "out"), tmp_path / "cache")
    assert loaded == built_ner(built)
    assert ["Joe", "Biden"] == [t for tokens, tags in loaded["train"] for t, g in zip(tokens, tags) if g.endswith("PERSON")][:2]


def test_the_export_of_the_seed_build(tmp_path, repo):
    if not any(p.parent.name != "labelstudio" for p in (repo / "annotations").glob("*/*.json")):
        pytest.skip("the seed article has no annotation set yet")
    built = build(config_for(repo, tmp_path / "built"))
    loaded = load_back(export_conll(built, tmp_path / "out"), tmp_path / "cache")
    assert loaded == built_ner(built) and sum(len(tokens) for tokens, _ in loaded["test"]) > 100


def test_the_command_writes_one_file_per_split(tmp_path, capsys):
    dataset = write_built(tmp_path / "ds", "ner", SPLITS)
    assert main(["export", "conll", "--dataset", str(dataset), "--output", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["test.conll", "train.conll"]
    assert "test" in capsys.readouterr().out
