"""A corpus mixing a CC-BY-4.0 article (a1) and one whose licence is null (b2), built full and public once."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from builder.pipeline import build
from factories import annotation, config_for, make_project, span, write_annotation, write_article

RESTRICTED = "b2"
# words that occur nowhere else in the project, so that finding one in the public release is a leak
TEXT = ("Subscribe now\n"
        "Minister Zora Quillfeather met Ivo Brandtlund in Tallinn on Friday.\n"
        "“We oppose the accord,” Quillfeather declared.\n"
        "The Riigikogu welcomed it.\n")
DISTINCT = ("Quillfeather", "Brandtlund", "Tallinn", "Riigikogu", "Subscribe", "accord", "declared")


def restricted_sets(text: str = TEXT) -> list[dict]:
    entities = [dict(span(text, "Zora Quillfeather"), id="e1", label="PERSON"),
                dict(span(text, "Ivo Brandtlund"), id="e2", label="PERSON"),
                dict(span(text, "Tallinn"), id="e3", label="GPE", qid="Q1770"),
                dict(span(text, "Quillfeather", nth=1), id="e4", label="PERSON"),
                dict(span(text, "Riigikogu"), id="e5", label="ORG", qid="Q217799")]
    stances = [{"id": "s1", "holder": "e4", "target": "us-peace-plan-2025", "label": "against",
                "evidence": [span(text, "We oppose the accord")]},
               {"id": "s2", "holder": "e5", "target": "us-peace-plan-2025", "label": "favor",
                "evidence": [span(text, "welcomed it")]},
               {"id": "s3", "holder": "@author", "target": "us-peace-plan-2025", "label": "neutral",
                "evidence": [span(text, "met Ivo Brandtlund")]}]
    cleaning = [dict(span(text, "Subscribe now"), reason="promotion")]
    return [annotation(RESTRICTED, text, who, entities=entities, stances=stances, cleaning=cleaning)
            for who in ("team-a", "team-b", "gold")]


def mixed_project(root: Path) -> Path:
    make_project(root)
    meta = root / "corpus" / "a1.meta.json"
    meta.write_text(json.dumps(json.loads(meta.read_text()) | {"license": "CC-BY-4.0"}), encoding="utf-8")
    write_article(root / "corpus", RESTRICTED, TEXT, split="train", url="https://example.invalid/b2")
    for data in restricted_sets():
        write_annotation(root / "annotations", data)
    return root


@pytest.fixture(scope="session")
def mixed(tmp_path_factory):
    """The project, its full and its public build, and a folder with a good copy of the restricted text."""
    tmp = tmp_path_factory.mktemp("mixed")
    root = mixed_project(tmp / "project")
    full = build(config_for(root, tmp / "full", cache_dir=None))
    public = build(config_for(root, tmp / "public", release="public"))
    texts = tmp / "texts"
    texts.mkdir()
    (texts / f"{RESTRICTED}.txt").write_bytes(TEXT.encode("utf-8"))
    return SimpleNamespace(root=root, full=full, public=public, texts=texts, tmp=tmp)
