"""Label Studio JSON-MIN records -> full-export-like results, and the per-region values it unlinked.

JSON-MIN (Export > JSON-MIN; label-studio-sdk's ``convert_to_json_min``, Label Studio 1.2x) writes one
flat record per annotation: the task data fields, ``id``, ``annotator``, ``annotation_id``... and per
control name its values. A ``<Labels>`` control keeps its regions with offsets (``"entity": [{"start",
"end", "text", "labels"}]``); a per-region ``<Choices>``/``<TextArea>`` with one value per region loses
its region: ``"qid": ["Q30", "Q212"]`` (one bare value per region), a lone value unwrapped
(``"target": "us-peace-plan-2025"``). Relations are not written at all.

A bare value is given back to its region only when that is unambiguous: as many bare values as regions
of its kind still without a value of that control (a region holds one per control), all equal (one
value for one region, or the same target on every stance region). Otherwise the values are refused by
name (E433, the fix names the full JSON export), never dropped without a word.
"""

from __future__ import annotations

from collections.abc import Sequence

from builder.errors import Problem, problem
from builder.interop.labelstudio.config import AUTHOR_CONTROL, DEBRIS, NOTE, QID, STANCE, TARGET

MIN_RESERVED = {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time", "drafts",
                "predictions", "meta", "agreement"}
PER_REGION = {QID: "textarea", NOTE: "textarea", TARGET: "choices", AUTHOR_CONTROL: "choices"}
NAMES = {QID: "QID", NOTE: "note", TARGET: "target", AUTHOR_CONTROL: "@author choice"}


def is_region_value(value: object) -> bool:
    return isinstance(value, dict) and "start" in value and "end" in value


def bare_content(item: object, kind: str) -> list[str] | None:
    """A per-region value without offsets -> its content (choices or text lines), or None if it is not one."""
    if isinstance(item, str):
        return [item]
    if isinstance(item, list) and all(isinstance(x, str) for x in item):
        return list(item)
    key = "choices" if kind == "choices" else "text"
    if isinstance(item, dict) and not is_region_value(item) and isinstance(item.get(key), list):
        return [str(x) for x in item[key]]
    return None


def min_results(record: dict) -> list[dict]:
    """JSON-MIN keys holding regions or per-region values -> full-export-like results (without ids);
    per-region values without offsets are marked ``bare``."""
    results = []
    for name, value in record.items():
        if name in MIN_RESERVED:
            continue
        values = [value] if is_region_value(value) or (name in PER_REGION and isinstance(value, str)) else \
            value if isinstance(value, list) else []
        for k, item in enumerate(values):
            if is_region_value(item):
                kind = next((t for t in ("labels", "hypertextlabels", "paragraphlabels", "choices") if t in item),
                            "textarea" if isinstance(item.get("text"), list) else "labels")
                results.append({"from_name": name, "type": kind, "value": item, "ref": f"{name}[{k}]"})
            elif name in PER_REGION and (content := bare_content(item, PER_REGION[name])) is not None:
                key = "choices" if PER_REGION[name] == "choices" else "text"
                results.append({"from_name": name, "type": PER_REGION[name], "value": {key: content},
                                "ref": f"{name}[{k}]", "bare": True})
    return results


def family(control: object) -> str:
    return "stance" if control == STANCE else "debris" if control == DEBRIS else "entity"


def link_bare(results: Sequence[dict], file: str, where: str) -> tuple[list[dict], set[str], list[Problem]]:
    """Bare per-region values given the offsets of their region where that is unambiguous.

    Returns the results (linked values carry their region's offsets; the others are left out), the
    controls whose values were refused, and one E433 per refused control."""
    regions: dict[str, list[dict]] = {"entity": [], "stance": []}
    for r in results:
        if r.get("type") == "labels" and isinstance(r.get("value"), dict) and family(r.get("from_name")) in regions:
            regions[family(r["from_name"])].append(r["value"])
    bare: dict[str, list[dict]] = {}
    for r in results:
        if r.get("bare"):
            bare.setdefault(r["from_name"], []).append(r)
    kept = [r for r in results if not r.get("bare")]
    refused, problems = set(), []
    for name, values in bare.items():
        placed = {(r["value"].get("start"), r["value"].get("end")) for r in kept if r.get("from_name") == name}
        pool = [v for v in regions["entity" if name == QID else "stance"]  # a region holds one value per control
                if (v.get("start"), v.get("end")) not in placed]
        contents = [v["value"] for v in values]
        if len(values) == len(pool) and all(c == contents[0] for c in contents):
            kept += [dict(v, value={**v["value"], "start": region.get("start"), "end": region.get("end")})
                     for v, region in zip(values, pool)]
            continue
        shown = ", ".join(repr(" ".join(c.get("text", c.get("choices", [])))[:40]) for c in contents[:5])
        more = f" and {len(contents) - 5} more" if len(contents) > 5 else ""
        kind = "entity" if name == QID else "stance evidence"
        refused.add(name)
        problems.append(problem("E433", file, f"{where}, {name}", control=NAMES[name],
                                detail=f"{len(values)} {NAMES[name]} value(s) ({shown}{more}) for {len(pool)} "
                                       f"{kind} regions, without offsets to tell which region each belongs to"))
    return kept, refused, problems
