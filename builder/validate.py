"""Every check of the inputs, one report.

``check_set`` checks one annotation set against its article, the label schema and the annotators;
``validate_inputs`` loads everything, runs every check (including token alignment of each set's
entities over its own cleaned text) and returns all problems at once. Nothing stops at the first one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .align import boundary_problems, tokenize
from .annotations import load_annotators, load_schema, scan_annotations
from .clean import clean_article, removed_ranges
from .corpus import scan_corpus
from .errors import InputError, Problem, excerpt_around, problem
from .project import holder_key, project_span
from .records import AUTHOR, AnnotationSet, Annotator, RawArticle, Schema


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything the build reads, loaded and sorted."""

    articles: tuple[RawArticle, ...]
    sets_by_article: Mapping[str, tuple[AnnotationSet, ...]]
    schema: Schema
    annotators: Mapping[str, Annotator]


@dataclass(frozen=True, slots=True)
class Report:
    inputs: Inputs | None
    problems: tuple[Problem, ...]
    counts: Mapping[str, int]  # what was checked: articles, annotation sets, entities, stances, debris

    @property
    def ok(self) -> bool:
        return not self.problems


def check_span(text: str, start: int, end: int, quoted: str, file: str, where: str) -> list[Problem]:
    if not 0 <= start < end <= len(text):
        return [problem("E104", file, where, start=start, end=end, length=len(text))]
    if text[start:end] != quoted:
        return [problem("E105", file, where, excerpt=excerpt_around(text, start, end),
                        quoted=quoted, start=start, end=end, actual=text[start:end])]
    return []


