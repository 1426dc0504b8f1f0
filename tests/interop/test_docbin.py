"""spaCy DocBin export of the built documents config: read back by spacy.training.Corpus."""

from __future__ import annotations

import pytest
import spacy
from datasets import Dataset
from spacy.training import Corpus

from builder.cli import main
from builder.errors import InputError
from builder.interop.docbin import export_spacy
from builder.pipeline import build
from factories import config_for, make_project, write_built

TEXT = "President Joe Biden met Olaf Scholz in Berlin.\n“We back the plan,” Biden said."


def entity(quoted, label, nth=0, text=TEXT, start=None, end=None):
    position = -1
    for _ in range(nth + 1):
        position = text.index(quoted, position + 1)
    start = position if start is None else start
    end = position + len(quoted) if end is None else end
    return {"id": f"e{position}", "label": label, "text": quoted, "start": start, "end": end,
            "raw_start": start, "raw_end": end, "qid": None}


def document(article_id, text, entities):
    return {"id": article_id, "language": "en", "outlet": None, "url": None, "published": None, "rights": "test",
            "license": None, "metadata_notes": [], "inferred_fields": [], "raw_sha256": "0" * 64, "text": text, "raw_text": text,
            "entities": entities, "stances": [], "debris": [], "gold_source": "gold", "annotators": []}




def read_back(path):
    nlp = spacy.blank("en")
    return [(example.reference.user_data.get("article_id"),
             [(e.start_char, e.end_char, e.label_, e.text) for e in example.reference.ents])
            for example in Corpus(str(path))(nlp)]


def expected(rows):
    return [(row["id"], [(e["start"], e["end"], e["label"], e["text"]) for e in sorted(row["entities"], key=lambda e: e["start"])])
            for row in sorted(rows, key=lambda r: r["id"])]


def test_each_split_reads_back_with_identical_entities(tmp_path):
    splits = {"train": [document("b", TEXT, [entity("Biden", "PERSON", 1), entity("Joe Biden", "PERSON"),
                                            entity("Berlin", "GPE")]),
                        document("a", "Nothing here.", [])],
              "test": [document("c", TEXT, [entity("Olaf Scholz", "PERSON")])]}
    paths = export_spacy(write_built(tmp_path / "ds", "documents", splits), tmp_path / "out")
    assert sorted(paths) == ["test", "train"]
    for split, rows in splits.items():
        assert read_back(paths[split]) == expected(rows)


def test_a_misaligned_entity_stops_the_export_instead_of_vanishing(tmp_path):
    misaligned = entity("Joe Biden ", "PERSON")  # ends in whitespace, where no token ends: spaCy would drop it (W030)
    dataset = write_built(tmp_path / "ds", "documents", {"train": [document("a", TEXT, [misaligned])]})
    with pytest.raises(InputError, match=r"E423 .*documents/train: article a, entity e10: entity 'Joe Biden ' \(PERSON\) "
                                         r"at clean offsets \[10, 20\) does not fall on token boundaries"):
        export_spacy(dataset, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_an_entity_inside_a_token_is_placed_on_the_token_split_as_the_build_splits_it(tmp_path):
    text = "Goal: 51'Bright scored, $8m."
    rows = [document("a", text, [entity("Bright", "PERSON", text=text), entity("$8m", "MONEY", text=text)])]
    paths = export_spacy(write_built(tmp_path / "ds", "documents", {"train": rows}), tmp_path / "out")
    assert read_back(paths["train"]) == expected(rows)


def test_each_article_is_tokenized_by_its_own_language(tmp_path):
    text = "Bright say im don't know."  # English splits "do" "n't"; the multi-language tokenizer does not
    rows = [dict(document("p", text, [entity("Bright", "PERSON", text=text)]), language="pcm"),
            document("e", text, [entity("Bright", "PERSON", text=text)])]
    paths = export_spacy(write_built(tmp_path / "ds", "documents", {"train": rows}), tmp_path / "out")
    assert read_back(paths["train"]) == expected(rows)
    tokens = {e.reference.user_data["article_id"]: [t.text for t in e.reference]
              for e in Corpus(str(paths["train"]))(spacy.blank("en"))}
    assert "don't" in tokens["p"] and "n't" in tokens["e"] and "don't" not in tokens["e"]


def test_overlapping_or_unprojected_entities_are_reported(tmp_path):
    rows = [document("a", TEXT, [entity("Joe Biden", "PERSON"), entity("Biden", "PERSON"),
                                 entity("Berlin", "GPE", start=None, end=None) | {"start": None, "end": None}])]
    with pytest.raises(InputError, match=r"E423 .*entity 'Biden' \(PERSON\) at clean offsets \[14, 19\) overlaps entity 'Joe Biden'") as caught:
        export_spacy(write_built(tmp_path / "ds", "documents", {"train": rows}), tmp_path / "out")
    assert "has no clean offsets" in str(caught.value)


def test_a_folder_that_is_not_a_build_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"E422 .*has no documents/<split>-\*\.parquet files"):
        export_spacy(tmp_path, tmp_path / "out")


def test_the_export_of_a_real_build_matches_its_documents(tmp_path):
    root = make_project(tmp_path / "project")
    built = build(config_for(root, tmp_path / "built"))
    docs = Dataset.from_parquet(str(built / "documents" / "train-00000-of-00001.parquet"))
    names = docs.features["entities"].feature["label"].int2str
    rows = [dict(row, entities=[dict(e, label=names(e["label"])) for e in row["entities"]]) for row in docs]
    paths = export_spacy(built, tmp_path / "out")
    assert read_back(paths["train"]) == expected(rows)
    assert len(expected(rows)[0][1]) == 6


def test_the_export_of_the_seed_build(tmp_path, repo):
    if not any(p.parent.name != "labelstudio" for p in (repo / "annotations").glob("*/*.json")):
        pytest.skip("the seed article has no annotation set yet")
    built = build(config_for(repo, tmp_path / "built"))
    paths = export_spacy(built, tmp_path / "out")
    for split, path in paths.items():
        docs = Dataset.from_parquet(str(built / "documents" / f"{split}-00000-of-00001.parquet"))
        names = docs.features["entities"].feature["label"].int2str
        rows = [dict(row, entities=[dict(e, label=names(e["label"])) for e in row["entities"]]) for row in docs]
        assert read_back(path) == expected(rows)


def test_the_command_writes_one_file_per_split(tmp_path, capsys):
    dataset = write_built(tmp_path / "ds", "documents", {"train": [document("a", TEXT, [entity("Berlin", "GPE")])]})
    assert main(["export", "spacy", "--dataset", str(dataset), "--output", str(tmp_path / "out")]) == 0
    assert "train" in capsys.readouterr().out and read_back(tmp_path / "out" / "train.spacy")[0][1][0][2] == "GPE"
    misaligned = write_built(tmp_path / "bad", "documents", {"train": [document("a", TEXT, [entity(" Berlin", "GPE")])]})
    assert main(["export", "spacy", "--dataset", str(misaligned), "--output", str(tmp_path / "out2")]) == 1
    assert "E423" in capsys.readouterr().err
