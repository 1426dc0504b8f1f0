"""builder/release/withhold.py: a public release withholds every text of the restricted article, nothing else."""

from __future__ import annotations

import json

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builder.pipeline import build
from builder.release.withhold import BLOCK_CHARS, ReleaseStep, block_hashes, withheld_batch
from builder.views import VIEWS
from factories import config_for, files_of
from release.conftest import DISTINCT, RESTRICTED, TEXT, mixed_project


def strings(value):
    """Every string inside a value (nested lists and structs included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def all_strings(folder):
    for path in sorted(folder.rglob("*.parquet")):
        for row in pq.read_table(path).to_pylist():
            yield path.relative_to(folder).as_posix(), row, list(strings(row))


def test_the_public_release_holds_no_string_of_the_restricted_text(mixed):
    scanned = 0
    for name, _, found in all_strings(mixed.public):
        for value in found:
            scanned += 1
            assert not (len(value) >= 4 and value in TEXT), (name, value)
            assert not any(word.lower() in value.lower() for word in DISTINCT), (name, value)
    assert scanned > 100


def words_found(folder):
    """(file, piece) for each name or line of the restricted text found in a file of ``folder`` that is not
    Parquet (the card's own prose has common words such as "declared": only the names and lines count)."""
    pieces = [*DISTINCT[:4], *(line for line in TEXT.splitlines() if len(line) > 20)]
    return [(path.relative_to(folder).as_posix(), piece) for path in sorted(folder.rglob("*"))
            if path.is_file() and path.suffix != ".parquet"
            for piece in pieces if piece in path.read_text(encoding="utf-8")]


def test_the_card_manifest_croissant_and_figures_of_the_public_release_quote_none_of_the_text(mixed):
    assert {"README.md", "manifest.json", "croissant.json", "hydration.json"} <= set(files_of(mixed.public))
    assert any(name.startswith("figures/") for name in files_of(mixed.public))
    assert words_found(mixed.public) == []


def test_disagreements_decided_by_rule_are_counted_not_quoted_for_a_withheld_article(tmp_path):
    root = mixed_project(tmp_path / "project")
    (root / "annotations" / "gold" / f"{RESTRICTED}.json").unlink()
    team_b = root / "annotations" / "team-b" / f"{RESTRICTED}.json"
    data = json.loads(team_b.read_text())
    team_b.write_text(json.dumps(data | {"entities": [e for e in data["entities"] if e["id"] != "e2"]}))
    public = build(config_for(root, tmp_path / "public", release="public", allow_unadjudicated=True))
    full = build(config_for(root, tmp_path / "full", allow_unadjudicated=True))
    assert "Ivo Brandtlund&#39;: team-a PERSON, team-b (none)" in (full / "README.md").read_text()  # escaped
    assert ("README.md", "Brandtlund") in words_found(full)  # the scan finds a name where it is
    assert words_found(public) == []
    line = f"article {RESTRICTED}: 1 disagreement(s) decided by rule; the lines that name them quote its text"
    assert line in (public / "README.md").read_text()
    assert json.loads((public / "manifest.json").read_text())["unadjudicated_disagreements"][0].startswith(line)


def test_the_full_build_holds_the_restricted_text_where_the_public_one_has_null(mixed):
    def documents(folder):
        return {r["id"]: r for r in pq.read_table(folder / "documents" / "train-00000-of-00001.parquet").to_pylist()}
    full, public = documents(mixed.full), documents(mixed.public)
    assert full[RESTRICTED]["raw_text"] == TEXT and public[RESTRICTED]["raw_text"] is None
    assert public["a1"] == full["a1"]  # the CC-BY-4.0 article is untouched


def test_ids_offsets_labels_url_sha256_and_public_holder_keys_stay(mixed):
    table = pq.read_table(mixed.public / "documents" / "train-00000-of-00001.parquet").to_pylist()
    row = next(r for r in table if r["id"] == RESTRICTED)
    full = next(r for r in pq.read_table(mixed.full / "documents" / "train-00000-of-00001.parquet").to_pylist()
                if r["id"] == RESTRICTED)
    assert (row["url"], row["raw_sha256"], row["license"]) == (full["url"], full["raw_sha256"], None)
    assert [(e["id"], e["label"], e["raw_start"], e["raw_end"], e["start"], e["qid"], e["text"]) for e in row["entities"]] \
        == [(e["id"], e["label"], e["raw_start"], e["raw_end"], e["start"], e["qid"], None) for e in full["entities"]]
    keys = {s["id"]: (s["holder"], s["holder_key"]) for s in row["stances"]}
    assert keys == {"s1": (None, None), "s2": (None, "Q217799"), "s3": ("the article's author", "@author")}


def test_every_config_loads_with_load_dataset_with_the_features_of_the_full_build(mixed, tmp_path):
    for config in VIEWS:
        full = datasets.load_dataset(str(mixed.full), config, cache_dir=str(tmp_path / "full"))
        public = datasets.load_dataset(str(mixed.public), config, cache_dir=str(tmp_path / "public"))
        assert public["train"].features == full["train"].features
        assert public["train"].num_rows == full["train"].num_rows > 0
    ner = datasets.load_dataset(str(mixed.public), "ner", cache_dir=str(tmp_path / "public"))["train"]
    tokens = [row["tokens"] for row in ner if row["article_id"] == RESTRICTED]
    assert tokens and all(token is None for sentence in tokens for token in sentence)


def test_the_manifest_and_the_card_say_what_is_withheld_and_how_to_hydrate(mixed):
    release = json.loads((mixed.public / "manifest.json").read_text())["release"]
    assert release["kind"] == "public" and release["withheld_articles"] == [RESTRICTED]
    assert release["article_licenses"] == {"CC-BY-4.0": 1, "unknown": 1}
    assert "newsstance hydrate" in release["hydrate"]["command"]
    card = (mixed.public / "README.md").read_text()
    assert "**Public release:** the texts of 1 article(s)" in card and "`b2`" in card
    assert "license_details:" in card and "license_name: newsstance-mixed" in card
    hydration = json.loads((mixed.public / "hydration.json").read_text())["articles"]
    assert [(a["id"], a["raw_length"], len(a["block_sha256"])) for a in hydration] == [
        (RESTRICTED, len(TEXT), -(-len(TEXT) // BLOCK_CHARS))]


def test_the_full_build_says_its_restricted_texts_are_not_for_publishing(mixed):
    release = json.loads((mixed.full / "manifest.json").read_text())["release"]
    assert release["restricted_texts_included"] == [RESTRICTED] and not release["include_restricted_texts"]
    assert "**Full build, not for publishing:**" in (mixed.full / "README.md").read_text()
    assert not (mixed.full / "hydration.json").exists()


def test_block_hashes_cover_the_text_in_blocks_of_code_points():
    text = "é" * (BLOCK_CHARS + 1)
    assert len(block_hashes(text)) == 2 and block_hashes(text)[1] == block_hashes("é")[0]


def documents_batch(licence):
    schema = pa.schema([("id", pa.string()), ("license", pa.string()), ("rights", pa.string()), ("url", pa.string()),
                        ("raw_sha256", pa.string()), ("raw_text", pa.string())])
    return pa.RecordBatch.from_pylist([{"id": "x", "license": licence, "rights": "r", "url": None,
                                        "raw_sha256": "f" * 64, "raw_text": "secret words"}], schema=schema)


@pytest.mark.parametrize("licence, withheld", [("CC-BY-4.0", False), (None, True), ("LicenseRef-paywall", True)])
def test_an_article_is_restricted_unless_its_licence_is_listed(licence, withheld):
    step = ReleaseStep(public=True, allowed=frozenset({"CC-BY-4.0"}))
    (batch,) = step.apply({("documents", "train"): [documents_batch(licence)]})[("documents", "train")]
    assert (batch.column("raw_text")[0].as_py() is None) == withheld
    assert step.restricted == (["x"] if withheld else []) and len(step.withheld) == withheld


def test_a_full_release_notes_restricted_articles_but_keeps_their_text():
    step = ReleaseStep(public=False, allowed=frozenset())
    (batch,) = step.apply({("documents", "train"): [documents_batch(None)]})[("documents", "train")]
    assert batch.column("raw_text")[0].as_py() == "secret words"
    assert step.restricted == ["x"] and step.withheld == []  # a full build keeps no hashes


def test_a_batch_without_withheld_rows_is_passed_on_as_it_is():
    batch = documents_batch(None)
    assert withheld_batch(batch, "documents", frozenset({"other"})) is batch


def test_the_cache_and_workers_never_mix_full_and_public_results(mixed, tmp_path):
    from builder.pipeline import build
    from factories import config_for, files_of

    cache = tmp_path / "cache"
    public = build(config_for(mixed.root, tmp_path / "public", release="public", cache_dir=cache, workers=2))
    full = build(config_for(mixed.root, tmp_path / "full", cache_dir=cache))
    again = build(config_for(mixed.root, tmp_path / "again", release="public", cache_dir=cache))
    assert files_of(full) == files_of(mixed.full)
    assert files_of(public) == files_of(again) == files_of(mixed.public)
