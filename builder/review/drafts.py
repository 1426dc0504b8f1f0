"""Draft gold files: write one from an article's annotator sets, and take its chosen candidates in (I/O edge)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from builder.article.adjudicate import GOLD
from builder.article.draft import apply_decisions, draft_gold
from builder.errors import InputError, problem
from builder.sources.annotations import dump_annotation_set, load_annotation_file, scan_annotations
from builder.sources.corpus import is_safe_id


def read_sets(annotations_dir: Path):
    sets, problems = scan_annotations(annotations_dir)
    if problems:
        raise InputError(problems)
    return sets


def gold_file(annotations_dir: Path, article_id: str) -> Path:
    """``gold/<article_id>.json``; an id that is not a safe file name (``../team-a/x``) is refused (E947)."""
    if not is_safe_id(article_id):
        raise InputError([problem("E947", f"{annotations_dir}/{GOLD}", "ARTICLE", id=article_id)])
    return Path(annotations_dir) / GOLD / f"{article_id}.json"


def write_draft(annotations_dir: Path, article_id: str, *, annotators: Sequence[str] = (),
                overwrite: bool = False) -> Path:
    """Write ``gold/<article_id>.json``: the draft of the article's sets by ``annotators`` (all when empty)."""
    target = gold_file(annotations_dir, article_id)
    if target.exists() and not overwrite:
        raise InputError([problem("E942", str(target), f"article {article_id}", id=article_id)])
    sets = [s for s in read_sets(Path(annotations_dir)) if s.article_id == article_id and not s.is_gold
            and (not annotators or s.annotator in annotators)]
    if len(sets) < 2:
        wanted = ", ".join(annotators) if annotators else "all annotators"
        raise InputError([problem("E943", f"{annotations_dir}/*/{article_id}.json", f"article {article_id}",
                                  id=article_id, count=len(sets), wanted=wanted)])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dump_annotation_set(draft_gold(sets)), encoding="utf-8")
    return target


@dataclass(frozen=True, slots=True)
class Applied:
    path: Path
    decisions: int  # the decisions whose candidates were taken in; 0: the file was left as it was


def apply_draft(annotations_dir: Path, article_id: str) -> Applied:
    """Rewrite ``gold/<article_id>.json`` with its chosen candidates taken into its items (``apply_decisions``);
    a gold set without candidates (adjudicated, or applied before) is left untouched, ids and layout as written."""
    target = gold_file(annotations_dir, article_id)
    if not target.exists():
        raise InputError([problem("E945", str(target), f"article {article_id}", id=article_id)])
    draft, problems = load_annotation_file(target)
    if draft is None:
        raise InputError(problems)
    gold = apply_decisions(draft)  # refuses open decisions first, even in a file with nothing to take in
    taken = sum(1 for d in draft.decisions if d.candidates)
    if taken:
        target.write_text(dump_annotation_set(gold), encoding="utf-8")
    return Applied(target, taken)
