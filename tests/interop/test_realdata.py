"""Every real export in ../shared/realdata (Label Studio, brat) goes in whole or is refused with a reason.

Each export is imported as new articles into a scratch project; every text span of it is either an
entity of a written file or named by a problem, and validate's checks of what was written find nothing.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from builder.interop.brat.collection import import_brat
from builder.interop.brat.standoff import parse_lines
from builder.interop.labelstudio.options import LabelStudioOptions
from builder.interop.labelstudio.tasks import import_labelstudio
from builder.interop.matching import NewArticles
from builder.interop.policies import AnnotatorPolicy, LabelPolicy
from builder.sources.annotations import load_schema
from conftest import REPO, SHARED

REALDATA = SHARED / "realdata"
SCHEMA = load_schema(REPO / "annotations" / "schema.yaml")
LABELS = LabelPolicy(SCHEMA, {"PER": "PERSON", "Person": "PERSON", "ORG": "ORG", "Organization": "ORG", "LOC": "LOC",
                              "GPE": "GPE", "Money": "MONEY", "Datetime": "DATE", "Date": "DATE", "MISC": None})
SPAN_CODES = {"E404", "E405", "E406", "E407", "E408", "E417", "E418", "E432"}
LS_EXPORTS = sorted(REALDATA.glob("labelstudio/*/*.json")) if REALDATA.is_dir() else []
BRAT_FOLDERS = sorted({p.parent for p in REALDATA.glob("brat/**/*.ann")}) if REALDATA.is_dir() else []


def scratch(root: Path) -> dict:
    (root / "annotations").mkdir(parents=True)
    shutil.copy(REPO / "annotations" / "schema.yaml", root / "annotations")
    return {"corpus_dir": root / "corpus", "annotations_dir": root / "annotations",
            "new_articles": NewArticles("nl", "unknown", "realdata"), "annotator_kind": lambda annotator: "human"}


def ls_spans(export: object, source: str) -> int:
    tasks = [export] if isinstance(export, dict) else export
    if any("data" in t for t in tasks):
        return sum(1 for t in tasks for a in t.get(source) or [] if isinstance(a, dict)
                   for r in a.get("result", []) if r.get("type") == "labels")
    return sum(1 for t in tasks for v in t.values() if isinstance(v, list) for x in v if isinstance(x, dict) and "labels" in x)


@pytest.mark.skipif(not LS_EXPORTS, reason="../shared/realdata is not on this machine")
@pytest.mark.parametrize("source", ["annotations", "predictions"])
@pytest.mark.parametrize("path", LS_EXPORTS, ids=lambda p: p.name)
def test_every_real_labelstudio_export_goes_in_whole_or_is_refused_with_a_reason(tmp_path, path, source):
    export = json.loads(path.read_text(encoding="utf-8"))
    fixed = None if "biographynet" in str(path) else "ls-example"  # the Label Studio fixtures have no completed_by
    options = LabelStudioOptions(labels=LABELS, source=source, annotators=AnnotatorPolicy(fixed=fixed))
    report = import_labelstudio(path, options=options, **scratch(tmp_path))
    refused = [p for p in report.problems if p.code in SPAN_CODES]
    assert report.counts["entities"] + len(refused) == ls_spans(export, source)
    assert report.checks == ()
    assert report.written or report.problems  # nothing written is always said why


@pytest.mark.skipif(not BRAT_FOLDERS, reason="../shared/realdata is not on this machine")
@pytest.mark.parametrize("folder", BRAT_FOLDERS, ids=lambda p: p.name)
def test_every_real_brat_export_goes_in_whole_or_is_refused_with_a_reason(tmp_path, folder):
    spans = {(str(p), t) for p in folder.glob("*.ann") for t in parse_lines(p.read_text(encoding="utf-8"), str(p))[0]}
    report = import_brat(folder, annotator="brat-example", labels=LABELS, **scratch(tmp_path))
    refused = {(p.file, found.group(1)) for p in report.problems if (found := re.search(r"\((T\d+) ", p.where))}
    assert report.counts["entities"] + len(refused) == len(spans) and refused <= spans
    assert report.checks == ()
