"""The shipped Label Studio labeling configuration."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from builder.sources.annotations import load_schema
from builder.interop.labelstudio.config import labelstudio_config
from conftest import REPO

SCHEMA = load_schema(REPO / "annotations" / "schema.yaml")


def test_the_shipped_config_is_generated_from_the_schema(repo):
    shipped = (repo / "annotations" / "labelstudio" / "config.xml").read_text(encoding="utf-8")
    assert shipped == labelstudio_config(SCHEMA)
    root = ET.fromstring(shipped)
    names = {tag.get("name"): tag for tag in root.iter() if tag.get("name")}
    assert [label.get("value") for label in names["entity"]] == list(SCHEMA.entity_labels)
    assert [label.get("value") for label in names["debris"]] == list(SCHEMA.debris_reasons)
    assert names["target"].get("perRegion") == "true"
