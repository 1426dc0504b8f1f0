"""The msgspec structs of the annotation file format -> its JSON Schema, the words of a refused file.

msgspec decodes the files (``annotation_format``); what it refuses, ``jsonschema`` words with this
schema (``annotations.refusal_problems``). The schema says what the structs check, keyword for keyword,
in the words of ``jsonschema``'s messages: an optional string is ``"type": ["string", "null"]`` (not
``anyOf``, whose message would not name the pattern) and the format a ``const``, which is why it is not
``msgspec.json.schema``'s. ``builder/annotation.schema.json`` is its text, for readers and outside tools:
a checked output (tests/sources/test_annotation_schema.py), written again by
``python -m builder.sources.annotation_schema``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import msgspec

from builder.sources.annotation_format import ITEM_ID, JsonAnnotationFile, whole

JSON_SCHEMA_PATH = Path(__file__).resolve().parent.parent / "annotation.schema.json"
HEADER = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://newsstance.invalid/annotation.schema.json",
    "title": "newsstance annotation set: one annotator's annotations of one article",
    "$comment": "Made from the msgspec structs of builder/sources/annotation_format.py, which decode the files; "
                "this schema words what they refuse. Do not edit: python -m builder.sources.annotation_schema "
                "writes it again. Patterns end in (?![\\s\\S]), not $: in Python's re $ also matches before a final "
                "new line; no character may follow. Offsets are at most 2**63 - 1 (no text is longer).",
}


def schema_of(info: msgspec.inspect.Type) -> dict:
    """The JSON Schema keywords of a msgspec type: what msgspec checks, and an item's ``id`` matches
    ``ITEM_ID`` (which the decoder checks beside the structs, for all ids at once)."""
    if isinstance(info, msgspec.inspect.StructType):
        if not info.forbid_unknown_fields:
            raise TypeError(f"{info.cls.__name__} must forbid unknown fields, as additionalProperties false says")
        properties = {f.name: schema_of(f.type) for f in info.fields}
        if "id" in properties:
            properties["id"]["pattern"] = whole(ITEM_ID)
        return {"type": "object", "additionalProperties": False,
                "required": [f.name for f in info.fields if f.required], "properties": properties}
    if isinstance(info, msgspec.inspect.ListType):
        return {"type": "array", **({"minItems": info.min_length} if info.min_length is not None else {}),
                "items": schema_of(info.item_type)}
    if isinstance(info, msgspec.inspect.IntType) and (info.gt, info.lt, info.multiple_of) == (None, None, None):
        return {"type": "integer", "minimum": info.ge, "maximum": info.le}
    if isinstance(info, msgspec.inspect.StrType) and info.max_length is None:
        return {"type": "string", **({"minLength": info.min_length} if info.min_length is not None else {}),
                **({"pattern": info.pattern} if info.pattern is not None else {})}
    if isinstance(info, msgspec.inspect.LiteralType) and len(info.values) == 1:
        return {"const": info.values[0]}
    if isinstance(info, msgspec.inspect.UnionType) and len(info.types) == 2 and \
            isinstance(info.types[0], msgspec.inspect.StrType) and isinstance(info.types[1], msgspec.inspect.NoneType):
        return {**schema_of(info.types[0]), "type": ["string", "null"]}
    raise TypeError(f"no JSON Schema keywords for {info}: say it in schema_of")


@lru_cache(maxsize=1)
def json_schema() -> dict:
    """The JSON Schema of one annotation file."""
    return {**HEADER, **schema_of(msgspec.inspect.type_info(JsonAnnotationFile))}


def nests_properties(value: dict) -> bool:
    return "properties" in value or any(nests_properties(v) for v in value.values() if isinstance(v, dict))


def layout(value: object, indent: str = "", *, properties: bool = False) -> str:
    """JSON text with an object on its lines where it holds properties, any other value on one line."""
    if not isinstance(value, dict) or not (properties or nests_properties(value)):
        return json.dumps(value)
    inner = indent + "  "
    lines = [f"{inner}{json.dumps(key)}: {layout(v, inner, properties=key == 'properties')}" for key, v in value.items()]
    return "{\n" + ",\n".join(lines) + f"\n{indent}}}"


def json_schema_text() -> str:
    """The text of ``builder/annotation.schema.json``."""
    return layout(json_schema()) + "\n"


if __name__ == "__main__":
    JSON_SCHEMA_PATH.write_text(json_schema_text(), encoding="utf-8")
