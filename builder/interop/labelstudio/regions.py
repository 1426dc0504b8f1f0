"""The results of one Label Studio annotation -> entities, debris and stances (``parse_results``).

A ``labels`` region is an entity, a debris span or a piece of stance evidence by its control; per-region
results complete a region (matched by region id, or in JSON-MIN by the exported offsets); relations name
the holder of stance evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from builder.errors import Problem, problem
from builder.interop.labelstudio.config import AUTHOR_CONTROL, DEBRIS, NOTE, QID as QID_CONTROL, STANCE, TARGET
from builder.interop.labelstudio.jsonmin import is_region_value, link_bare
from builder.interop.labelstudio.options import LabelStudioOptions
from builder.interop.labelstudio.spans import annotation_reading, resolve_offsets
from builder.interop.offsets import Utf16Map, utf16_map
from builder.interop.policies import QID, unique_id
from builder.interop.stances import EvidenceItem, stances_from_evidence
from builder.records import AUTHOR, Debris, Entity, Stance


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


class Extra(NamedTuple):
    """A per-region result (choices or text on a region), before it is matched to its region."""

    ref: str
    result: dict
    key: str  # its region id, or "#<result index>"


@dataclass(frozen=True, slots=True)
class Items:
    """What the results of one annotation hold."""

    entities: tuple[Entity, ...]
    cleaning: tuple[Debris, ...]
    stances: tuple[Stance, ...]


def parse_results(results: list, text: str, place: Place, options: LabelStudioOptions) -> tuple[Items, list[Problem]]:
    """The results of one annotation -> its entities, debris and stances, and problems."""
    units = utf16_map(text)
    told = annotation_reading(results, text, units, options.offsets)
    file = place.file
    problems: list[Problem] = []
    unlinked: set[str] = set()  # JSON-MIN per-region controls whose values could not be given a region
    if place.json_min:
        results, unlinked, problems = link_bare(results, file, place.where)
    regions: list[Region] = []
    extras: list[Extra] = []
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
            extras.append(Extra(ref, result, key))
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
    stances, found = build_stances(evidence_regions, holders, found_extras, place, options, unlinked)
    problems.extend(found)
    return Items(entities=entities, cleaning=cleaning, stances=stances), problems


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


def region_extras(extras: list[Extra], entity_regions: list[Region], evidence_regions: list[Region],
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
                  place: Place, options: LabelStudioOptions, unlinked: set[str] = frozenset()
                  ) -> tuple[tuple[Stance, ...], list[Problem]]:
    target_hint = " linked to it: JSON-MIN lost which region each target belongs to (E433)" if TARGET in unlinked else ""
    items = [EvidenceItem(target_hint=target_hint, where=place.at(r.ref), preferred_id=r.key if r.has_id else None, start=r.start,
                          end=r.end, text=r.text, label=r.label, holders=tuple(holders.get(r.key, ())),
                          author=bool(extras[AUTHOR_CONTROL].get(r.key)), targets=tuple(extras[TARGET].get(r.key, ())),
                          note=extras[NOTE].get(r.key) or None)
             for r in evidence]
    hint = " (JSON-MIN exports have no relations: export as JSON)" if place.json_min else ""
    return stances_from_evidence(items, options.labels, place.file, hint)


