"""builder/inputs.py: listing the files of each article and reading them."""

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.sources.annotations import RESERVED, load_annotation_file, load_annotators, load_schema
from builder.config import BuildConfig
from builder.sources.corpus import is_safe_id
from builder.errors import InputError, problem
from builder.sources.listing import (NOT_JSON, ArticleBytes, ArticleFiles, annotation_listing,
                            index_by_content, index_inputs, meta_document, problem_order, raw_name, read_annotation,
                            read_files)
from builder.pipeline import build
from builder.validate import validate_inputs
from factories import ARTICLE, annotation, full_document, make_project, sha, write_article


# --- the position of a file's problems in the report ---------------------------------------------

def test_problem_order_of_a_corpus_file_is_its_name_alone():
    assert problem_order(0, "some/corpus/a1.meta.json") == (0, "", "a1.meta.json")


def test_problem_order_of_an_annotation_file_is_its_folder_then_its_name():
    assert problem_order(1, Path("annotations/team-a/a1.json")) == (1, "team-a", "a1.json")


def test_problem_order_puts_the_corpus_then_the_annotation_files_then_the_sets():
    keys = [problem_order(2, "annotations/team-a/a1.json"), problem_order(1, "annotations/team-b/a1.json"),
            problem_order(0, "corpus/z9.meta.json")]
    assert [key[0] for key in sorted(keys)] == [0, 1, 2]


def test_problem_order_sorts_annotation_files_by_folder_before_name():
    assert problem_order(1, "annotations/team-a/b1.json") < problem_order(1, "annotations/team-b/a1.json")


# --- the annotation files, listed by name ----------------------------------------------------------

@pytest.fixture
def reversed_listing(monkeypatch):
    """A file system that lists every folder in reverse name order, so that sorting is seen to happen."""
    scandir = os.scandir

    class Listing(list):  # iterable and a context manager, as os.scandir's iterator is
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def listing(path="."):
        with scandir(path) as entries:
            return Listing(sorted(entries, key=lambda entry: entry.name, reverse=True))

    monkeypatch.setattr(os, "scandir", listing)


def touch(path: Path, text: str = "{}") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_annotation_listing_of_a_missing_folder_are_none(tmp_path):
    assert annotation_listing(tmp_path / "annotations")[0] == {}


def test_annotation_listing_sort_the_folders_and_the_names_in_each(tmp_path, reversed_listing):
    for name in ("team-b/b1.json", "team-b/a1.json", "team-a/c1.json"):
        touch(tmp_path / name)
    assert list(annotation_listing(tmp_path)[0].items()) == [("team-a", ["c1"]), ("team-b", ["a1", "b1"])]


def test_annotation_listing_list_a_folder_without_files(tmp_path):
    (tmp_path / "team-a").mkdir()
    assert annotation_listing(tmp_path)[0] == {"team-a": []}


def test_annotation_listing_leave_out_the_files_of_a_nested_folder(tmp_path):
    touch(tmp_path / "team-a" / "a1.json")
    touch(tmp_path / "team-a" / "old" / "b1.json")
    assert annotation_listing(tmp_path)[0] == {"team-a": ["a1"]}


def test_annotation_listing_names_the_json_files_of_nested_folders(tmp_path):
    touch(tmp_path / "team-a" / "a1.json")
    touch(tmp_path / "team-a" / "old" / "b1.json")
    touch(tmp_path / "team-a" / "old" / "deeper" / "c1.json")
    touch(tmp_path / "team-a" / "old" / "notes.txt")
    (tmp_path / "team-a" / "old" / "d1.json").mkdir()
    touch(tmp_path / "brat" / "old" / "e1.json")  # a tool's folder is not an annotator's
    assert annotation_listing(tmp_path) == ({"team-a": ["a1"]}, [tmp_path / "team-a" / "old" / "b1.json",
                                                                  tmp_path / "team-a" / "old" / "deeper" / "c1.json"])


