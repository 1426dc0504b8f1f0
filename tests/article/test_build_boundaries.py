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

from builder.pipeline import build
from factories import REPO, annotation, config_for, span, write_annotation, write_article

PIDGIN = ("Super Eagles win: 51'Bright Osayi-Samuel score di first goal.\n"
          "For 2\"Kalidou Koulibaly side, na Chance!Habib carry di ball go.\n"
          "Di club pay $8m. Smith AD son talk say e good.\n")
SPANS = [("Bright Osayi-Samuel", "PERSON"), ("Kalidou Koulibaly", "PERSON"), ("Chance", "PERSON"),
         ("Habib", "PERSON"), ("$8m", "MONEY"), ("Smith", "PERSON"), ("Super Eagles", "ORG")]


def project(root, language="pcm", text=PIDGIN):
    """One article in ``language``, one annotator (team-a), its entities and the debris " AD "."""
    write_article(root / "corpus", "p1", text, language=language, split="train")
    (root / "annotations").mkdir(parents=True)
    for name in ("schema.yaml", "annotators.yaml"):
        shutil.copy(REPO / "annotations" / name, root / "annotations" / name)
    shutil.copy(REPO / "DATASET_CARD.md", root / "DATASET_CARD.md")
    entities = [dict(span(text, quoted), id=f"e{i}", label=label) for i, (quoted, label) in enumerate(SPANS)]
    write_annotation(root / "annotations", annotation("p1", text, "team-a", entities=entities,
                                                      cleaning=[dict(span(text, " AD "), reason="advertising")]))
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


def test_the_ner_tags_cover_every_span_exactly(built):
    (row,) = load_dataset(str(built), "documents", split="train")
    ner = load_dataset(str(built), "ner", split="train")
    names = ner.features["ner_tags"].feature.names
    tagged = []
    for sentence in ner:
        tags = [names[t] for t in sentence["ner_tags"]]
        for i, tag in enumerate(tags):
            if tag.startswith("B-"):
                j = i + 1
                while j < len(tags) and tags[j] == "I-" + tag[2:]:
                    j += 1
                tagged.append((sentence["token_starts"][i], sentence["token_ends"][j - 1], tag[2:]))
    labels = load_dataset(str(built), "documents", split="train").features["entities"].feature["label"]
    assert sorted(tagged) == sorted((e["start"], e["end"], labels.int2str(e["label"])) for e in row["entities"])
    tokens = [t for s in ner for t in s["tokens"]]
    assert {"51'", "Bright", '2"', "Kalidou", "Chance", "!", "Habib", "m", ".", "Smith", "son"} <= set(tokens)


def test_the_manifest_counts_the_split_tokens_and_names_the_tokenizer(built):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    # 51'Bright, 2"Kalidou, Chance!Habib, m. (of $8m.), Smithson (where " AD " was cut out)
    assert manifest["tokenization"]["split_tokens"] == {"total": 5, "by_article": {"p1": 5}}
    assert manifest["tokenization"]["languages"] == {
        "pcm": {"articles": 1, "spacy_language": "xx", "spacy_class": "MultiLanguage"}}
