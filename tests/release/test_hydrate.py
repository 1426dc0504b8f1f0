"""builder/release/hydrate.py and `newsstance hydrate`: a public release + verified copies -> the full release."""

from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builder.cli import main
from builder.errors import InputError, PublishError
from builder.publish.publish import publish
from builder.release.hydrate import download_release, hydrate_folder, release_folder
from factories import files_of
from hubserver import FakeHub, client_env, point_clients_at, run_cli
from release.conftest import RESTRICTED, TEXT

TOKEN = "hf_hydrateTestToken0123456789abcdef"


def parquet_files(folder):
    return {name: data for name, data in files_of(folder).items() if name.endswith(".parquet")}


def copies(tmp_path, data: bytes, name: str = f"{RESTRICTED}.txt"):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / name).write_bytes(data)
    return folder


def test_hydration_gives_the_bytes_of_the_full_build(mixed, tmp_path):
    result = hydrate_folder(mixed.public, mixed.texts, tmp_path / "out")
    assert result.hydrated == (RESTRICTED,) and result.left_out == ()
    full, hydrated = parquet_files(mixed.full), parquet_files(tmp_path / "out")
    assert len(full) == 5 and hydrated == full
    assert parquet_files(mixed.public) != full  # the public release really differs


def test_the_hydrated_manifest_and_croissant_describe_the_hydrated_files(mixed, tmp_path):
    hydrate_folder(mixed.public, mixed.texts, tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["release"]["kind"] == "hydrated" and manifest["release"]["hydrated_articles"] == [RESTRICTED]
    full_manifest = json.loads((mixed.full / "manifest.json").read_text())
    for name, entry in full_manifest["outputs"].items():
        if name.endswith(".parquet"):
            assert manifest["outputs"][name]["sha256"] == entry["sha256"]
    assert (tmp_path / "out" / "croissant.json").read_bytes() == (mixed.full / "croissant.json").read_bytes()
    card = (tmp_path / "out" / "README.md").read_text()
    assert "**Hydrated release:** the texts of 1 withheld article(s)" in card and "**Public release:**" not in card


def test_a_changed_character_names_the_article_and_where_and_writes_nothing(mixed, tmp_path):
    changed = TEXT.replace("Tallinn", "Tallinm")
    offset = TEXT.index("Tallinn") + len("Talli")
    with pytest.raises(InputError, match=r"E904 .*b2\.txt: article b2: .*both are 156 characters long; the first "
                                         r"difference is in characters \[64, 128\) \(line 2, column 51") as error:
        hydrate_folder(mixed.public, copies(tmp_path, changed.encode()), tmp_path / "out")
    assert 64 <= offset < 128 and "allinm on Friday" in str(error.value)
    assert not (tmp_path / "out").exists()


def test_a_crlf_copy_is_refused_and_said_to_match_once_converted(mixed, tmp_path):
    crlf = TEXT.replace("\n", "\r\n").encode()
    with pytest.raises(InputError, match=r"E903 .*article b2 has CRLF line endings \(4, the first at character 13\) "
                                         r"\(with LF line endings, the copy is the right text\)"):
        hydrate_folder(mixed.public, copies(tmp_path, crlf), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_copy_with_a_byte_order_mark_is_refused(mixed, tmp_path):
    with pytest.raises(InputError, match=r"E902 .*article b2 starts with a byte-order mark \(without it"):
        hydrate_folder(mixed.public, copies(tmp_path, b"\xef\xbb\xbf" + TEXT.encode()), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_copy_that_is_not_utf8_is_refused(mixed, tmp_path):
    with pytest.raises(InputError, match=r"E905 .*article b2 is not UTF-8 \(byte 0xff at byte offset 3\)"):
        hydrate_folder(mixed.public, copies(tmp_path, b"Sub\xffscribe"), tmp_path / "out")


def test_a_missing_copy_is_refused_and_nothing_is_written(mixed, tmp_path):
    empty = tmp_path / "texts"
    empty.mkdir()
    with pytest.raises(InputError, match=r"E901 .*article b2: no copy of the text of article b2 .*neither b2\.txt"):
        hydrate_folder(mixed.public, empty, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_skip_missing_leaves_the_article_withheld_and_says_so(mixed, tmp_path):
    empty = tmp_path / "texts"
    empty.mkdir()
    result = hydrate_folder(mixed.public, empty, tmp_path / "out", skip_missing=True)
    assert result.left_out == (RESTRICTED,) and result.hydrated == ()
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["release"]["left_out_articles"] == [RESTRICTED]
    assert parquet_files(tmp_path / "out") == parquet_files(mixed.public)


def test_a_copy_is_found_by_its_sha256_whatever_its_name(mixed, tmp_path):
    hydrate_folder(mixed.public, copies(tmp_path, TEXT.encode(), name="saved-from-browser.txt"), tmp_path / "out")
    assert parquet_files(tmp_path / "out") == parquet_files(mixed.full)


def test_a_full_build_is_not_a_release_to_hydrate(mixed, tmp_path):
    with pytest.raises(InputError, match=r"E906 .*full.*its manifest says release 'full', not 'public'"):
        hydrate_folder(mixed.full, mixed.texts, tmp_path / "out")


def test_a_text_field_this_builder_cannot_make_again_is_refused(mixed, tmp_path):
    release = tmp_path / "release"
    shutil.copytree(mixed.public, release)
    extra = release / "extra" / "train-00000-of-00001.parquet"
    extra.parent.mkdir()
    pq.write_table(pa.table({"id": ["x"], "article_id": [RESTRICTED], "quote": pa.array([None], pa.string())}), extra)
    manifest = json.loads((release / "manifest.json").read_text())
    manifest["outputs"]["extra/train-00000-of-00001.parquet"] = {"sha256": "0" * 64, "size": 1}
    (release / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(InputError, match=r"E908 .*extra.*article b2: the hydrated extra row x still lacks its text "
                                         r"field quote"):
        hydrate_folder(release, mixed.texts, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_command_hydrates_a_folder_and_reports_a_problem_with_its_code(mixed, tmp_path, capsys):
    assert main(["hydrate", str(mixed.public), "--texts", str(mixed.texts), "--output", str(tmp_path / "a")]) == 0
    assert "hydrated 1 article(s)" in capsys.readouterr().out
    bad = copies(tmp_path, TEXT.replace("\n", "\r\n").encode())
    assert main(["hydrate", str(mixed.public), "--texts", str(bad), "--output", str(tmp_path / "b")]) == 1
    assert "E903" in capsys.readouterr().err and not (tmp_path / "b").exists()


@pytest.fixture
def hub(monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    with FakeHub(token=TOKEN) as server:
        point_clients_at(server, monkeypatch)
        yield server


def test_a_release_on_the_hub_is_hydrated_by_id_and_revision(mixed, hub, tmp_path):
    publish(mixed.public, repo_id="org/mixed", endpoint=hub.url)
    run = run_cli(["hydrate", "org/mixed", "--revision", "v1.0.0", "--texts", str(mixed.texts),
                   "--output", str(tmp_path / "out")], client_env(hub, tmp_path / "hf-home", token=TOKEN))
    assert run.returncode == 0, run.stderr
    assert parquet_files(tmp_path / "out") == parquet_files(mixed.full)


def test_a_revision_the_hub_does_not_have_is_refused(mixed, hub, tmp_path):
    publish(mixed.public, repo_id="org/mixed", endpoint=hub.url)
    with pytest.raises(PublishError, match=r"E907 org/mixed: cannot download org/mixed at revision v9\.9\.9"):
        download_release("org/mixed", "v9.9.9", tmp_path / "release")


PIDGIN = "Dem reach 51.Bright come talk say e no go gree. Oga Tinubu yarn am for Abuja.\n"


def test_tokens_split_at_entity_boundaries_come_back_with_their_sentences(tmp_path):
    """A pcm article (spaCy's xx tokenizer) whose gold boundaries split "51.Bright": the split makes the
    sentencizer end a sentence at the "."; hydration must cut the stance context where the build did."""
    from builder.pipeline import build
    from factories import annotation, config_for, make_project, span, write_annotation, write_article

    root = make_project(tmp_path / "project")
    write_article(root / "corpus", "p1", PIDGIN, split="train", language="pcm")
    entities = [dict(span(PIDGIN, "51"), id="e1", label="CARDINAL"), dict(span(PIDGIN, "Bright"), id="e2", label="PERSON"),
                dict(span(PIDGIN, "Tinubu"), id="e3", label="PERSON", qid="Q3288418")]
    stances = [{"id": "s1", "holder": "e2", "target": "us-peace-plan-2025", "label": "against",
                "evidence": [span(PIDGIN, "Bright come talk say e no go gree")]}]
    for who in ("team-a", "team-b", "gold"):
        write_annotation(root / "annotations", annotation("p1", PIDGIN, who, entities=entities, stances=stances,
                                                          cleaning=[]))
    full = build(config_for(root, tmp_path / "full", cache_dir=None))
    public = build(config_for(root, tmp_path / "public", release="public"))
    assert json.loads((full / "manifest.json").read_text())["tokenization"]["split_tokens"]["by_article"] == {"p1": 1}
    stance = pq.read_table(full / "stance" / "train-00000-of-00001.parquet").to_pylist()
    assert [r["context"] for r in stance if r["article_id"] == "p1"] == ["Bright come talk say e no go gree."]
    ner = pq.read_table(full / "ner" / "train-00000-of-00001.parquet").to_pylist()
    assert ["51", ".", "Bright"] == [t for r in ner if r["article_id"] == "p1" for t in r["tokens"]][2:5]
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "p1.txt").write_bytes(PIDGIN.encode())
    (texts / "a1.txt").write_bytes((root / "corpus" / "a1.txt").read_bytes())
    hydrate_folder(public, texts, tmp_path / "out")
    assert parquet_files(tmp_path / "out") == parquet_files(full)


@pytest.mark.parametrize("name", ["dist/1.0.0-pubic", "./nothing/here", "org/name/extra"])
def test_a_folder_that_is_not_there_is_not_taken_for_a_hub_id(tmp_path, monkeypatch, name):
    (tmp_path / "dist").mkdir()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=r"E906 .*is not a public release of newsstance .*there is no such folder"):
        release_folder(name, None, tmp_path / "scratch")


def test_the_command_says_a_mistyped_folder_is_not_there_and_writes_nothing(mixed, tmp_path, monkeypatch, capsys):
    (tmp_path / "dist").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["hydrate", "dist/1.0.0-pubic", "--texts", str(mixed.texts), "--output", "out"]) == 1
    assert "E906 dist/1.0.0-pubic: " in capsys.readouterr().err and not (tmp_path / "out").exists()
