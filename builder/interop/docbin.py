"""Built ``documents`` config -> one spaCy ``DocBin`` per split (``newsstance export spacy``).

Each Doc is the cleaned ``text`` of one article, tokenized by the blank spaCy pipeline of the article's
language (``article.language``: the tokenizer the build used; ``language`` overrides it), each token an
entity boundary falls inside split there as the build splits it, with the gold ``entities`` (clean
``start``/``end``) as ``doc.ents`` and the article id in ``doc.user_data["article_id"]``. spaCy drops a
span that does not fall on token boundaries with only a warning (W030); here every entity is placed with
``alignment_mode="strict"`` and any that does not fit (one that starts or ends with whitespace) is an
error, so the file holds exactly the dataset's entities.
``spacy.training.Corpus("<split>.spacy")`` reads the files back; ``spacy train`` takes them as
``--paths.train train.spacy --paths.dev validation.spacy``.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from builder.article.boundaries import doc_split_at
from builder.article.language import tokenizer_of
from builder.errors import Problem, problem
from builder.interop.built import read_config, write_splits


def row_doc(row: dict, label_name, nlp: Language, file: str) -> tuple[Doc, list[Problem]]:
    """One ``documents`` row -> a Doc with its entities, or the entities that cannot be placed."""
    doc = doc_split_at(nlp, row["text"], (o for e in row["entities"] if e["start"] is not None
                                          for o in (e["start"], e["end"])))
    doc.user_data["article_id"] = row["id"]
    spans, problems = [], []
    for entity in sorted(row["entities"], key=lambda e: (e["start"] is None, e["start"] or 0, e["end"] or 0)):
        label = label_name(entity["label"])
        fields = dict(text=entity["text"], label=label, start=entity["start"], end=entity["end"])
        where = f"article {row['id']}, entity {entity['id']}"
        if entity["start"] is None or entity["end"] is None:
            problems.append(problem("E423", file, where, reason="has no clean offsets", **fields))
            continue
        span = doc.char_span(entity["start"], entity["end"], label=label, alignment_mode="strict")
        if span is None:
            problems.append(problem("E423", file, where, reason="does not fall on token boundaries of spaCy's tokenizer",
                                    **fields))
            continue
        if spans and span.start < spans[-1].end:
            problems.append(problem("E423", file, where, reason=f"overlaps entity {spans[-1].text!r} (entities are flat)",
                                    **fields))
            continue
        spans.append(span)
    doc.set_ents(spans)
    return doc, problems


def documents_to_docbin(rows: list[dict], label_name, nlp_of, file: str) -> tuple[DocBin, list[Problem]]:
    """``nlp_of(language code)``: the pipeline that tokenizes an article of that language."""
    docbin = DocBin(store_user_data=True)
    problems: list[Problem] = []
    for row in sorted(rows, key=lambda r: r["id"]):
        doc, found = row_doc(row, label_name, nlp_of(row["language"]), file)
        problems.extend(found)
        docbin.add(doc)
    return docbin, problems


def export_spacy(dataset_dir: Path, output_dir: Path, *, language: str | None = None) -> dict[str, Path]:
    """``<output>/<split>.spacy`` for every split of the built ``documents`` config; nothing is written
    unless every entity of every split fits. ``language``: one spaCy language for every article, instead
    of each article's own."""
    pipelines: dict[str, Language] = {}

    def nlp(code: str) -> Language:
        name = language or tokenizer_of(code).spacy_language
        if name not in pipelines:
            pipelines[name] = spacy.blank(name)
        return pipelines[name]

    bins, problems = {}, []
    for split, (features, rows) in read_config(dataset_dir, "documents").items():
        file = f"{dataset_dir}/documents/{split}"
        bins[split], found = documents_to_docbin(rows, features["entities"].feature["label"].int2str, nlp, file)
        problems.extend(found)
    return write_splits(bins, problems, output_dir, ".spacy", lambda docbin, path: docbin.to_disk(path))
