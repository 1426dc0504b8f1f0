"""builder/output/manifest.py: the manifest's files, inputs and streamed parts, bytes as json.dumps writes them."""

from __future__ import annotations

import hashlib
import json
import textwrap
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.agreement.tally import AgreementPiece
from builder.article.build import ArticleSummary, InputFile
from builder.config import BuildConfig
from builder.output.manifest import (MANIFEST, Scratch, input_files, manifest_outputs, sorted_inputs,
                                     tokenization_entry, write_json, write_json_streamed)

json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
                           lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c, max_size=3),
                           max_leaves=12)


def rendered(entries: dict) -> list[tuple[str, str]]:
    """(key, value as json.dumps(indent=2)) of each entry: what ``write_json_streamed`` is given."""
    return [(key, json.dumps(value, indent=2, ensure_ascii=False)) for key, value in entries.items()]


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=5), json_values, max_size=4),
       st.dictionaries(st.text(max_size=5), json_values, max_size=5))
def test_a_streamed_document_is_json_dumps_of_the_whole(tmp_path_factory, head, big):
    folder = tmp_path_factory.mktemp("json")
    write_json(folder / "whole.json", {**head, "nested": {"big": big, "after": 1}, "last": [1]})
    placeholder = "\x00big\x00"
    write_json_streamed(folder / "streamed.json", {**head, "nested": {"big": placeholder, "after": 1}, "last": [1]},
                        {placeholder: rendered(big)})
    assert (folder / "streamed.json").read_bytes() == (folder / "whole.json").read_bytes()


def test_two_streamed_parts_at_different_depths(tmp_path):
    by_article = {"a1": {"alpha": 0.5, "pairs": [1, 2]}, "é\"\n": {"alpha": None}}
    inputs = {"corpus/a1.txt": "0" * 64, "corpus/中.txt": "1" * 64}
    whole = {"agreement": {"pooled": 0.5, "by_article": by_article}, "inputs": inputs, "outputs": {}}
    write_json(tmp_path / "whole.json", whole)
    write_json_streamed(tmp_path / "streamed.json",
                        {"agreement": {"pooled": 0.5, "by_article": "\x00a\x00"}, "inputs": "\x00i\x00", "outputs": {}},
                        {"\x00a\x00": rendered(by_article), "\x00i\x00": rendered(inputs)})
    assert (tmp_path / "streamed.json").read_bytes() == (tmp_path / "whole.json").read_bytes()


def test_an_empty_streamed_part_is_an_empty_object(tmp_path):
    write_json_streamed(tmp_path / "m.json", {"inputs": "\x00i\x00", "after": 1}, {"\x00i\x00": []})
    assert (tmp_path / "m.json").read_text(encoding="utf-8") == textwrap.dedent("""\
        {
          "inputs": {},
          "after": 1
        }
        """)


def test_a_streamed_part_over_several_writes(tmp_path):
    big = {f"key-{i}\u00e9\"": {"value": i, "text": "a\nb"} for i in range(2 * 1024 + 7)}  # more than two blocks
    write_json(tmp_path / "whole.json", {"big": big, "after": 1})
    write_json_streamed(tmp_path / "streamed.json", {"big": "\x00big\x00", "after": 1}, {"\x00big\x00": rendered(big)})
    assert (tmp_path / "streamed.json").read_bytes() == (tmp_path / "whole.json").read_bytes()


def test_write_json_is_indented_non_ascii_with_a_final_newline(tmp_path):
    write_json(tmp_path / "m.json", {"b": "Zoë", "a": [1]})
    assert (tmp_path / "m.json").read_text(encoding="utf-8") == '{\n  "b": "Zoë",\n  "a": [\n    1\n  ]\n}\n'


def test_outputs_are_every_file_but_the_manifest_sorted_with_rows_for_parquet(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "test.parquet").write_bytes(b"PAR1")
    (tmp_path / "README.md").write_text("card", encoding="utf-8")
    (tmp_path / MANIFEST).write_text("{}", encoding="utf-8")
    outputs = manifest_outputs(tmp_path, {"c/test.parquet": 5})
    assert outputs == {"README.md": {"sha256": hashlib.sha256(b"card").hexdigest(), "size": 4},
                       "c/test.parquet": {"sha256": hashlib.sha256(b"PAR1").hexdigest(), "size": 4, "rows": 5}}


def test_outputs_take_the_sha256_already_known(tmp_path):
    (tmp_path / "x.parquet").write_bytes(b"PAR1")
    assert manifest_outputs(tmp_path, {}, {"x.parquet": "f" * 64})["x.parquet"]["sha256"] == "f" * 64


def project(root):
    """corpus/, annotations/ (nested), the card and benchmark results: the files a build lists as inputs."""
    files = {"corpus/a1.txt": "text", "corpus/a1.meta.json": "{}", "annotations/schema.yaml": "labels",
             "annotations/gold/a1.json": "{}", "annotations/team-a/deep/a1.json": "{}", "DATASET_CARD.md": "card",
             "benchmarks/results/run.json": "{}", "benchmarks/results/notes.txt": "not listed"}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return BuildConfig(corpus_dir=root / "corpus", annotations_dir=root / "annotations",
                       card_path=root / "DATASET_CARD.md", benchmarks_dir=root / "benchmarks" / "results")