@pytest.mark.parametrize("other", ["notes.txt", "b1.json.bak", "b1.JSON", "b1.json/"])
def test_annotation_listing_take_only_json_files(tmp_path, other):
    touch(tmp_path / "team-a" / "a1.json")
    if other.endswith("/"):
        (tmp_path / "team-a" / other).mkdir()
    else:
        touch(tmp_path / "team-a" / other)
    assert annotation_listing(tmp_path)[0] == {"team-a": ["a1"]}


@pytest.mark.parametrize("tool", sorted(RESERVED))
def test_annotation_listing_skip_the_folders_of_the_annotation_tools(tmp_path, tool):
    touch(tmp_path / "team-a" / "a1.json")
    touch(tmp_path / tool / "config.json")
    assert annotation_listing(tmp_path)[0] == {"team-a": ["a1"]}


def test_annotation_listing_skip_files_beside_the_folders(tmp_path):
    touch(tmp_path / "a1.json")
    assert annotation_listing(tmp_path)[0] == {}


# --- the files of each article, grouped by name --------------------------------------------------

@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path, annotators=("team-a",), gold=False)


def listed(project, **options):
    return index_inputs(project / "corpus", project / "annotations", **options)


def files_of(index) -> dict[str, tuple[str, ...]]:
    return {files.name: files.annotations for files in index}


def says(project, annotator: str, name: str, article_id: str) -> Path:
    """Annotation file ``<annotator>/<name>.json`` that says article ``article_id``."""
    return touch(project / "annotations" / annotator / f"{name}.json",
                 json.dumps(annotation(article_id, ARTICLE, annotator)))


def test_index_pairs_the_metadata_file_with_the_annotation_files_of_the_same_name(tmp_path, reversed_listing):
    project = make_project(tmp_path)  # team-a, team-b and gold
    index = listed(project)
    assert list(index) == [ArticleFiles("a1", str(project / "corpus" / "a1.meta.json"), str(project / "annotations"),
                                        ("gold/a1.json", "team-a/a1.json", "team-b/a1.json"))]
    assert not index.by_content and index.problems == () and index.unmatched == ()


def test_annotation_paths_join_the_root_and_each_name():
    files = ArticleFiles("a1", "corpus/a1.meta.json", "annotations", ("gold/a1.json", "team-a/a1.json"))
    assert files.annotation_paths() == [Path("annotations/gold/a1.json"), Path("annotations/team-a/a1.json")]


def test_index_lists_the_articles_sorted_by_id_not_in_file_system_order(project, reversed_listing):
    for article_id in ("b1", "a10", "a2"):
        write_article(project / "corpus", article_id, ARTICLE)
    index = listed(project)
    assert [files.name for files in index] == list(index.names) == ["a1", "a10", "a2", "b1"]
    assert len(index) == 4


def test_index_lists_an_article_without_annotation_files(project):
    write_article(project / "corpus", "b1", ARTICLE)
    assert files_of(listed(project)) == {"a1": ("team-a/a1.json",), "b1": ()}


def test_index_by_name_keeps_a_file_with_its_name_when_it_says_another_article(project):
    write_article(project / "corpus", "b1", ARTICLE)
    says(project, "team-a", "a1", "b1")
    index = listed(project)
    assert files_of(index) == {"a1": ("team-a/a1.json",), "b1": ()} and not index.by_content


def test_a_stray_file_that_names_no_article_is_unmatched_and_reported_as_E102(project):
    path = says(project, "team-a", "zz", "zz")
    index = listed(project)
    assert [aset.article_id for aset in index.unmatched] == ["zz"]
    ((key, found),) = index.problems
    assert key == problem_order(2, path) and found.code == "E102"
    assert str(found).startswith(f"E102 {path}: unknown article id 'zz'")
    assert files_of(index) == {"a1": ("team-a/a1.json",)}


