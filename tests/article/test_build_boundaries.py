"""The build keeps every span as annotated: a token a boundary falls inside is split, in any language.

Fixtures in the shape of the Nigerian Pidgin export that E201 used to refuse (``51'Bright``,
``2"Kalidou``, ``Chance!Habib``, ``$8m.``), a gold that cuts debris out of a word, and a ``pcm`` article,
built through ``pipeline.build`` and read back with ``datasets.load_dataset``.
"""

from __future__ import annotations

import json
import shutil

import pytest
from datasets import load_dataset

from builder.cli import main
from builder.pipeline import build
from conftest import SHARED
from factories import REPO, annotation, config_for, files_of, span, write_annotation, write_article

PIDGIN = ("Super Eagles win: 51'Bright Osayi-Samuel score di first goal.\n"
          "For 2\"Kalidou Koulibaly side, na Chance!Habib carry di ball go.\n"
          "Di club pay $8m. Smith AD son talk say e good.\n")
SPANS = [("Bright Osayi-Samuel", "PERSON"), ("Kalidou Koulibaly", "PERSON"), ("Chance", "PERSON"),
         ("Habib", "PERSON"), ("$8m", "MONEY"), ("Smith", "PERSON"), ("Super Eagles", "ORG")]


SPANISH = "El Real Madrid pagó 8m€. Habló Ancelotti!Vinícius marcó.\n"
SPANISH_SPANS = [("Real Madrid", "ORG"), ("Ancelotti", "PERSON"), ("Vinícius", "PERSON")]


def project(root, articles=(("p1", "pcm", PIDGIN, SPANS),)):
    """Articles of (id, language, text, spans), each with one set by team-a; " AD " is debris where it occurs."""
    (root / "annotations").mkdir(parents=True)
    for name in ("schema.yaml", "annotators.yaml"):
        shutil.copy(REPO / "annotations" / name, root / "annotations" / name)
    shutil.copy(REPO / "DATASET_CARD.md", root / "DATASET_CARD.md")
    for article_id, language, text, spans in articles:
        write_article(root / "corpus", article_id, text, language=language, split="train")
        entities = [dict(span(text, quoted), id=f"e{i}", label=label) for i, (quoted, label) in enumerate(spans)]
        cleaning = [dict(span(text, " AD "), reason="advertising")] if " AD " in text else []
        write_annotation(root / "annotations", annotation(article_id, text, "team-a", entities=entities,
                                                          cleaning=cleaning))
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = project(tmp_path_factory.mktemp("pidgin"))
    return build(config_for(root, root / "out"))


def test_every_span_arrives_in_documents_with_its_offsets_unmoved(built):
    (row,) = load_dataset(str(built), "documents", split="train")
    assert row["language"] == "pcm"
    found = {(e["text"], row["raw_text"][e["raw_start"]:e["raw_end"]], row["text"][e["start"]:e["end"]])
             for e in row["entities"]}
    assert found == {(quoted, quoted, quoted) for quoted, _ in SPANS}
    assert sorted((e["raw_start"], e["raw_end"]) for e in row["entities"]) == sorted(
        (PIDGIN.index(quoted), PIDGIN.index(quoted) + len(quoted)) for quoted, _ in SPANS)


def tagged_spans(ner) -> list[tuple[str, int, int, str]]:
    """(article id, clean start, clean end, label) of every B-/I- run of the ner rows."""
    names = ner.features["ner_tags"].feature.names
    tagged = []
    for sentence in ner:
        tags = [names[t] for t in sentence["ner_tags"]]
        for i, tag in enumerate(tags):
            if tag.startswith("B-"):
                j = i + 1
                while j < len(tags) and tags[j] == "I-" + tag[2:]:
                    j += 1
                tagged.append((sentence["article_id"], sentence["token_starts"][i], sentence["token_ends"][j - 1], tag[2:]))
    return sorted(tagged)


def entity_spans(docs) -> list[tuple[str, int, int, str]]:
    labels = docs.features["entities"].feature["label"]
    return sorted((row["id"], e["start"], e["end"], labels.int2str(e["label"])) for row in docs for e in row["entities"])


def test_the_ner_tags_cover_every_span_exactly(built):
    docs = load_dataset(str(built), "documents", split="train")
    ner = load_dataset(str(built), "ner", split="train")
    assert tagged_spans(ner) == entity_spans(docs) and len(entity_spans(docs)) == len(SPANS)
    tokens = [t for s in ner for t in s["tokens"]]
    assert {"51'", "Bright", '2"', "Kalidou", "Chance", "!", "Habib", "m", ".", "Smith", "son"} <= set(tokens)


def test_the_manifest_counts_the_split_tokens_and_names_the_tokenizer(built):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    # 51'Bright, 2"Kalidou, Chance!Habib, m. (of $8m.), Smithson (where " AD " was cut out)
    assert manifest["tokenization"]["split_tokens"] == {"total": 5, "by_article": {"p1": 5}}
    assert manifest["tokenization"]["languages"] == {
        "pcm": {"articles": 1, "spacy_language": "xx", "spacy_class": "MultiLanguage"}}