def overlapping_pairs(spans: Sequence[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Index pairs (i, j) of overlapping (start, end, index) spans."""
    pairs = []
    ordered = sorted(spans)
    for position, (start, end, i) in enumerate(ordered):
        for other_start, other_end, j in ordered[position + 1:]:
            if other_start >= end:
                break
            pairs.append((i, j))
    return pairs


def check_set(aset: AnnotationSet, article: RawArticle, schema: Schema,
              annotators: Mapping[str, Annotator]) -> list[Problem]:
    """Every check of one set against its article; offsets are checked only if the text is the one annotated."""
    file = str(aset.path)
    base = f"article {aset.article_id}"
    if aset.raw_sha256 != article.meta.sha256:
        return [problem("E103", file, base, actual=aset.raw_sha256, expected=article.meta.sha256)]
    text = article.text
    found: list[Problem] = []
    if aset.annotator not in annotators:
        found.append(problem("E111", file, base, annotator=aset.annotator))

    def where(kind: str, index: int, start: int, end: int) -> str:
        return f"{base}, {kind}[{index}], offsets [{start}, {end})"

    valid_debris = []
    for i, d in enumerate(aset.cleaning):
        found += check_span(text, d.start, d.end, d.text, file, where("cleaning", i, d.start, d.end))
        if d.reason not in schema.debris_reasons:
            found.append(problem("E106", file, where("cleaning", i, d.start, d.end), kind="debris reason",
                                 value=d.reason, known=", ".join(schema.debris_reasons)))
        if 0 <= d.start < d.end <= len(text):
            valid_debris.append((d.start, d.end, i))
    for i, j in overlapping_pairs(valid_debris):
        a, b = aset.cleaning[i], aset.cleaning[j]
        found.append(problem("E112", file, where("cleaning", i, a.start, a.end), start=a.start, end=a.end,
                             other_start=b.start, other_end=b.end))
    removed = removed_ranges(text, [aset.cleaning[i] for _, _, i in valid_debris])

    def debris_problems(start: int, end: int, quoted: str, place: str) -> list[Problem]:
        hits = [(a, b) for a, b in removed if a < end and start < b]
        return [problem("E108", file, place, excerpt=excerpt_around(text, start, end), start=start, end=end,
                        text=quoted, debris_start=a, debris_end=b) for a, b in hits[:1]]

    ids = Counter(e.id for e in aset.entities)
    found += [problem("E110", file, base, kind="entity", value=v) for v, n in sorted(ids.items()) if n > 1]
    valid_entities = []
    for i, e in enumerate(aset.entities):
        place = where("entities", i, e.start, e.end) + f" (id {e.id})"
        span_problems = check_span(text, e.start, e.end, e.text, file, place)
        found += span_problems
        if e.label not in schema.entity_labels:
            found.append(problem("E106", file, place, kind="entity label", value=e.label,
                                 known=", ".join(schema.entity_labels)))
        if not span_problems:
            valid_entities.append((e.start, e.end, i))
            found += debris_problems(e.start, e.end, e.text, place)
    for i, j in overlapping_pairs(valid_entities):
        a, b = aset.entities[i], aset.entities[j]
        found.append(problem("E107", file, where("entities", i, a.start, a.end), start=a.start, end=a.end,
                             text=a.text, other_start=b.start, other_end=b.end, other_text=b.text))

    entities = {e.id: e for e in aset.entities}
    stance_ids = Counter(s.id for s in aset.stances)
    found += [problem("E110", file, base, kind="stance", value=v) for v, n in sorted(stance_ids.items()) if n > 1]
    pairs: Counter[tuple[str, str]] = Counter()
    for i, s in enumerate(aset.stances):
        place = f"{base}, stances[{i}] (id {s.id})"
        if s.holder != AUTHOR and s.holder not in entities:
            found.append(problem("E109", file, place, holder=s.holder))
        else:
            holder = entities.get(s.holder)
            pairs[(AUTHOR if holder is None else holder_key(holder.qid, holder.text), s.target)] += 1
        if s.target not in schema.targets:
            found.append(problem("E106", file, place, kind="stance target", value=s.target,
                                 known=", ".join(schema.targets)))
        if s.label not in schema.stance_labels:
            found.append(problem("E106", file, place, kind="stance label", value=s.label,
                                 known=", ".join(schema.stance_labels)))
        for k, v in enumerate(s.evidence):
            evidence_place = f"{place}, evidence[{k}], offsets [{v.start}, {v.end})"
            span_problems = check_span(text, v.start, v.end, v.text, file, evidence_place)
            found += span_problems or debris_problems(v.start, v.end, v.text, evidence_place)
    found += [problem("E114", file, base, holder=h, target=t) for (h, t), n in sorted(pairs.items()) if n > 1]
    return found


def alignment_problems(aset: AnnotationSet, article: RawArticle) -> list[Problem]:
    """E201 for entities of ``aset`` whose boundaries fall inside a spaCy token of its cleaned text."""
    clean = clean_article(article, aset.cleaning)
    spans = []
    for i, e in enumerate(aset.entities):
        projected = project_span(clean.offsets, e.start, e.end)
        if projected is not None:
            spans.append((*projected, f"entities[{i}] {e.label} {e.text!r} raw [{e.start}, {e.end})"))
    return boundary_problems(tokenize(clean.text, article.meta.language), spans, clean.text,
                             str(aset.path), f"article {aset.article_id}")


def group_sets(sets: Iterable[AnnotationSet]) -> dict[str, tuple[AnnotationSet, ...]]:
    grouped: dict[str, list[AnnotationSet]] = defaultdict(list)
    for aset in sets:
        grouped[aset.article_id].append(aset)
    return {key: tuple(sorted(value, key=lambda s: s.annotator)) for key, value in sorted(grouped.items())}


def validate_inputs(corpus_dir: Path, annotations_dir: Path) -> Report:
    """Load corpus and annotations and run every check; never raises for bad input."""
    problems: list[Problem] = []
    articles, found = scan_corpus(corpus_dir)
    problems += found
    try:
        schema = load_schema(Path(annotations_dir) / "schema.yaml")
        annotators = load_annotators(Path(annotations_dir) / "annotators.yaml")
    except InputError as exc:
        return Report(None, tuple(problems) + exc.problems, {"articles": len(articles)})
    sets, found = scan_annotations(annotations_dir)
    problems += found
    by_id = {a.id: a for a in articles}
    known_sets = []
    for aset in sets:
        article = by_id.get(aset.article_id)
        if article is None:
            problems.append(problem("E102", str(aset.path), id=aset.article_id))
            continue
        set_problems = check_set(aset, article, schema, annotators)
        problems += set_problems
        if not set_problems:
            problems += alignment_problems(aset, article)
        known_sets.append(aset)
    counts = {
        "articles": len(articles),
        "annotation sets": len(sets),
        "entities": sum(len(s.entities) for s in sets),
        "stances": sum(len(s.stances) for s in sets),
        "debris spans": sum(len(s.cleaning) for s in sets),
    }
    inputs = Inputs(tuple(articles), group_sets(known_sets), schema, annotators)
    return Report(inputs, tuple(problems), counts)


def checked_inputs(corpus_dir: Path, annotations_dir: Path) -> Inputs:
    """The loaded inputs, or InputError listing every problem."""
    report = validate_inputs(corpus_dir, annotations_dir)
    if not report.ok:
        raise InputError(report.problems)
    return report.inputs


def format_report(report: Report) -> str:
    """Counts of what was checked, then every problem grouped by code, with a count per group."""
    lines = ["checked: " + ", ".join(f"{n} {what}" for what, n in report.counts.items())]
    if report.ok:
        lines.append("no problems found")
        return "\n".join(lines)
    by_code: dict[str, list[Problem]] = defaultdict(list)
    for p in report.problems:
        by_code[p.code].append(p)
    lines.append(f"{len(report.problems)} problem(s) of {len(by_code)} kind(s):")
    for code in sorted(by_code):
        group = by_code[code]
        lines.append(f"\n[{code}] {len(group)} problem(s)")
        lines += [f"  {str(p)}".replace("\n", "\n  ") for p in group]
    return "\n".join(lines)