def test_a_stray_file_that_cannot_be_read_is_reported_not_unmatched(project):
    path = touch(project / "annotations" / "team-a" / "zz.json", "{")
    index = listed(project)
    ((key, found),) = index.problems
    assert key == problem_order(1, path) and found.code == "E001" and found.file == str(path)
    assert index.unmatched == ()


def test_a_stray_file_that_names_a_known_article_groups_the_files_by_content(project):
    says(project, "team-a", "copy", "a1")
    index = listed(project)
    assert index.by_content and files_of(index) == {"a1": ("team-a/a1.json", "team-a/copy.json")}
    assert index.problems == ()


def test_metadata_names_differing_only_in_case_group_by_content_and_collide_as_E004(project):
    for article_id in ("b1", "B1"):
        write_article(project / "corpus", article_id, ARTICLE)
    index = listed(project)
    assert index.by_content and index.names == ("B1", "a1")
    ((key, found),) = index.problems
    meta_path = project / "corpus" / "b1.meta.json"
    assert key == problem_order(0, meta_path)
    other = project / "corpus" / "B1.txt"
    assert str(found).startswith(f"E004 {meta_path}: duplicate article id 'b1' (also in {other})")


@pytest.mark.parametrize("corpus", ["missing", "empty", "raw text only"])
def test_a_corpus_without_metadata_files_is_E304_naming_the_folder(project, corpus):
    folder = project / "corpus"
    for path in folder.glob("*.meta.json" if corpus == "raw text only" else "*"):
        path.unlink()
    if corpus == "missing":
        folder.rmdir()
    index = listed(project)
    orphans = [p.code for _, p in index.problems if p.code == "E809"]
    assert orphans == (["E809"] if corpus == "raw text only" else [])  # a1.txt, without its metadata
    (key, found), (_, stray) = sorted(((k, p) for k, p in index.problems if p.code != "E809"), key=lambda item: item[0])
    assert key == (0, "", "") and str(found).startswith(f"E304 {folder}: no articles found in {folder}")
    assert stray.code == "E102" and len(index) == 0  # team-a/a1.json now names no article


@pytest.mark.parametrize("by_content", [False, True])
def test_an_unreadable_label_schema_is_reported_and_no_annotation_file_is_listed(project, by_content):
    schema_path = touch(project / "annotations" / "schema.yaml", "entity_labels: [")
    index = listed(project, by_content=by_content)
    assert index.schema is None and index.annotators == {}
    ((key, found),) = index.problems
    assert key == (1, "", "") and found.code == "E002" and found.file == str(schema_path)
    assert files_of(index) == {"a1": ()} and index.unmatched == ()


@pytest.mark.parametrize("by_content", [False, True])
def test_an_annotation_file_in_a_nested_folder_is_reported_E117(project, by_content):
    nested = project / "annotations" / "team-a" / "old" / "a1.json"
    nested.parent.mkdir()
    nested.write_bytes((project / "annotations" / "team-a" / "a1.json").read_bytes())
    index = listed(project, by_content=by_content)
    assert [(p.code, p.file) for _, p in index.problems] == [("E117", str(nested))]
    assert files_of(index) == {"a1": ("team-a/a1.json",)}  # and not read
    with pytest.raises(InputError, match=r"E117 .*team-a/old/a1\.json: annotation file inside a folder of the "
                                         r"annotator folder 'team-a': it is not read\n    fix: move it into "
                                         r"annotations/team-a/"):
        build(BuildConfig(corpus_dir=project / "corpus", annotations_dir=project / "annotations",
                          output_dir=project / "out", card_path=project / "DATASET_CARD.md"))


def test_a_missing_label_schema_is_reported_not_raised(project):
    schema_path = project / "annotations" / "schema.yaml"
    schema_path.unlink()
    index = listed(project)
    assert index.schema is None and [(found.code, found.file) for _, found in index.problems] == [("E015", str(schema_path))]


LATIN1_BEFORE = b"entity_labels:\n  PERSON: "  # then a label definition written in Latin-1


