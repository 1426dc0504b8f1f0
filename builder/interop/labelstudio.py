"""Label Studio JSON exports -> ``ImportedSet`` records, without a corpus (``parse_labelstudio``).

Two export formats are read (Label Studio: Export > "JSON" or "JSON-MIN"):

full JSON  a list of tasks (one task object alone is accepted too)::

    {"id": 17423, "data": {"text": "...", "article_id": "..."},
     "annotations": [{"id": 1700, "completed_by": 2, "was_cancelled": false, "result": [
         {"id": "vE2xeKCmbL", "from_name": "entity", "to_name": "text", "type": "labels",
          "value": {"start": 20, "end": 30, "text": "Bourgondie", "labels": ["GPE"]}},
         {"from_id": "ZbDDW1BkiB", "to_id": "vE2xeKCmbL", "type": "relation", "direction": "right"}]}],
     "predictions": [{"model_version": "team-a", "result": [...]}]}

JSON-MIN   one flat record per annotation: the task's data fields, ``id`` (the task), ``annotator``,
    ``annotation_id``, and per control name a list of its regions (``{"start", "end", "text",
    "labels"}``). JSON-MIN has no region ids and no relations, so stance holders need the full export.

How results become annotations (control names: ``labelstudio_config.py``): a ``labels`` region of
``debris`` is a debris span, of ``stance`` a piece of stance evidence, of any other control an entity.
Per-region ``target``/``author``/``note`` results complete a stance region, ``qid`` an entity region; a
relation between an entity region and a stance region names the holder. Stance regions with the same
(holder, target) form one stance, whose id is its first region's id. Entity ids are the region ids.

Offsets are converted to code points and checked against the quoted text: ``auto`` accepts whichever
of code points (current Label Studio) or UTF-16 units (older versions, counted in the browser) gives
the quoted text. Everything not taken is a ``Problem`` naming the task, annotation and result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from builder.sources.corpus import read_json
from builder.errors import ConfigError, Problem, problem
from builder.records import AUTHOR, Debris, Entity, Stance
from builder.interop.common import (ANNOTATOR_ID, QID, AnnotatorPolicy, EvidenceItem, adjudication_from_json, ImportedSet, ImportReport, LabelPolicy,
                     NewArticles, corpus_articles, counts, match_articles, slug, stances_from_evidence, unique_id,
                     write_import)
from builder.interop.labelstudio_config import AUTHOR_CONTROL, DEBRIS, NOTE, QID as QID_CONTROL, STANCE, TARGET
from builder.interop.offsets import Utf16Map, utf16_map

SOURCES = ("annotations", "predictions")
OFFSET_MODES = ("auto", "codepoints", "utf16")
MIN_RESERVED = {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time", "drafts",
                "predictions", "meta"}
ADJUDICATION = "adjudication"  # task data field carrying gold sets' adjudicated_from/decisions
OFFSETS_FIELD = "offsets"  # task data field: how `export labelstudio` counted the predictions' offsets


@dataclass(frozen=True, slots=True)
class LabelStudioOptions:
    labels: LabelPolicy = field(default_factory=LabelPolicy)
    annotators: AnnotatorPolicy = field(default_factory=AnnotatorPolicy)
    source: str = "annotations"  # "predictions": read the predictions (what `export labelstudio` writes)
    offsets: str = "auto"  # "codepoints" | "utf16" to force one reading
    text_field: str = "text"  # task data field holding the text
    id_field: str = "article_id"  # task data field holding the corpus article id, if any

    def __post_init__(self) -> None:
        for name, value, choices in (("source", self.source, SOURCES), ("offsets", self.offsets, OFFSET_MODES)):
            if value not in choices:
                raise ConfigError(str(problem("E428", "Label Studio options", name=name, value=value,
                                              choices=", ".join(choices))))


@dataclass(frozen=True, slots=True)
class Region:
    key: str  # the region id, or "#<result index>" when the result has none (JSON-MIN)
    control: str  # from_name
    start: int  # code points
    end: int
    raw: tuple[int, int]  # the offsets as exported; JSON-MIN per-region results match on them
    label: str
    text: str
    has_id: bool
    ref: str  # how messages name it: "result <id>", or "<control>[<index>]" in JSON-MIN


@dataclass(frozen=True, slots=True)
class Place:
    file: str
    where: str  # "task 3, annotation 7"
    json_min: bool

    def at(self, ref: str) -> str:
        return f"{self.where}, {ref}"


def parse_labelstudio(export: object, *, file: str = "<export>",
                      options: LabelStudioOptions = LabelStudioOptions()) -> tuple[list[ImportedSet], list[Problem]]:
    """A parsed Label Studio export (full JSON or JSON-MIN) -> one ImportedSet per annotation."""
    tasks = [export] if isinstance(export, dict) else export
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        return [], [problem("E401", file, detail="expected a list of task objects")]
    full = any("data" in t for t in tasks)
    sets: list[ImportedSet] = []
    problems: list[Problem] = []
    for index, task in enumerate(tasks):
        found_sets, found = (parse_task if full else parse_min_record)(task, index, file, options)
        sets.extend(found_sets)
        problems.extend(found)
    return sets, problems


def task_ref(task: dict, index: int) -> str:
    return f"task {task['id']}" if "id" in task else f"task #{index} (no id)"


def task_text(data: object, field_name: str, file: str, where: str) -> tuple[str | None, list[Problem]]:
    if not isinstance(data, dict):
        return None, [problem("E402", file, where, detail="it has no 'data' object")]
    text = data.get(field_name)
    if not isinstance(text, str) or not text:
        return None, [problem("E402", file, where, detail=f"data.{field_name} is missing or not a non-empty string")]
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
        adjudicated, decisions = ((), ())
        if options.source == "predictions":
            (adjudicated, decisions), found = adjudication_of(data, annotator, file, place.where)
            problems.extend(found)
        sets.append(ImportedSet(file=file, where=place.where, text=text, article_hint=hint, annotator=annotator,
                                adjudicated_from=adjudicated, decisions=decisions, **imported))
    return sets, problems


def adjudication_of(data: dict, annotator: str, file: str, where: str) -> tuple[tuple, list[Problem]]:
    """The ``adjudicated_from`` and ``decisions`` that `export labelstudio` kept for a gold set."""
    entry = (data.get(ADJUDICATION) or {}).get(annotator)
    found = adjudication_from_json(entry or {})
    if found is None:
        return ((), ()), [problem("E401", file, where, detail=f"data.{ADJUDICATION}.{annotator} is not "
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
    return [ImportedSet(file=file, where=where, text=text, article_hint=hint, annotator=annotator, **imported)], problems


def is_region_value(value: object) -> bool:
    return isinstance(value, dict) and "start" in value and "end" in value


def min_results(record: dict) -> list[dict]:
    """JSON-MIN keys holding regions -> full-export-like results (without ids)."""
    results = []
    for name, value in record.items():
        if name in MIN_RESERVED:
            continue
        values = [value] if is_region_value(value) else value if isinstance(value, list) else []
        for k, item in enumerate(values):
            if not is_region_value(item):
                continue
            kind = next((t for t in ("labels", "hypertextlabels", "paragraphlabels", "choices") if t in item),
                        "textarea" if isinstance(item.get("text"), list) else "labels")
            results.append({"from_name": name, "type": kind, "value": item, "ref": f"{name}[{k}]"})
    return results


CODEPOINTS, UTF16 = "code points", "UTF-16 units"


def int_offsets(value: dict) -> bool:
    return all(isinstance(value.get(k), int) and not isinstance(value.get(k), bool) for k in ("start", "end"))


def readings(value: dict, text: str, units: Utf16Map, mode: str) -> dict[str, tuple[int, int]]:
    """The code point span of each way of counting the region's integer offsets that lands in the text."""
    start, end = value["start"], value["end"]
    found: dict[str, tuple[int, int]] = {}
    if mode in ("auto", "codepoints") and 0 <= start < end <= len(text):
        found[CODEPOINTS] = (start, end)
    if mode in ("auto", "utf16"):
        s, e = units.to_codepoint(start), units.to_codepoint(end)
        if s is not None and e is not None and s < e:
            found[UTF16] = (s, e)
    return found