def test_a_corpus_mixing_languages_tokenizes_each_article_by_its_own(tmp_path):
    """Spanish is tokenized line by line (its rules hold whitespace), Pidgin and English in one call: one chunk."""
    root = project(tmp_path, (("p1", "pcm", PIDGIN, SPANS), ("s1", "es", SPANISH, SPANISH_SPANS),
                              ("x1", "en", PIDGIN, SPANS)))
    built = build(config_for(root, root / "out"))
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert {code: entry["spacy_class"] for code, entry in manifest["tokenization"]["languages"].items()} == {
        "en": "English", "es": "Spanish", "pcm": "MultiLanguage"}
    assert manifest["tokenization"]["split_tokens"]["by_article"]["s1"] == 1  # Ancelotti!Vinícius
    docs = load_dataset(str(built), "documents", split="train")
    assert all(row["raw_text"][e["raw_start"]:e["raw_end"]] == e["text"] for row in docs for e in row["entities"])
    assert sum(len(row["entities"]) for row in docs) == 2 * len(SPANS) + len(SPANISH_SPANS)


def test_real_brat_news_in_spanish_and_dutch_builds_with_every_span(tmp_path):
    """The CoNLL-2002 newswire of brat's example data, imported as new articles (es, nl) and built."""
    conll = SHARED / "realdata" / "brat" / "corpora" / "CoNLL-ST_2002"
    if not conll.is_dir():
        pytest.skip(f"{conll} is not on this machine")
    root = project(tmp_path, ())
    (tmp_path / "map.yaml").write_text("PER: PERSON\nLOC: GPE\nORG: ORG\nMISC: null\n", encoding="utf-8")
    for folder, language in (("esp", "es"), ("ned", "nl")):
        main(["import", "brat", str(conll / folder), "--annotator", "team-a", "--label-map", str(tmp_path / "map.yaml"),
              "--corpus", str(root / "corpus"), "--annotations", str(root / "annotations"),
              "--new-articles", "--language", language])  # exit 1: the MISC spans are listed as skipped
    built = build(config_for(root, root / "out"))
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tokenization"]["languages"] == {
        "es": {"articles": 10, "spacy_language": "es", "spacy_class": "Spanish"},
        "nl": {"articles": 10, "spacy_language": "nl", "spacy_class": "Dutch"}}
    entities = imported = 0
    for split in manifest_splits(manifest):
        docs = load_dataset(str(built), "documents", split=split)
        assert all(row["raw_text"][e["raw_start"]:e["raw_end"]] == e["text"] for row in docs for e in row["entities"])
        assert tagged_spans(load_dataset(str(built), "ner", split=split)) == entity_spans(docs)
        entities += sum(len(row["entities"]) for row in docs)
    for ann in (conll / "esp").glob("*.ann"), (conll / "ned").glob("*.ann"):
        imported += sum(1 for path in ann for line in path.read_text(encoding="utf-8").splitlines()
                        if line.startswith("T") and line.split("\t")[1].split()[0] in ("PER", "LOC", "ORG"))
    assert entities == imported == 698


def manifest_splits(manifest) -> list[str]:
    return sorted({name.split("/")[1].split("-")[0] for name in manifest["outputs"] if name.startswith("documents/")})


def test_a_label_studio_export_in_pidgin_with_spans_inside_tokens_imports_validates_and_builds(tmp_path, capsys):
    root = project(tmp_path / "project", ())
    results = [{"id": f"r{i}", "from_name": "entity", "to_name": "text", "type": "labels",
                "value": {**span(PIDGIN, quoted), "labels": [label]}} for i, (quoted, label) in enumerate(SPANS)]
    export = [{"id": 7, "data": {"text": PIDGIN, "title": "Super Eagles"},
               "annotations": [{"id": 70, "completed_by": 1, "result": results}]}]
    (tmp_path / "export.json").write_text(json.dumps(export), encoding="utf-8")
    assert main(["import", "labelstudio", str(tmp_path / "export.json"), "--annotator", "team-a",
                 "--corpus", str(root / "corpus"), "--annotations", str(root / "annotations"),
                 "--new-articles", "--language", "pcm"]) == 0
    assert main(["validate", "--corpus", str(root / "corpus"), "--annotations", str(root / "annotations")]) == 0
    built = build(config_for(root, root / "out"))
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tokenization"]["split_tokens"]["total"] == 4  # the four of PIDGIN with no debris cut out
    (split,) = manifest_splits(manifest)
    docs = load_dataset(str(built), "documents", split=split)
    assert sorted(e["text"] for row in docs for e in row["entities"]) == sorted(q for q, _ in SPANS)
    assert all(row["raw_text"][e["raw_start"]:e["raw_end"]] == e["text"] for row in docs for e in row["entities"])
    assert tagged_spans(load_dataset(str(built), "ner", split=split)) == entity_spans(docs)
    assert "language:\n- pcm\n" in (built / "README.md").read_text(encoding="utf-8")


def test_split_counts_and_languages_survive_the_cache_and_the_workers(tmp_path):
    """The summaries that carry them are cached (msgpack) and sent between processes: same bytes every way."""
    root = project(tmp_path, (("p1", "pcm", PIDGIN, SPANS), ("s1", "es", SPANISH, SPANISH_SPANS)))
    clean = files_of(build(config_for(root, tmp_path / "clean")))
    cache = tmp_path / "cache"
    assert files_of(build(config_for(root, tmp_path / "fill", cache_dir=cache))) == clean
    assert files_of(build(config_for(root, tmp_path / "cached", cache_dir=cache, workers=2))) == clean
    assert json.loads(clean["manifest.json"])["tokenization"]["split_tokens"] == {"total": 6,
                                                                                  "by_article": {"p1": 5, "s1": 1}}