@pytest.mark.parametrize("name, content, detail", [
    ("schema.yaml", None, "No such file or directory"),
    ("annotators.yaml", None, "No such file or directory"),
    ("schema.yaml", LATIN1_BEFORE + b"\xe9t\xe9\n", rf"not UTF-8 \(byte 0xe9 at byte offset {len(LATIN1_BEFORE)}\)"),
])
def test_an_unreadable_schema_or_annotator_list_is_E015(project, name, content, detail):
    path = project / "annotations" / name
    path.unlink() if content is None else path.write_bytes(content)
    load = load_schema if name == "schema.yaml" else load_annotators
    with pytest.raises(InputError, match=rf"E015 .*{re.escape(name)}: cannot read {re.escape(name)}: {detail}\n"
                                         r"    fix: restore the file or correct its path; it must be UTF-8 text"):
        load(path)


# --- the files of each article, grouped by the ids inside them -------------------------------------

def test_by_content_groups_a_file_with_the_article_its_content_names(project):
    write_article(project / "corpus", "b1", ARTICLE)
    says(project, "team-a", "a1", "b1")
    index = listed(project, by_content=True)
    assert index.by_content and files_of(index) == {"a1": (), "b1": ("team-a/a1.json",)}
    assert index.problems == ()


def test_by_content_lists_the_articles_sorted_by_the_ids_inside_the_metadata(project):
    corpus = project / "corpus"
    (corpus / "a1.meta.json").rename(corpus / "2.meta.json")
    write_article(corpus, "b1", ARTICLE)
    (corpus / "b1.meta.json").rename(corpus / "1.meta.json")
    index = listed(project, by_content=True)
    assert [(files.name, Path(files.meta).name) for files in index] == [("a1", "2.meta.json"), ("b1", "1.meta.json")]


def test_by_content_reports_a_second_metadata_file_with_the_same_id_as_E004(project):
    corpus = project / "corpus"
    copy = corpus / "copy.meta.json"
    copy.write_bytes((corpus / "a1.meta.json").read_bytes())
    index = listed(project, by_content=True)
    assert [Path(files.meta).name for files in index] == ["a1.meta.json"]
    ((key, found),) = index.problems
    assert key == problem_order(0, copy) and str(found).startswith(f"E004 {copy}: duplicate article id 'a1'")


def test_by_content_reports_a_file_naming_no_article_as_E102(project):
    path = says(project, "team-a", "a1", "zz")
    index = listed(project, by_content=True)
    assert files_of(index) == {"a1": ()} and [aset.article_id for aset in index.unmatched] == ["zz"]
    ((key, found),) = index.problems
    assert key == problem_order(2, path) and str(found).startswith(f"E102 {path}: unknown article id 'zz'")


def test_by_content_leaves_out_an_article_whose_metadata_cannot_be_read(project):
    write_article(project / "corpus", "b1", ARTICLE)
    meta_path = touch(project / "corpus" / "a1.meta.json", "{")
    index = listed(project, by_content=True)
    assert index.names == ("b1",)
    assert [(key, found.code, found.file) for key, found in index.problems][0] == (
        problem_order(0, meta_path), "E001", str(meta_path))


def test_index_by_content_keeps_only_the_label_schemas_problems_found_before(project):
    annotations_dir = project / "annotations"
    schema_problem = problem("E002", annotations_dir / "schema.yaml", detail="x", line=1)
    stray_problem = problem("E102", annotations_dir / "team-a" / "zz.json", id="zz")
    index = index_by_content(project / "corpus", annotations_dir, load_schema(annotations_dir / "schema.yaml"),
                             load_annotators(annotations_dir / "annotators.yaml"),
                             [((1, "", ""), schema_problem), (problem_order(2, stray_problem.file), stray_problem)])
    assert [found for _, found in index.problems] == [schema_problem]


# --- one article's files, read once ----------------------------------------------------------------

