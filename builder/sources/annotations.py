"""annotations/ -> annotation sets per (article, annotator), plus the label schema and annotators.

Layout (documented in annotations/README.md):
    annotations/schema.yaml              entity labels, stance labels, debris reasons, targets
    annotations/annotators.yaml          who made each set
    builder/annotation.schema.json       JSON Schema of one annotation file (made by ``annotation_schema``)
    annotations/<annotator>/<article_id>.json   one file per (article, annotator); gold/ is adjudicated

This module reads and writes the files. msgspec decodes them (``annotation_format``); the JSON Schema
words what msgspec refuses. Checks against the article text and the label inventory live in
``article.set_checks``.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

import jsonschema
import msgspec
import yaml

from builder.errors import InputError, Problem, problem
from builder.records import AnnotationSet, Annotator, Schema
from builder.sources.annotation_format import ANNOTATION_LISTS, FILE, Refused, convert_annotation
from builder.sources.annotation_format import ANNOTATOR_ID, ITEM_ID, QID  # noqa: F401 (the importers read them here)
from builder.sources.annotation_schema import json_schema
from builder.sources import limits
from builder.sources.strict_json import json_pointer, lone_surrogates, read_json
from builder.sources.safe_files import read_input

GOLD = "gold"
RESERVED = {"labelstudio", "brat"}  # folders under annotations/ that hold tool configurations


@lru_cache(maxsize=1)
def json_schema_validator() -> jsonschema.Draft202012Validator:
    """The validator that words the problems of a document msgspec refuses."""
    return jsonschema.Draft202012Validator(json_schema())


class StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader without anchors and aliases: a few lines of nested aliases expand to gigabytes."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            what = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
            raise AliasRefused(what, event.start_mark.line + 1)
        return super().compose_node(parent, index)


class AliasRefused(Exception):
    def __init__(self, what: str, line: int):
        super().__init__(what, line)
        self.what, self.line = what, line


def read_yaml(path: Path, root: Path | None = None) -> object:
    """The document of a YAML file of at most ``yaml_bytes`` (inside the folder ``root``, if given)."""
    try:
        text = read_input(path, root, "yaml_bytes").decode("utf-8")
    except OSError as exc:
        raise InputError([problem("E015", path, name=Path(path).name, detail=exc.strerror or str(exc))]) from None
    except UnicodeDecodeError as exc:
        detail = f"not UTF-8 (byte 0x{exc.object[exc.start]:02x} at byte offset {exc.start})"
        raise InputError([problem("E015", path, name=Path(path).name, detail=detail)]) from None
    try:
        return yaml.load(text, Loader=StrictLoader)
    except AliasRefused as exc:
        raise InputError([problem("E805", path, what=exc.what, line=exc.line)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        raise InputError([problem("E002", path, detail=getattr(exc, "problem", None) or str(exc), line=line)]) from None


def unknown_keys(data: dict, known: tuple[str, ...], path: Path, pointer: str = "/") -> list[Problem]:
    """E806 for the keys of ``data`` that are not ``known``."""
    unknown = sorted(str(k) for k in data if k not in known)
    return [problem("E806", path, unknown=", ".join(unknown), pointer=pointer, known=", ".join(known))] if unknown else []


LABEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/+-]{0,63}")  # shown in the card and the ClassLabels as such


def text_mapping_problems(data: dict, section: str, path: Path) -> list[Problem]:
    """E807 for a name of a schema section that is not a plain label name, or a description that is not text."""
    found = []
    for key, value in data[section].items():
        if not isinstance(key, str) or not LABEL_NAME.fullmatch(key):
            found.append(problem("E807", path, pointer=f"/{section}", expected="keyed by label names (letters, "
                                 "digits and _ . : / + -, at most 64)", got=repr(key)[:80]))
        elif not isinstance(value, str):
            found.append(problem("E807", path, pointer=f"/{section}/{key}", expected="a text (the label's description)",
                                 got=type(value).__name__))
    return found


# schema.yaml keys read by other stages: the limits in force, the licences that allow redistribution (``release``)
OPTIONAL_SCHEMA_KEYS = ("limits", "redistributable_licenses", "annotations_license")


def load_schema(path: Path) -> Schema:
    """The label schema; its ``limits:`` mapping becomes the limits in force (``sources.limits``)."""
    limits.use(limits.Limits())
    data = read_yaml(path, Path(path).parent)
    sections = [f.name for f in fields(Schema)]
    if not isinstance(data, dict) or any(not isinstance(data.get(s), dict) or not data[s] for s in sections):
        raise InputError([problem("E101", path, detail=f"schema.yaml needs non-empty mappings {', '.join(sections)}",
                                  pointer="/")])
    found = unknown_keys(data, (*sections, *OPTIONAL_SCHEMA_KEYS), path)
    for section in sections:
        found += text_mapping_problems(data, section, path)
    if found:
        raise InputError(found)
    limits.use(limits.limits_from(data.get("limits"), str(path)))
    return Schema(**{s: {str(k): str(v) for k, v in data[s].items()} for s in sections})


def load_annotators(path: Path) -> dict[str, Annotator]:
    data = read_yaml(path, Path(path).parent)
    entries = data.get("annotators") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and {"id", "kind", "description"} <= set(e) for e in entries):
        raise InputError([problem("E101", path, detail="annotators.yaml needs a list 'annotators' of {id, kind, description}",
                                  pointer="/annotators")])
    found = unknown_keys(data, ("annotators",), path)
    found += [problem("E807", path, pointer=f"/annotators/{i}/{key}", expected="a text", got=type(e[key]).__name__)
              for i, e in enumerate(entries) for key in ("id", "kind", "description")
              if not isinstance(e[key], str)]
    if found:
        raise InputError(found)
    return {str(e["id"]): Annotator(id=str(e["id"]), kind=str(e["kind"]), description=" ".join(str(e["description"]).split()))
            for e in entries}


def parse_annotation_set(data: object, path: Path | None) -> tuple[AnnotationSet | None, list[Problem]]:
    """A parsed JSON document -> AnnotationSet, or every shape problem found in it."""
    found = convert_annotation(data, path)
    if isinstance(found, AnnotationSet):
        return found, []
    return None, refusal_problems(data, path, found)


def refusal_problems(data: object, path: Path | None, refused: Refused) -> list[Problem]:
    """What is wrong with a document msgspec refuses: E013 for lone surrogates (a document from a file
    has none: ``read_json`` refuses them), else E101 for each error the JSON Schema finds, else (never a
    silent drop) E101 in msgspec's words."""
    surrogates = lone_surrogates(data, str(path), annotation_where)
    if surrogates:
        return surrogates
    errors = sorted(json_schema_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        return [problem("E101", str(path), annotation_where(data, e.absolute_path), detail=e.message,
                        pointer=json_pointer(e.absolute_path)) for e in errors]
    return [problem("E101", str(path), annotation_where(data, refused.parts), detail=refused.detail,
                    pointer=json_pointer(refused.parts))]


def annotation_where(data: object, pointer) -> str:
    parts = list(pointer)
    article = data.get("article_id") if isinstance(data, dict) else None
    where = "" if not isinstance(article, str) else f"article {article if article.isprintable() else repr(article)}"
    if len(parts) >= 2 and parts[0] in ANNOTATION_LISTS:
        where += f", {parts[0]}[{parts[1]}]"
    return where.lstrip(", ")


def load_annotation_file(path: Path) -> tuple[AnnotationSet | None, list[Problem]]:
    problems: list[Problem] = []
    data = read_json(path, problems, annotation_where, root=Path(path).parent.parent, limit="annotation_file_bytes")
    if data is None:
        return None, problems
    aset, problems = parse_annotation_set(data, path)
    return (None, problems) if aset is None else in_its_folder(aset, path)


def in_its_folder(aset: AnnotationSet, path: Path) -> tuple[AnnotationSet | None, list[Problem]]:
    """``aset``, or E113 when the folder of its file names another annotator, or E801 when it holds more
    spans than the limit ``spans_per_file``."""
    spans = len(aset.entities) + len(aset.cleaning) + sum(len(s.evidence) for s in aset.stances)
    if spans > limits.active().spans_per_file:
        return None, [limits.breach(str(path), "the number of spans (entities, evidence, debris)", spans,
                                    "spans_per_file", f"article {aset.article_id}")]
    if aset.annotator != path.parent.name:
        return None, [problem("E113", path, f"article {aset.article_id}", folder=path.parent.name, annotator=aset.annotator)]
    return aset, []


def annotation_files(annotations_dir: Path) -> list[Path]:
    """Every annotation file, sorted by (annotator, article) so the order never depends on the file system."""
    root = Path(annotations_dir)
    return sorted((p for p in root.glob("*/*.json") if p.parent.name not in RESERVED),
                  key=lambda p: (p.parent.name, p.name))


def scan_annotations(annotations_dir: Path) -> tuple[list[AnnotationSet], list[Problem]]:
    sets: list[AnnotationSet] = []
    problems: list[Problem] = []
    for path in annotation_files(annotations_dir):
        aset, found = load_annotation_file(path)
        problems.extend(found)
        if aset is not None:
            sets.append(aset)
    return sets, problems


def annotation_set_to_dict(aset: AnnotationSet) -> dict:
    """The document of a set: the fields of the file's structs (``annotation_format``), read from the records."""
    return written(FILE, aset)


def written(info: msgspec.inspect.Type, value: object) -> object:
    """``value`` as the struct type ``info`` writes it: a record's fields in the struct's order, the
    format its constant, an optional field only where it has a value (None, "" and () are not written)."""
    if isinstance(info, msgspec.inspect.StructType):
        found = {}
        for f in info.fields:
            if isinstance(f.type, msgspec.inspect.LiteralType):
                found[f.name] = f.type.values[0]
            elif f.required or getattr(value, f.name):
                found[f.name] = written(f.type, getattr(value, f.name))
        return found
    if isinstance(info, msgspec.inspect.ListType):
        return [written(info.item_type, item) for item in value]
    return value


def dump_annotation_set(aset: AnnotationSet) -> str:
    """The canonical text of an annotation file: stable key order, 2-space indent, trailing newline."""
    return json.dumps(annotation_set_to_dict(aset), ensure_ascii=False, indent=2) + "\n"


def write_annotation_set(aset: AnnotationSet, annotations_dir: Path) -> Path:
    path = Path(annotations_dir) / aset.annotator / f"{aset.article_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_annotation_set(aset), encoding="utf-8")
    return path
