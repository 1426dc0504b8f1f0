"""builder/views/schema.py and the VIEWS registry: ClassLabels, the integers rows carry for them, Features by name."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field, fields

import pyarrow as pa
import pytest
from datasets import ClassLabel, List

from builder.views import DEFAULT_CONFIG, VIEWS, features_for
from builder.records import Schema, label_kind
from builder.views.schema import bio_names, label_ids, labels


def class_labels(feature, path: str = "") -> list[tuple[str, ClassLabel]]:
    if isinstance(feature, ClassLabel):
        return [(path, feature)]
    if isinstance(feature, List):
        return class_labels(feature.feature, path)
    if isinstance(feature, dict):
        return [found for key, f in feature.items() for found in class_labels(f, f"{path}/{key}")]
    return []


@pytest.mark.parametrize("config", VIEWS)
def test_label_ids_number_every_class_label_as_the_features_do(config, schema, ids):
    kind = {"label": None, "reason": ids.debris, "target": ids.target, "ner_tags": ids.bio}
    found = class_labels(features_for(config, schema))
    assert found, config
    for path, feature in found:
        name = path.rsplit("/", 1)[-1]
        expected = kind[name] or (ids.entity if path.startswith("/entities") else ids.stance)
        assert expected == {label: feature.str2int(label) for label in feature.names}, path


def test_bio_names_are_o_then_begin_and_inside_of_each_label_in_schema_order(schema):
    assert bio_names(schema) == ["O", "B-PERSON", "I-PERSON", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]


def test_the_configs_are_registered_in_the_order_the_build_writes_them():
    assert list(VIEWS) == ["documents", "ner", "stance", "cleaning", "annotations"] and DEFAULT_CONFIG == "documents"
    assert all(VIEWS[name].name == name and VIEWS[name].description for name in VIEWS)
    assert all((view.rows is None) == (view.derive is not None) for view in VIEWS.values())


def test_an_unknown_config_names_the_known_ones(schema):
    with pytest.raises(ValueError, match="unknown config 'nerr'; known: documents, ner, stance, cleaning, annotations"):
        features_for("nerr", schema)


def test_item_lists_are_lists_of_structs_not_structs_of_lists(schema):
    """The Hub viewer shows a list of structs; ``Sequence`` of a dict would make a struct of lists."""
    arrow = features_for("documents", schema).arrow_schema
    for name in ("metadata_notes", "entities", "stances", "debris"):
        assert pa.types.is_list(arrow.field(name).type) and pa.types.is_struct(arrow.field(name).type.value_type)
    evidence = arrow.field("stances").type.value_type.field("evidence").type
    assert pa.types.is_list(evidence) and pa.types.is_struct(evidence.value_type)


def test_the_arrow_schema_keeps_the_class_label_names(schema):
    metadata = features_for("ner", schema).arrow_schema.metadata[b"huggingface"]
    assert b"ClassLabel" in metadata and b"B-PERSON" in metadata


@dataclass(frozen=True, slots=True)
class WithRelations(Schema):
    """The schema with one more kind of label, as a new annotation layer would add it to ``Schema``."""

    relation_labels: dict[str, str] = field(default_factory=dict, metadata=label_kind("relation"))


def test_class_labels_and_label_ids_follow_the_kinds_of_the_schema(schema):
    assert [kind.name for kind in Schema.kinds()] == ["entity", "stance", "debris", "target"]
    wider = WithRelations(**{f.name: getattr(schema, f.name) for f in fields(schema)},
                          relation_labels={"employs": "", "owns": ""})
    assert {kind: label.names for kind, label in labels(wider).items()} == {
        "entity": ["PERSON", "ORG", "LOC"], "stance": ["favor", "against", "neutral"],
        "debris": ["advertising", "promotion"], "target": ["plan", "deal"], "relation": ["employs", "owns"]}
    ids = label_ids(wider)
    assert ids.relation == {"employs": 0, "owns": 1} and ids.target == {"plan": 0, "deal": 1}
    assert ids.bio == {name: i for i, name in enumerate(bio_names(schema))}


def test_label_ids_refuse_an_unknown_kind_and_survive_pickling(ids):
    with pytest.raises(AttributeError, match="no label kind 'relation'"):
        ids.relation
    assert pickle.loads(pickle.dumps(ids)).entity == ids.entity == {"PERSON": 0, "ORG": 1, "LOC": 2}