def read_article_files(project, change=None) -> ArticleBytes:
    meta_path = project / "corpus" / "a1.meta.json"
    if change is not None:
        data = json.loads(meta_path.read_text(encoding="utf-8"))
        change(data)
        meta_path.write_text(json.dumps(data), encoding="utf-8")
    (files,) = listed(project)
    return read_files(files)


def test_read_files_gives_every_file_of_the_article_and_the_raw_texts_sha256(tmp_path):
    project = make_project(tmp_path)
    data = read_article_files(project)
    meta_bytes = (project / "corpus" / "a1.meta.json").read_bytes()
    assert data.meta == meta_bytes and data.document == json.loads(meta_bytes)
    assert (data.raw, data.raw_name, data.raw_sha256) == (ARTICLE.encode("utf-8"), "a1.txt", sha(ARTICLE))
    assert data.annotations == tuple((project / "annotations" / name).read_bytes() for name in data.files.annotations)
    assert len(data.annotations) == 3


def test_read_files_of_metadata_that_is_not_json_reads_no_raw_file(project):
    (project / "corpus" / "a1.meta.json").write_bytes(b"{not json")
    data = read_article_files(project)
    assert data.meta == b"{not json" and data.document is NOT_JSON
    assert (data.raw, data.raw_name, data.raw_sha256) == (None, None, None)
    assert len(data.annotations) == 1


def test_read_files_of_metadata_naming_a_missing_raw_file_gives_no_raw_text(project):
    (project / "corpus" / "a1.txt").unlink()
    data = read_article_files(project)
    assert data.document["file"] == "a1.txt"
    assert (data.raw, data.raw_name, data.raw_sha256) == (None, None, None)


def test_read_files_does_not_read_a_raw_file_outside_the_corpus(project):
    (project / "outside.txt").write_text(ARTICLE, encoding="utf-8")
    data = read_article_files(project, lambda meta: meta.update(file="../outside.txt"))
    assert (data.raw, data.raw_name, data.raw_sha256) == (None, None, None)


def test_read_files_of_a_raw_name_that_is_a_folder_gives_no_raw_text(project):
    (project / "corpus" / "b1.txt").mkdir()
    data = read_article_files(project, lambda meta: meta.update(file="b1.txt"))
    assert (data.raw, data.raw_name, data.raw_sha256) == (None, None, None)


def test_read_files_reads_an_empty_raw_file_and_does_not_take_it_as_missing(project):
    (project / "corpus" / "a1.txt").write_bytes(b"")
    data = read_article_files(project)
    assert (data.raw, data.raw_name, data.raw_sha256) == (b"", "a1.txt", sha(""))


def test_read_files_of_a_raw_name_the_system_cannot_open_gives_no_raw_text(project):
    data = read_article_files(project, lambda meta: meta.update(file="a1.t\0xt"))
    assert (data.raw, data.raw_name, data.raw_sha256) == (None, None, None)
    report = validate_inputs(project / "corpus", project / "annotations")
    assert [p.code for p in report.problems][0] == "E011"  # as load_article words it: the raw file does not exist


# --- the metadata's JSON document and the raw file it names ----------------------------------------

@pytest.mark.parametrize("text, document", [
    ('{"id": "a1"}', {"id": "a1"}),
    ("null", None),
    ("[1]", [1]),
    ('{"id": "a1\\u00e9"}', {"id": "a1é"}),
])
def test_meta_document_of_json_text_is_its_document(text, document):
    assert meta_document(text.encode("utf-8")) == document


