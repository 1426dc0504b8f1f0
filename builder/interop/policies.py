"""How a tool's names become newsstance names: label and annotator policies, their mapping files, ids."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from builder.errors import InputError, Problem, problem
from builder.records import Schema
from builder.sources import annotations
from builder.sources.annotations import read_yaml

ANNOTATOR_ID = re.compile(annotations.ANNOTATOR_ID)  # the schema's patterns, matched whole (fullmatch)
ITEM_ID = re.compile(annotations.ITEM_ID)
QID = re.compile(annotations.QID)
SECTION_NAMES = {"entity_labels": "entity labels", "debris_reasons": "debris reasons",
                 "stance_labels": "stance labels", "targets": "targets"}


@dataclass(frozen=True, slots=True)
class LabelPolicy:
    """How tool labels become schema labels.

    ``label_map`` maps a tool's entity label to a schema entity label, or to ``None`` to skip it on
    purpose (still reported). With ``schema=None`` or ``keep_unknown=True`` unknown labels are kept as
    they are (a scratch import: ``newsstance validate`` then lists them).
    """

    schema: Schema | None = None
    label_map: Mapping[str, str | None] = field(default_factory=dict)
    keep_unknown: bool = False

    def resolve(self, section: str, label: str, file: str, where: str) -> tuple[str | None, list[Problem]]:
        if section == "entity_labels" and label in self.label_map:
            mapped = self.label_map[label]
            if mapped is None:
                return None, [problem("E407", file, where, label=label)]
            label = mapped
        known = getattr(self.schema, section) if self.schema is not None else None
        if known is None or label in known or self.keep_unknown:
            return label, []
        return None, [problem("E406", file, where, label=label, section=SECTION_NAMES[section],
                              known=", ".join(known))]


@dataclass(frozen=True, slots=True)
class AnnotatorPolicy:
    """``fixed`` (``--annotator``) names every imported set; else ``mapping`` (``--annotator-map``)
    maps the tool's user (id, email or model version, as a string); else ``derive`` names it."""

    fixed: str | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)

    def resolve(self, who: str | None, derive: Callable[[str], str | None]) -> str | None:
        if self.fixed is not None:
            return self.fixed
        if who is None:
            return None
        if who in self.mapping:
            return self.mapping[who]
        return derive(who)


def load_mapping(path: Path, what: str) -> dict[str, str | None]:
    """A YAML mapping file (label map, annotator map) -> {str: str | None}."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not all(v is None or isinstance(v, (str, int)) for v in data.values()):
        raise InputError([problem("E426", path, what=what,
                                  detail="expected a mapping of names to names (or null)")])
    return {str(k): (None if v is None else str(v)) for k, v in data.items()}


def load_annotator_map(path: Path) -> dict[str, str]:
    mapping = load_mapping(path, "annotator map")
    bad = sorted(f"{k}: {v!r}" for k, v in mapping.items() if v is None or not ANNOTATOR_ID.fullmatch(v))
    if bad:
        raise InputError([problem("E426", path, what="annotator map",
                                  detail=f"not annotator ids (lowercase letters, digits, '_', '-'): {'; '.join(bad)}")])
    return {k: v for k, v in mapping.items() if v is not None}


def slug(value: str) -> str:
    """A string -> lowercase letters, digits, '_' and '-' (for derived annotator ids)."""
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9_-]", "-", value.lower())).strip("-_")


def unique_id(preferred: str | None, used: set[str], prefix: str) -> str:
    """``preferred`` when it is a valid item id not yet used, else the first free ``<prefix><n>``."""
    if preferred is not None and ITEM_ID.fullmatch(preferred) and preferred not in used:
        used.add(preferred)
        return preferred
    n = 1
    while f"{prefix}{n}" in used:
        n += 1
    used.add(f"{prefix}{n}")
    return f"{prefix}{n}"