def test_input_files_are_the_corpus_annotations_card_and_benchmark_results(tmp_path):
    names = {name for name, _ in input_files(project(tmp_path))}
    assert names == {"corpus/a1.txt", "corpus/a1.meta.json", "annotations/schema.yaml", "annotations/gold/a1.json",
                     "annotations/team-a/deep/a1.json", "DATASET_CARD.md", "benchmarks/results/run.json"}


def test_input_files_without_benchmark_results(tmp_path):
    config = project(tmp_path)
    config = BuildConfig(corpus_dir=config.corpus_dir, annotations_dir=config.annotations_dir,
                         card_path=config.card_path, benchmarks_dir=tmp_path / "none")
    assert not any(name.startswith("benchmarks/") for name, _ in input_files(config))


def summary(article_id: str, *inputs: InputFile, agreement: AgreementPiece | None = None) -> ArticleSummary:
    return ArticleSummary(article_id, True, "train", {}, {}, "gold", (), agreement, tuple(inputs))


def piece(by_article: str | None) -> AgreementPiece:
    """An article's agreement; ``by_article`` None: fewer than two annotators, no manifest entry."""
    return AgreementPiece(("team-a", "team-b"), True, (), (), (), 0, by_article)


def test_sorted_inputs_take_what_articles_read_and_hash_the_rest(tmp_path):
    config = project(tmp_path / "project")
    (tmp_path / "scratch").mkdir()
    scratch = Scratch(tmp_path / "scratch")
    read = {"corpus/a1.txt": "a" * 64, "corpus/a1.meta.json": "b" * 64, "annotations/gold/a1.json": "c" * 64,
            "corpus/gone.txt": "d" * 64}  # read, then removed: not an input any more
    scratch.add(summary("a1", *(InputFile(name, sha) for name, sha in read.items())))
    try:
        found = list(sorted_inputs(scratch, config))
    finally:
        scratch.close()
    sha = {name: hashlib.sha256((tmp_path / "project" / name).read_bytes()).hexdigest()
           for name in ("DATASET_CARD.md", "annotations/schema.yaml", "annotations/team-a/deep/a1.json",
                        "benchmarks/results/run.json")}
    assert found == [("DATASET_CARD.md", f'"{sha["DATASET_CARD.md"]}"'),
                     ("annotations/gold/a1.json", f'"{"c" * 64}"'),
                     ("annotations/schema.yaml", f'"{sha["annotations/schema.yaml"]}"'),
                     ("annotations/team-a/deep/a1.json", f'"{sha["annotations/team-a/deep/a1.json"]}"'),
                     ("benchmarks/results/run.json", f'"{sha["benchmarks/results/run.json"]}"'),
                     ("corpus/a1.meta.json", f'"{"b" * 64}"'), ("corpus/a1.txt", f'"{"a" * 64}"')]


def test_scratch_gives_the_agreement_entries_in_article_order(tmp_path):
    scratch = Scratch(tmp_path)
    for article_id, entry in (("b", '{"alpha": 1}'), ("a", None), ("中", '{\n  "x": "é"\n}')):
        scratch.add(summary(article_id, agreement=piece(entry)))
    scratch.add(summary("c"))  # no agreement at all
    assert list(scratch.agreement_entries()) == [("b", '{"alpha": 1}'), ("中", '{\n  "x": "é"\n}')]
    scratch.close()


def test_tokenization_entry_names_each_language_tokenizer_and_counts_split_tokens():
    entry = tokenization_entry(Counter(pcm=2, en=1), {"b": 1, "a": 3})
    assert entry == {"languages": {"en": {"articles": 1, "spacy_language": "en", "spacy_class": "English"},
                                   "pcm": {"articles": 2, "spacy_language": "xx", "spacy_class": "MultiLanguage"}},
                     "split_tokens": {"total": 4, "by_article": {"a": 3, "b": 1}}}
    assert list(entry["split_tokens"]["by_article"]) == ["a", "b"]  # sorted: the same bytes whatever the order


def test_content_sha256_names_the_parquet_files_whatever_their_order():
    from builder.output.manifest import content_sha256
    files = {"ner/test-00000-of-00001.parquet": "a" * 64, "documents/test-00000-of-00001.parquet": "b" * 64}
    expected = hashlib.sha256(f"documents/test-00000-of-00001.parquet {'b' * 64}\n"
                              f"ner/test-00000-of-00001.parquet {'a' * 64}\n".encode()).hexdigest()
    assert content_sha256(files) == content_sha256(dict(reversed(files.items()))) == expected
    assert content_sha256({**files, "ner/test-00000-of-00001.parquet": "c" * 64}) != expected
