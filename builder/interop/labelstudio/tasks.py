"""Label Studio tasks (full JSON) or JSON-MIN records -> one ``ImportedSet`` per annotation.

``import_labelstudio`` reads an export file and writes what it holds; the format is described in
``__init__.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from builder.errors import Problem, problem
from builder.interop.adjudication import Adjudication, adjudication_from_json
from builder.interop.labelstudio.options import ADJUDICATION, OFFSET_MODES, OFFSETS_FIELD, LabelStudioOptions
from builder.interop.labelstudio.jsonmin import MIN_RESERVED, min_results
from builder.interop.labelstudio.regions import Place, parse_results
from builder.interop.matching import ImportedSet, NewArticles
from builder.interop.policies import ANNOTATOR_ID, slug
from builder.interop.provenance import find_provenance
from builder.interop.report import ImportReport, nothing_written
from builder.interop.writing import finish_import
from builder.sources.strict_json import read_json



def parse_labelstudio(export: object, *, file: str = "<export>",
                      options: LabelStudioOptions = LabelStudioOptions()) -> tuple[list[ImportedSet], list[Problem]]:
    """A parsed Label Studio export (full JSON or JSON-MIN) -> one ImportedSet per annotation."""
    if isinstance(export, dict) and not ({"data", "annotator", "annotation_id"} & export.keys()):
        keys = ", ".join(sorted(map(str, export))[:10]) or "none"
        return [], [problem("E401", file, detail=f"expected a list of task objects, found an object with keys: {keys}")]
    tasks = [export] if isinstance(export, dict) else export
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        return [], [problem("E401", file, detail="expected a list of task objects")]
    if not tasks:
        return [], [problem("E431", file, detail="it is an empty list of tasks")]
    full = any("data" in t for t in tasks)
    sets: list[ImportedSet] = []
    problems: list[Problem] = []
    for index, task in enumerate(tasks):
        found_sets, found = (parse_task if full else parse_min_record)(task, index, file, options)
        sets.extend(found_sets)
        problems.extend(found)
    if not sets and not problems:
        what = "annotations" if options.source == "annotations" else "predictions"
        problems.append(problem("E431", file, detail=f"none of its {len(tasks)} task(s) has {what}"
                                + (" (read predictions with --from predictions)" if what == "annotations" and
                                   any(t.get("predictions") for t in tasks) else "")))
    return sets, problems


def task_ref(task: dict, index: int) -> str:
    return f"task {task['id']}" if "id" in task else f"task #{index} (no id)"


def task_text(data: object, field_name: str, file: str, where: str) -> tuple[str | None, list[Problem]]:
    if not isinstance(data, dict):
        return None, [problem("E402", file, where, detail="it has no 'data' object")]
    text = data.get(field_name)
    if not isinstance(text, str) or not text:
        texts = sorted(str(k) for k, v in data.items() if isinstance(v, str) and v and k not in MIN_RESERVED)
        has = f"; its text fields are: {', '.join(texts[:12])}" if texts else "; it has no text field"
        return None, [problem("E402", file, where, detail=f"data.{field_name} is missing or not a non-empty string{has}")]
    return text, []


def user_of(completed_by: object) -> str | None:
    if isinstance(completed_by, dict):
        completed_by = completed_by.get("email") or completed_by.get("id")
    return None if completed_by is None or completed_by == "" else str(completed_by)


def who_text(kind: str, who: str | None) -> str:
    if who is None:
        return "an annotation without completed_by" if kind == "annotation" else "a prediction without model_version"
    return f"Label Studio {'user' if kind == 'annotation' else 'model_version'} {who!r}"


def derive_user(who: str) -> str | None:
    """Label Studio user id 2 -> "ls-2"; e-mail ann@example.org -> "ls-ann"."""
    name = slug(who.split("@", 1)[0])
    return f"ls-{name}"[:64] if name else None


def derive_model(who: str) -> str | None:
    return who if ANNOTATOR_ID.fullmatch(who) else None


def parse_task(task: dict, index: int, file: str,
               options: LabelStudioOptions) -> tuple[list[ImportedSet], list[Problem]]:
    where = task_ref(task, index)
    data = task.get("data")
    text, problems = task_text(data, options.text_field, file, where)
    if text is None:
        return [], problems
    hint = data.get(options.id_field)
    hint = str(hint) if isinstance(hint, (str, int)) and not isinstance(hint, bool) else None
    if options.source == "predictions" and options.offsets == "auto" and data.get(OFFSETS_FIELD) in OFFSET_MODES:
        options = replace(options, offsets=data[OFFSETS_FIELD])  # how `export labelstudio` counted them
    items = task.get(options.source) or []
    if not isinstance(items, list):
        return [], [problem("E401", file, where, detail=f"'{options.source}' is not a list")]
    if items and all(isinstance(i, int) and not isinstance(i, bool) for i in items):
        return [], [problem("E434", file, where, source=options.source, count=len(items))]
    sets = []
    for i, item in enumerate(items):
        kind = "annotation" if options.source == "annotations" else "prediction"
        ref = f"{kind} {item['id']}" if isinstance(item, dict) and "id" in item else f"{kind} #{i}"
        place = Place(file, f"{where}, {ref}", json_min=False)
        if not isinstance(item, dict) or not isinstance(item.get("result", []), list):
            problems.append(problem("E401", file, place.where, detail="expected an object with a 'result' list"))
            continue
        if item.get("was_cancelled"):
            problems.append(problem("E416", file, place.where))
            continue
        if options.source == "annotations":
            who = user_of(item.get("completed_by"))
            annotator = options.annotators.resolve(who, derive_user)
        else:
            who = item.get("model_version")
            who = None if who is None else str(who)
            annotator = options.annotators.resolve(who, derive_model)
        if annotator is None or not ANNOTATOR_ID.fullmatch(annotator):
            problems.append(problem("E411", file, place.where, who=who_text(kind, who)))
            continue
        imported, found = parse_results(item.get("result", []), text, place, options)
        problems.extend(found)
        adjudication = Adjudication()
        if options.source == "predictions":
            adjudication, found = adjudication_of(data, annotator, file, place.where)
            problems.extend(found)
        sets.append(ImportedSet(file=file, where=place.where, text=text, article_hint=hint, annotator=annotator,
                                cleaning=imported.cleaning, entities=imported.entities, stances=imported.stances,
                                adjudicated_from=adjudication.adjudicated_from, decisions=adjudication.decisions,
                                provenance=find_provenance(task, data, options.meta_fields)))
    return sets, problems


def adjudication_of(data: dict, annotator: str, file: str, where: str) -> tuple[Adjudication, list[Problem]]:
    """The ``adjudicated_from`` and ``decisions`` that `export labelstudio` kept for a gold set."""
    entry = (data.get(ADJUDICATION) or {}).get(annotator)
    found = adjudication_from_json(entry or {})
    if found is None:
        return Adjudication(), [problem("E401", file, where, detail=f"data.{ADJUDICATION}.{annotator} is not "
                                                              "{adjudicated_from: [...], decisions: [{item, decision, reason}]}")]
    return found, []


def parse_min_record(record: dict, index: int, file: str,
                     options: LabelStudioOptions) -> tuple[list[ImportedSet], list[Problem]]:
    where = task_ref(record, index)
    if "annotation_id" in record:
        where += f", annotation {record['annotation_id']}"
    results = min_results(record)
    if not results and "annotator" not in record and "annotation_id" not in record:
        return [], []  # a task nobody annotated: nothing to import
    text, problems = task_text(record, options.text_field, file, where)
    if text is None:
        return [], problems
    who = user_of(record.get("annotator"))
    annotator = options.annotators.resolve(who, derive_user)
    if annotator is None or not ANNOTATOR_ID.fullmatch(annotator):
        return [], [problem("E411", file, where, who=who_text("annotation", who))]
    hint = record.get(options.id_field)
    hint = str(hint) if isinstance(hint, (str, int)) and not isinstance(hint, bool) else None
    place = Place(file, where, json_min=True)
    imported, problems = parse_results(results, text, place, options)
    return [ImportedSet(file=file, where=where, text=text, article_hint=hint, annotator=annotator,
                        cleaning=imported.cleaning, entities=imported.entities, stances=imported.stances,
                        provenance=find_provenance(record, record, options.meta_fields, prefix=""))], problems


def import_labelstudio(export_path: Path, *, corpus_dir: Path, annotations_dir: Path,
                       options: LabelStudioOptions = LabelStudioOptions(), new_articles: NewArticles | None = None,
                       overwrite: bool = False, strict: bool = False, overlaps: str = "refuse",
                       annotator_kind: Callable[[str], str | None] | None = None) -> ImportReport:
    """Read an export file, match its texts to the corpus, write one annotation file per (article, annotator)."""
    if not Path(export_path).is_file():
        return nothing_written([problem("E430", export_path, what="Label Studio export file", path=export_path,
                                        hint="pass the file Label Studio exported (Export > JSON)")])
    problems: list[Problem] = []
    data = read_json(Path(export_path), problems, limit="import_file_bytes")  # parsed whole: several times its size
    if data is None:
        return nothing_written(problems)
    imported, problems = parse_labelstudio(data, file=str(export_path), options=options)
    return finish_import(imported, problems, corpus_dir=corpus_dir, annotations_dir=annotations_dir,
                         new_articles=new_articles, overwrite=overwrite, strict=strict, overlaps=overlaps,
                         schema=options.labels.schema, annotator_kind=annotator_kind)
