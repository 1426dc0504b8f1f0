"""Small corpora written into a temporary folder, for tests of the loaders and the build.

Offsets are computed from the text with ``span()`` so that a fixture reads like the text it marks.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from builder.config import BuildConfig
from builder.errors import InputError

REPO = Path(__file__).resolve().parents[1]

ARTICLE = (
    "Continues after advertising\n"
    "President Joe Biden met Olaf Scholz in Berlin on Monday.\n"
    "FREE TOOL\n"
    "“We back the plan,” Biden said.\n"
    "The Kremlin rejected it.\n"
)


def span(text: str, quoted: str, nth: int = 0) -> dict:
    """{"start", "end", "text"} of the nth occurrence of ``quoted`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(quoted, start + 1)
    return {"start": start, "end": start + len(quoted), "text": quoted}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def meta(article_id: str, text: str, **overrides) -> dict:
    data = {"id": article_id, "file": f"{article_id}.txt", "sha256": sha(text), "language": "en",
            "outlet": "Test Outlet", "url": "https://example.invalid/a", "published": "2025-11-20",
            "rights": "test fixture", "split": None, "notes": {}, "inferred": []}
    data.update(overrides)
    return data


def write_article(corpus: Path, article_id: str, text: str, **overrides) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / f"{article_id}.txt").write_bytes(text.encode("utf-8"))
    (corpus / f"{article_id}.meta.json").write_text(json.dumps(meta(article_id, text, **overrides)), encoding="utf-8")


def annotation(article_id: str, text: str, annotator: str, *, entities=(), stances=(), cleaning=None, **extra) -> dict:
    if cleaning is None:
        cleaning = [dict(span(text, "Continues after advertising"), reason="advertising"),
                    dict(span(text, "FREE TOOL"), reason="promotion")]
    return {"format": "newsstance-annotation/1", "article_id": article_id, "annotator": annotator,
            "raw_sha256": sha(text), "cleaning": list(cleaning), "entities": list(entities),
            "stances": list(stances), **extra}


def default_entities(text: str = ARTICLE) -> list[dict]:
    return [dict(span(text, "Joe Biden"), id="e1", label="PERSON", qid="Q6279"),
            dict(span(text, "Olaf Scholz"), id="e2", label="PERSON"),
            dict(span(text, "Berlin"), id="e3", label="GPE"),
            dict(span(text, "Monday"), id="e4", label="DATE"),
            dict(span(text, "Biden", nth=1), id="e5", label="PERSON", qid="Q6279"),
            dict(span(text, "Kremlin"), id="e6", label="ORG", qid="Q1033000")]


def default_stances(text: str = ARTICLE, kremlin: str = "against") -> list[dict]:
    return [{"id": "s1", "holder": "e5", "target": "us-peace-plan-2025", "label": "favor",
             "evidence": [span(text, "We back the plan")]},
            {"id": "s2", "holder": "e6", "target": "us-peace-plan-2025", "label": kremlin,
             "evidence": [span(text, "rejected it")]}]


def full_document() -> dict:
    return annotation("a1", ARTICLE, "team-a", entities=default_entities(), stances=default_stances(),
                      adjudicated_from=["team-b"], decisions=[{"item": "x", "decision": "y", "reason": "z"}])


def write_annotation(annotations: Path, data: dict) -> Path:
    path = annotations / data["annotator"] / f"{data['article_id']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def make_project(root: Path, *, annotators=("team-a", "team-b"), gold: bool = True, text: str = ARTICLE,
                 article_id: str = "a1", split: str | None = "train") -> Path:
    """A corpus with one article, its annotation sets, the repository's schema files and card."""
    corpus, annotations = root / "corpus", root / "annotations"
    write_article(corpus, article_id, text, split=split)
    annotations.mkdir(parents=True, exist_ok=True)
    for name in ("schema.yaml", "annotators.yaml"):
        shutil.copy(REPO / "annotations" / name, annotations / name)
    shutil.copy(REPO / "DATASET_CARD.md", root / "DATASET_CARD.md")
    who = list(annotators) + (["gold"] if gold else [])
    for annotator in who:
        write_annotation(annotations, annotation(article_id, text, annotator, entities=default_entities(text),
                                                 stances=default_stances(text)))
    return root


def fail_on(problems):
    """Returned problems -> the InputError a caller would raise, so tests can match the full message."""
    if problems:
        raise InputError(problems)


def files_of(folder):
    """Every file under ``folder`` with its bytes, by relative name: what two builds compare."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def config_for(root, output, **options):
    """The build configuration of the project folder ``root`` (as benchmarks.synthetic writes one), into ``output``."""
    return BuildConfig(corpus_dir=root / "corpus", annotations_dir=root / "annotations", output_dir=output,
                       card_path=root / "DATASET_CARD.md", benchmarks_dir=root / "no-results", **options)


def write_built(root, config, splits):
    """A built dataset folder with the rows of one config per split (``splits``: split -> row dicts), as
    ``newsstance build`` lays it out, with the repository's label schema."""
    from datasets import Dataset

    from builder.sources.annotations import load_schema
    from builder.views import features_for
    features = features_for(config, load_schema(REPO / "annotations" / "schema.yaml"))
    for split, rows in splits.items():
        path = root / config / f"{split}-00000-of-00001.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        Dataset.from_list(rows, features=features).to_parquet(str(path))
    return root
