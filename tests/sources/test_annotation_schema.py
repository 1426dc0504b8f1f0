"""builder/sources/annotation_schema.py: the JSON Schema made from the structs, and the committed file its text."""

from typing import Annotated

import msgspec
import pytest

from builder.sources.annotation_format import ITEM_ID, LARGEST_INTEGER, whole
from builder.sources.annotation_schema import JSON_SCHEMA_PATH, json_schema, json_schema_text, layout, schema_of


def test_the_committed_file_is_the_schema_made_from_the_structs():
    """Should this fail, the structs changed: ``python -m builder.sources.annotation_schema`` writes the file again."""
    assert JSON_SCHEMA_PATH.read_text(encoding="utf-8") == json_schema_text()


def test_the_schema_says_what_the_structs_check_in_the_keywords_jsonschema_words():
    schema = json_schema()
    entity = schema["properties"]["entities"]["items"]
    assert schema["properties"]["format"] == {"const": "newsstance-annotation/1"}
    assert entity["additionalProperties"] is False and entity["required"] == ["id", "start", "end", "label", "text"]
    assert entity["properties"]["start"] == {"type": "integer", "minimum": 0, "maximum": LARGEST_INTEGER}
    assert entity["properties"]["qid"] == {"type": ["string", "null"], "pattern": "^Q[1-9][0-9]*(?![\\s\\S])"}
    assert schema["properties"]["stances"]["items"]["properties"]["evidence"]["minItems"] == 1
    assert schema["properties"]["decisions"]["items"]["required"] == ["item", "decision", "reason"]
    assert LARGEST_INTEGER == 2**63 - 1


def test_every_item_id_has_the_item_id_pattern_the_decoder_checks_beside_the_structs():
    properties = json_schema()["properties"]
    for items in ("entities", "stances"):
        assert properties[items]["items"]["properties"]["id"] == {"type": "string", "pattern": whole(ITEM_ID)}


class Open(msgspec.Struct):
    name: str


class Counted(msgspec.Struct, forbid_unknown_fields=True):
    count: Annotated[int, msgspec.Meta(multiple_of=2)]


def test_a_struct_that_allows_unknown_fields_has_no_schema():
    with pytest.raises(TypeError, match="Open must forbid unknown fields"):
        schema_of(msgspec.inspect.type_info(Open))


def test_a_constraint_without_keywords_here_is_refused_not_dropped():
    with pytest.raises(TypeError, match="no JSON Schema keywords for IntType.*multiple_of=2"):
        schema_of(msgspec.inspect.type_info(Counted))


def test_an_object_with_properties_takes_lines_and_anything_else_one_line():
    schema = {"type": "object", "required": ["a"], "properties": {"a": {"type": "array", "items": {"type": "string"}}}}
    assert layout(schema) == ('{\n  "type": "object",\n  "required": ["a"],\n  "properties": {\n'
                              '    "a": {"type": "array", "items": {"type": "string"}}\n  }\n}')