def fitting(value: dict, text: str, candidates: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    quoted = value.get("text")
    return {k: (a, b) for k, (a, b) in candidates.items() if not isinstance(quoted, str) or text[a:b] == quoted}


def annotation_reading(results: list, text: str, units: Utf16Map, mode: str) -> str | None:
    """How this annotation counted, judged from its regions whose quoted text fits only one reading
    (one Label Studio version made them all); None when no region tells, or they disagree."""
    told = set()
    for result in results:
        value = result.get("value") if isinstance(result, dict) and result.get("type") == "labels" else None
        if isinstance(value, dict) and int_offsets(value) and isinstance(value.get("text"), str):
            fits = fitting(value, text, readings(value, text, units, mode))
            if len(set(fits.values())) == 1 and len(fits) == 1:
                told.add(next(iter(fits)))
    return told.pop() if len(told) == 1 else None


def resolve_offsets(value: dict, text: str, units: Utf16Map, mode: str, file: str, where: str,
                    told: str | None = None) -> tuple[tuple[int, int] | None, list[Problem]]:
    """The region's code point offsets, checked against its quoted text, or why there are none.

    When both readings give the quoted text (a repeated character after an emoji), the reading the
    annotation's other regions show wins, else code points; without quoted text only the former."""
    start, end = value.get("start"), value.get("end")
    if isinstance(start, str) or isinstance(end, str) or "startOffset" in value:
        return None, [problem("E404", file, where, kind="HyperText (XPath)")]
    if not int_offsets(value):
        return None, [problem("E403", file, where, kind="region", reason="it has no integer start and end offsets")]
    quoted = value.get("text") if isinstance(value.get("text"), str) else None
    candidates = readings(value, text, units, mode)
    fits = fitting(value, text, candidates)
    if len(set(fits.values())) == 1:
        return next(iter(fits.values())), []
    tie_break = told if quoted is None else told or CODEPOINTS
    if tie_break in fits:
        return fits[tie_break], []
    seen = "; ".join(f"as {k} {text[a:b][:50]!r}" for k, (a, b) in candidates.items())
    if not candidates:
        detail = f"they are out of range for a text of {len(text)} characters ({units.units[-1]} UTF-16 units)"
    elif not fits:
        detail = f"the quoted text is {quoted[:50]!r}, the text there is: {seen}"
    else:
        detail = f"no quoted text to decide between: {seen}"
    return None, [problem("E405", file, where, start=start, end=end, detail=detail)]


def parse_results(results: list, text: str, place: Place, options: LabelStudioOptions) -> tuple[dict, list[Problem]]:
    """The results of one annotation -> {"entities", "cleaning", "stances"} and problems."""
    units = utf16_map(text)
    told = annotation_reading(results, text, units, options.offsets)
    file = place.file
    problems: list[Problem] = []
    regions: list[Region] = []
    extras: list[tuple[str, dict, str]] = []  # (ref, result, key)
    relations: list[dict] = []
    reported: set[str] = set()  # region keys already reported: their extras and relations are not repeated
    for i, result in enumerate(results):
        if not isinstance(result, dict):
            problems.append(problem("E403", file, place.at(f"result #{i}"), kind="result", reason="it is not an object"))
            continue
        key = str(result["id"]) if result.get("id") is not None else f"#{i}"
        ref = result.get("ref") if place.json_min else f"result {key}"
        kind, value, name = result.get("type"), result.get("value"), result.get("from_name")
        if kind == "relation":
            relations.append(result)
        elif kind in ("hypertextlabels", "paragraphlabels"):
            reported.add(key)
            problems.append(problem("E404", file, place.at(ref), kind=kind))
        elif kind in ("choices", "textarea") and is_region_value(value):
            extras.append((ref, result, key))
        elif kind != "labels" or not isinstance(value, dict):
            reason = ("document-level results are not part of newsstance" if kind in ("choices", "textarea", "rating")
                      else "only text spans (labels), per-region choices/text and relations are read")
            problems.append(problem("E403", file, place.at(ref), kind=f"{kind} result {name!r}", reason=reason))
        else:
            region, found = labels_region(result, key, text, units, place, ref, options, told)
            problems.extend(found)
            if region is None:
                reported |= {key, raw_key(value)}
            else:
                regions.append(region)
    entity_regions = [r for r in regions if r.control not in (DEBRIS, STANCE)]
    evidence_regions = [r for r in regions if r.control == STANCE]
    used: set[str] = set()
    entity_ids = {r.key: unique_id(r.key if r.has_id else None, used, "e") for r in entity_regions}
    found_extras, found = region_extras(extras, entity_regions, evidence_regions, reported, place)
    problems.extend(found)
    holders, found = holder_links(relations, entity_ids, {r.key for r in evidence_regions}, reported, place)
    problems.extend(found)
    entities = tuple(Entity(entity_ids[r.key], r.start, r.end, r.label, r.text, found_extras[QID_CONTROL].get(r.key))
                     for r in entity_regions)
    cleaning = tuple(Debris(r.start, r.end, r.label, r.text) for r in regions if r.control == DEBRIS)
    stances, found = build_stances(evidence_regions, holders, found_extras, place, options)
    problems.extend(found)
    return {"entities": entities, "cleaning": cleaning, "stances": stances}, problems


def raw_key(value: dict) -> str:
    """The exported offsets of a region, as a key (JSON-MIN per-region values match regions on it)."""
    return f"@{value.get('start')}:{value.get('end')}"


def labels_region(result: dict, key: str, text: str, units: Utf16Map, place: Place, ref: str,
                  options: LabelStudioOptions, told: str | None = None) -> tuple[Region | None, list[Problem]]:
    """A ``labels`` result -> a Region with a schema label, or the problems that stop it."""
    value, name, where = result["value"], str(result.get("from_name")), place.at(ref)
    labels = value.get("labels")
    if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
        return None, [problem("E408", place.file, where, count=len(labels) if isinstance(labels, list) else 0,
                              labels=labels)]
    span, problems = resolve_offsets(value, text, units, options.offsets, place.file, where, told)
    if span is None:
        return None, problems
    section = {DEBRIS: "debris_reasons", STANCE: "stance_labels"}.get(name, "entity_labels")
    label, problems = options.labels.resolve(section, labels[0], place.file, where)
    if label is None:
        return None, problems
    start, end = span
    return Region(key=key, control=name, start=start, end=end, raw=(value["start"], value["end"]), label=label,
                  text=text[start:end], has_id=not key.startswith("#"), ref=ref), []


def region_extras(extras: list[tuple[str, dict, str]], entity_regions: list[Region], evidence_regions: list[Region],
                  reported: set[str], place: Place) -> tuple[dict[str, dict[str, object]], list[Problem]]:
    """Per-region results -> {control: {region key: value}}: qid of entities; target, author, note of
    stance evidence. Full exports match them by region id, JSON-MIN by the exported offsets."""
    found: dict[str, dict[str, object]] = {QID_CONTROL: {}, TARGET: {}, AUTHOR_CONTROL: {}, NOTE: {}}
    problems: list[Problem] = []
    for ref, result, key in extras:
        name, value, where = result.get("from_name"), result["value"], place.at(ref)
        pool = entity_regions if name == QID_CONTROL else evidence_regions if name in found else []
        if not pool:
            if key not in reported:
                problems.append(problem("E403", place.file, where, kind=f"per-region {result.get('type')} {name!r}",
                                        reason="it is not a control of annotations/labelstudio/config.xml"))
            continue
        if place.json_min:
            key = raw_key(value)  # JSON-MIN regions have no ids: their offsets name them
            region = next((r for r in pool if raw_key({"start": r.raw[0], "end": r.raw[1]}) == key), None)
        else:
            region = next((r for r in pool if r.key == key), None)
        if region is None:
            if key not in reported:
                problems.append(problem("E403", place.file, where, kind=f"per-region {result.get('type')} {name!r}",
                                        reason="it belongs to no imported region of the kind it completes"))
            continue
        content = value.get("choices") if result.get("type") == "choices" else value.get("text")
        content = [str(c) for c in content] if isinstance(content, list) else []
        if name == QID_CONTROL:
            qid = "".join(content).strip()
            if not qid:
                continue  # an emptied box: no QID
            if not QID.fullmatch(qid):
                problems.append(problem("E427", place.file, where, value=qid))
                continue
            found[name][region.key] = qid
        elif name == NOTE:
            found[name][region.key] = "\n".join(content)
        elif name == AUTHOR_CONTROL:
            found[name][region.key] = AUTHOR in content
        else:
            found[name][region.key] = content
    return found, problems


def holder_links(relations: list[dict], entity_ids: Mapping[str, str], evidence_keys: set[str], reported: set[str],
                 place: Place) -> tuple[dict[str, list[str]], list[Problem]]:
    """Relations between an entity region and a stance region -> {stance region key: [holder entity ids]}."""
    holders: dict[str, list[str]] = defaultdict(list)
    problems: list[Problem] = []
    for relation in relations:
        ends = (str(relation.get("from_id")), str(relation.get("to_id")))
        labels = relation.get("labels") or []
        ref = f"relation {ends[0]} -> {ends[1]}" + (f" {labels}" if labels else "")
        entity = next((e for e in ends if e in entity_ids), None)
        evidence = next((e for e in ends if e in evidence_keys), None)
        if entity is not None and evidence is not None:
            holders[evidence].append(entity_ids[entity])
            continue
        if any(e in reported for e in ends):
            reason = "it links a region that was not imported (reported above)"
        elif entity is not None and all(e in entity_ids for e in ends):
            reason = "it links two entities; newsstance has no relations besides holder entity -> stance evidence"
        else:
            reason = "it does not link an entity region to a stance evidence region"
        problems.append(problem("E403", place.file, place.at(ref), kind="relation", reason=reason))
    return holders, problems


def build_stances(evidence: list[Region], holders: Mapping[str, list[str]], extras: Mapping[str, Mapping[str, object]],
                  place: Place, options: LabelStudioOptions) -> tuple[tuple[Stance, ...], list[Problem]]:
    items = [EvidenceItem(where=place.at(r.ref), preferred_id=r.key if r.has_id else None, start=r.start,
                          end=r.end, text=r.text, label=r.label, holders=tuple(holders.get(r.key, ())),
                          author=bool(extras[AUTHOR_CONTROL].get(r.key)), targets=tuple(extras[TARGET].get(r.key, ())),
                          note=extras[NOTE].get(r.key) or None)
             for r in evidence]
    hint = " (JSON-MIN exports have no relations: export as JSON)" if place.json_min else ""
    return stances_from_evidence(items, options.labels, place.file, hint)


def import_labelstudio(export_path: Path, *, corpus_dir: Path, annotations_dir: Path,
                       options: LabelStudioOptions = LabelStudioOptions(), new_articles: NewArticles | None = None,
                       overwrite: bool = False, strict: bool = False) -> ImportReport:
    """Read an export file, match its texts to the corpus, write one annotation file per (article, annotator)."""
    problems: list[Problem] = []
    data = read_json(Path(export_path), problems)
    if data is None:
        return ImportReport((), (), tuple(problems), counts(()))
    imported, problems = parse_labelstudio(data, file=str(export_path), options=options)
    articles = corpus_articles(corpus_dir, allow_empty=new_articles is not None)
    sets, new, found = match_articles(imported, articles, new_articles)
    return write_import(sets, new, problems + found, corpus_dir=corpus_dir, annotations_dir=annotations_dir,
                        overwrite=overwrite, strict=strict)
