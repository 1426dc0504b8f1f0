"""Annotation sets -> Label Studio tasks with the sets as predictions (``newsstance export labelstudio``).

One task per corpus article: ``data`` holds the raw ``text``, the ``article_id``, the ``raw_sha256``,
how the predictions' offsets are counted (``offsets``: codepoints or utf16) and, for adjudicated sets,
their ``adjudicated_from``/``decisions`` under ``data.adjudication`` (Label Studio keeps task data, and
the importer reads both back). Each annotation set of the article becomes one
prediction whose ``model_version`` is the annotator id, with the result layout that ``tasks.py``
reads, so that exporting and importing the predictions gives back identical annotation sets.

Region ids: an entity's region id is its id; a stance's first evidence region has the stance id, the
others ``<stance id>-2``, ``-3``...; debris regions ``debris-1``, ``debris-2``... (ids are not kept).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from pathlib import Path

from builder.sources.annotations import scan_annotations
from builder.sources.corpus import load_corpus
from builder.errors import STANCE_HOLDER, ConfigError, InputError, Problem, problem
from builder.records import AUTHOR, AnnotationSet, RawArticle
from builder.interop.adjudication import adjudication_to_json
from builder.interop.exportable import set_problem
from builder.interop.labelstudio.config import AUTHOR_CONTROL, DEBRIS, ENTITY, NOTE, QID, STANCE, TARGET, TEXT
from builder.interop.labelstudio.options import ADJUDICATION, OFFSET_MODES, OFFSETS_FIELD
from builder.interop.offsets import utf16_map


def region_value(text: str, start: int, end: int, units) -> dict:
    """start/end as the tool should count them (code points, or UTF-16 units when ``units`` is given)."""
    if units is None:
        return {"start": start, "end": end, "text": text[start:end]}
    return {"start": units.to_units(start), "end": units.to_units(end), "text": text[start:end]}


def result(region_id: str, control: str, kind: str, value: dict) -> dict:
    return {"id": region_id, "from_name": control, "to_name": TEXT, "type": kind, "value": value}


def region_ids(aset: AnnotationSet) -> tuple[list[str], list[list[str]], list[Problem]]:
    """Debris region ids and evidence region ids per stance; problems when two regions share an id."""
    entity_ids = [e.id for e in aset.entities]
    evidence = [[s.id if k == 0 else f"{s.id}-{k + 1}" for k in range(len(s.evidence))] for s in aset.stances]
    taken = set(entity_ids)
    problems = []
    for ids in evidence:
        for region_id in ids:
            if region_id in taken:
                problems.append(problem("E421", str(aset.path or ""), f"article {aset.article_id}, annotator {aset.annotator}",
                                        kind="Label Studio region", value=region_id))
            taken.add(region_id)
    debris = []
    for k in range(len(aset.cleaning)):
        n = k + 1
        while f"debris-{n}" in taken:
            n += 1
        taken.add(f"debris-{n}")
        debris.append(f"debris-{n}")
    return debris, evidence, problems


def set_results(aset: AnnotationSet, text: str, offsets: str = "codepoints") -> tuple[list[dict], list[Problem]]:
    """One annotation set -> Label Studio results (entities, debris, stance evidence, holder relations)."""
    units = utf16_map(text) if offsets == "utf16" else None
    debris_ids, evidence_ids, problems = region_ids(aset)
    results = []
    for e in aset.entities:
        results.append(result(e.id, ENTITY, "labels", region_value(text, e.start, e.end, units) | {"labels": [e.label]}))
        if e.qid:
            value = region_value(text, e.start, e.end, units) | {"text": [e.qid]}
            results.append(result(e.id, QID, "textarea", value))
    for region_id, d in zip(debris_ids, aset.cleaning):
        results.append(result(region_id, DEBRIS, "labels", region_value(text, d.start, d.end, units) | {"labels": [d.reason]}))
    relations = []
    for stance, ids in zip(aset.stances, evidence_ids):
        for k, (region_id, v) in enumerate(zip(ids, stance.evidence)):
            value = region_value(text, v.start, v.end, units)
            results.append(result(region_id, STANCE, "labels", value | {"labels": [stance.label]}))
            results.append(result(region_id, TARGET, "choices", value | {"choices": [stance.target]}))
            if stance.holder == AUTHOR:
                results.append(result(region_id, AUTHOR_CONTROL, "choices", value | {"choices": [AUTHOR]}))
            elif stance.holder not in {e.id for e in aset.entities}:
                if k == 0:
                    problems.append(problem("E109", str(aset.path or ""), f"article {aset.article_id}, stance {stance.id}",
                                            value=stance.holder, **STANCE_HOLDER))
            else:
                relations.append({"from_id": stance.holder, "to_id": region_id, "type": "relation",
                                  "direction": "right", "labels": []})
            if k == 0 and stance.note:
                results.append(result(region_id, NOTE, "textarea", value | {"text": [stance.note]}))
    return results + relations, problems


def task_for(article: RawArticle, sets: Sequence[AnnotationSet], offsets: str = "codepoints") -> tuple[dict, list[Problem]]:
    data: dict = {TEXT: article.text, "article_id": article.id, "raw_sha256": article.meta.sha256, OFFSETS_FIELD: offsets}
    adjudication = {s.annotator: adjudication_to_json(s) for s in sets if adjudication_to_json(s)}
    if adjudication:
        data[ADJUDICATION] = adjudication
    predictions, problems = [], []
    for aset in sorted(sets, key=lambda s: s.annotator):
        results, found = set_results(aset, article.text, offsets)
        problems.extend(found)
        predictions.append({"model_version": aset.annotator, "result": results})
    return {"data": data, "predictions": predictions}, problems


def labelstudio_tasks(articles: Sequence[RawArticle], sets: Sequence[AnnotationSet], *,
                      annotators: Collection[str] | None = None, offsets: str = "codepoints") -> list[dict]:
    """One task per article (sorted by id), with the chosen annotators' sets as predictions."""
    if offsets not in OFFSET_MODES[1:]:
        raise ConfigError(str(problem("E428", "export options", name="offsets", value=offsets,
                                      choices=", ".join(OFFSET_MODES[1:]))))
    by_id = {a.id: a for a in articles}
    problems = [found for found in (set_problem(aset, by_id) for aset in sets) if found is not None]
    tasks = []
    for article in sorted(articles, key=lambda a: a.id):
        chosen = [s for s in sets if s.article_id == article.id and (annotators is None or s.annotator in annotators)]
        task, found = task_for(article, chosen, offsets)
        problems.extend(found)
        tasks.append(task)
    if problems:
        raise InputError(problems)
    return tasks


def export_labelstudio(corpus_dir: Path, annotations_dir: Path, output: Path, *,
                       annotators: Collection[str] | None = None, offsets: str = "codepoints") -> int:
    """Write the tasks JSON for Label Studio's import; returns the number of tasks."""
    articles = load_corpus(corpus_dir)
    sets, problems = scan_annotations(annotations_dir)
    if problems:
        raise InputError(problems)
    tasks = labelstudio_tasks(articles, sets, annotators=annotators, offsets=offsets)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(tasks)