@pytest.mark.parametrize("data", [
    pytest.param(b"", id="empty"),
    pytest.param(b"{not json", id="syntax error"),
    pytest.param(b'{"id": "a1\xff"}', id="not UTF-8"),
    pytest.param(b'\xef\xbb\xbf{"id": "a1"}', id="byte-order mark"),
    pytest.param(b'{"id": "a1\\ud800"}', id="lone surrogate"),
    pytest.param(b'{"id": "a1\\ud83d\\ude00"}', id="surrogate pair: may be lone, left to the loader"),
    pytest.param(b'{"id": "a1\\\\ud800"}', id="escaped backslash before ud800: left to the loader"),
    pytest.param(b'{"n": ' + b"1" * 5000 + b"}", id="integer too long"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested too deep"),
])
def test_meta_document_of_bytes_that_are_not_json_is_not_json(data):
    assert meta_document(data) is NOT_JSON


@pytest.mark.parametrize("name", ["a1.txt", "a1", "a1.tar.gz", "a1.", "A-1_b.txt", "a1..txt"])
def test_raw_name_gives_a_plain_file_name_whose_stem_is_a_safe_id(name):
    assert raw_name({"file": name}) == name


@pytest.mark.parametrize("data", [
    pytest.param(["a1.txt"], id="not an object"),
    pytest.param(NOT_JSON, id="NOT_JSON"),
    pytest.param({}, id="no file"),
    pytest.param({"file": None}, id="null"),
    pytest.param({"file": 1}, id="not a string"),
    pytest.param({"file": ""}, id="empty"),
    pytest.param({"file": "sub/a1.txt"}, id="in a folder"),
    pytest.param({"file": "../a1.txt"}, id="outside the corpus"),
    pytest.param({"file": "a1.txt/b1"}, id="a folder whose stem is safe"),
    pytest.param({"file": ".."}, id="parent"),
    pytest.param({"file": ".txt"}, id="suffix only"),
    pytest.param({"file": "a..b.txt"}, id="two dots in the stem"),
    pytest.param({"file": "-a1.txt"}, id="stem starts with a dash"),
    pytest.param({"file": "a1 b.txt"}, id="space in the stem"),
    pytest.param({"file": "a" * 129 + ".txt"}, id="stem too long"),
])
def test_raw_name_of_anything_else_is_none(data):
    assert raw_name(data) is None


@given(st.text(alphabet="a1.-_/ \\", max_size=8) | st.text(max_size=12))
def test_raw_name_is_what_load_article_requires(name):
    required = Path(name).name == name and is_safe_id(Path(name).stem)
    assert raw_name({"file": name}) == (name if required else None)


# --- an annotation file, read: the fast path, or the loader ----------------------------------------

def test_read_annotation_reads_offsets_written_as_floats_as_the_loader_does(tmp_path):
    document = full_document()
    document["entities"][0]["start"] = float(document["entities"][0]["start"])
    path = tmp_path / "team-a" / "a1.json"
    path.parent.mkdir()
    path.write_text(json.dumps(document), encoding="utf-8")
    aset, problems = read_annotation(path, path.read_bytes())
    assert (aset, problems) == load_annotation_file(path) and not problems
    assert type(aset.entities[0].start) is int


@pytest.mark.parametrize("text, code", [('{"start": 1.5, ', "E001"), (b'{"start": 1.5, "x": "\xff"}', "E005")])
def test_read_annotation_words_a_broken_file_with_floats_as_the_loader_does(tmp_path, text, code):
    path = tmp_path / "team-a" / "a1.json"
    path.parent.mkdir()
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    aset, problems = read_annotation(path, path.read_bytes())
    assert (aset, problems) == load_annotation_file(path) and [p.code for p in problems] == [code]


def test_a_raw_file_without_its_metadata_is_reported(project):
    (project / "corpus" / "orphan.txt").write_text("Nobody's text.\n", encoding="utf-8")
    index = listed(project)
    with pytest.raises(InputError, match=r"E809 .*orphan.txt: raw file orphan.txt is named by no metadata file"):
        raise InputError([p for _, p in index.problems])


def test_a_fifo_annotation_file_is_listed_and_refused_without_blocking(project):
    os.mkfifo(project / "annotations" / "team-a" / "b1.json")
    index = listed(project)
    with pytest.raises(InputError, match=r"E803 .*b1.json: b1.json is not a regular file but a FIFO"):
        raise InputError([p for _, p in index.problems])
