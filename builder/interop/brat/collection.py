"""Folders of brat documents <-> the corpus and annotations (``import_brat``, ``export_brat``).

The importer reads every .txt/.ann pair under a folder; the exporter writes one annotator's sets with
annotation.conf.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from builder.errors import InputError, Problem, problem
from builder.interop.adjudication import Adjudication, adjudication_from_json, adjudication_to_json
from builder.interop.brat.reading import parse_brat
from builder.interop.brat.standoff import ADJUDICATION_SUFFIX
from builder.interop.brat.writing import annotation_conf, brat_ann
from builder.interop.exportable import set_problem
from builder.interop.matching import NewArticles
from builder.interop.policies import LabelPolicy
from builder.interop.report import ImportReport, nothing_written
from builder.interop.writing import finish_import
from builder.records import Schema
from builder.sources.annotations import scan_annotations
from builder.sources.corpus import load_corpus
from builder.sources.strict_json import read_json
from builder.sources.safe_files import read_input


class Document(NamedTuple):
    name: str  # the path below the folder, without suffix
    txt: Path
    ann: Path


def brat_documents(folder: Path) -> tuple[list[Document], list[Problem]]:
    """(document name, .txt, .ann) of every pair under ``folder``, sorted; unpaired files are problems."""
    folder = Path(folder)
    texts = {p.relative_to(folder).with_suffix("").as_posix(): p for p in folder.rglob("*.txt")}
    anns = {p.relative_to(folder).with_suffix("").as_posix(): p for p in folder.rglob("*.ann")}
    problems = [problem("E419", texts[n], name=texts[n].name, missing=".ann") for n in sorted(set(texts) - set(anns))]
    problems += [problem("E419", anns[n], name=anns[n].name, missing=".txt") for n in sorted(set(anns) - set(texts))]
    return [Document(name, texts[name], anns[name]) for name in sorted(set(texts) & set(anns))], problems


def read_text(path: Path, folder: Path, limit: str) -> tuple[str | None, list[Problem]]:
    """A .txt or .ann exactly as stored (no newline translation), or why it cannot be read: a regular file
    inside the export ``folder`` of at most the limit ``limit`` (a link out, a FIFO, a device: E802-E804)."""
    try:
        data = read_input(path, folder, limit)
    except InputError as exc:
        return None, list(exc.problems)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [problem("E005", path, byte=data[exc.start], offset=exc.start)]


def read_adjudication(sidecar: Path, folder: Path, problems: list[Problem]) -> Adjudication | None:
    """The adjudication the exporter kept beside a .ann, if there is one; its problems go to ``problems``."""
    data = (read_json(sidecar, problems, root=folder, limit="annotation_file_bytes")  # a syntax error: E001
            if os.path.lexists(sidecar) else None)
    if data is None:
        return None
    adjudication = adjudication_from_json(data)
    if adjudication is None:
        problems.append(problem("E401", sidecar, detail="expected {adjudicated_from: [...], decisions: [...]}"))
    return adjudication


def import_brat(folder: Path, *, corpus_dir: Path, annotations_dir: Path, annotator: str,
                labels: LabelPolicy = LabelPolicy(), new_articles: NewArticles | None = None,
                overwrite: bool = False, strict: bool = False, overlaps: str = "refuse",
                annotator_kind: Callable[[str], str | None] | None = None) -> ImportReport:
    """Every .txt/.ann pair under ``folder`` -> one annotation file per document, by ``annotator``."""
    if not Path(folder).is_dir():
        return nothing_written([problem("E430", folder, what="brat folder", path=folder,
                                        hint="pass the folder that holds the <doc>.txt + <doc>.ann pairs")])
    documents, problems = brat_documents(folder)
    if not documents and not problems:
        problems.append(problem("E419", folder, name=str(folder), missing=".txt/.ann pair"))
    imported = []
    for document in documents:
        text, found = read_text(document.txt, folder, "article_bytes")
        ann_text, found_ann = read_text(document.ann, folder, "annotation_file_bytes")
        problems.extend(found + found_ann)
        if text is None or ann_text is None:
            continue
        item, found = parse_brat(ann_text, text, file=str(document.ann), doc=document.name, annotator=annotator,
                                 labels=labels, article_hint=Path(document.name).name)
        problems.extend(found)
        adjudication = read_adjudication(document.ann.with_suffix(ADJUDICATION_SUFFIX), folder, problems)
        if adjudication is not None:
            item = replace(item, adjudicated_from=adjudication.adjudicated_from, decisions=adjudication.decisions)
        imported.append(item)
    return finish_import(imported, problems, corpus_dir=corpus_dir, annotations_dir=annotations_dir,
                         new_articles=new_articles, overwrite=overwrite, strict=strict, overlaps=overlaps,
                         schema=labels.schema, annotator_kind=annotator_kind)


def export_brat(corpus_dir: Path, annotations_dir: Path, output_dir: Path, *, annotator: str,
                schema: Schema) -> int:
    """Write ``<id>.txt`` (the raw bytes) + ``<id>.ann`` for each article ``annotator`` annotated, and
    annotation.conf; returns the number of documents."""
    articles = {a.id: a for a in load_corpus(corpus_dir)}
    sets, problems = scan_annotations(annotations_dir)
    chosen = [s for s in sets if s.annotator == annotator]
    files = {}
    for aset in chosen:
        mismatch = set_problem(aset, articles)
        if mismatch is not None:
            problems.append(mismatch)
            continue
        article = articles[aset.article_id]
        ann, found = brat_ann(aset, article.text)
        problems.extend(found)
        files[article.id] = (article.path.read_bytes(), ann, adjudication_to_json(aset))
    if problems:
        raise InputError(problems)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "annotation.conf").write_text(annotation_conf(schema), encoding="utf-8")
    for article_id, (raw, ann, adjudication) in sorted(files.items()):
        (output_dir / f"{article_id}.txt").write_bytes(raw)
        (output_dir / f"{article_id}.ann").write_text(ann, encoding="utf-8")
        if adjudication is not None:  # brat has no place for it; the importer reads it back
            (output_dir / f"{article_id}{ADJUDICATION_SUFFIX}").write_text(
                json.dumps(adjudication, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return len(files)
