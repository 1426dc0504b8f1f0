"""Every check of the inputs, one report; and the same checks one article at a time, for the build.

``check_set`` checks one annotation set against its article, the label schema and the annotators.
``check_article`` takes the bytes of one article's files (its metadata, raw text and annotation
files, as ``inputs.read_files`` reads them) and runs every check on them, including token alignment
of each set's entities over its own cleaned text. ``validate_inputs`` lists the files
(``inputs.index_inputs``), runs ``check_article`` over the index and returns all problems at once,
in file order. Nothing stops at the first problem. When a file says another article id than its
name, the files are listed again grouped by content (see ``inputs``) and checked again.

Fast paths, each with the slow path as its definition: a set is first checked in bulk
(``set_is_valid``: every span, label and overlap question asked once per kind of item) and worded
item by item (``set_problems``) only when that finds something; sets with the same cleaning share
one tokenization; entities are projected in bulk and the exact E201 messages are computed only for
a set that has a misaligned boundary. Sets of one article mostly repeat each other's items
(gold is adjudicated from the annotators): once a set has passed every check, an item of a later set
equal to one of its items is not checked alone again (in the text, quoted right, a known label; on
token boundaries when the cleaning is the same), only with the other items of its set (ids, overlaps,
debris). A set that fails is worded in full by the definition.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, filterfalse, repeat
from operator import le, lt, sub
from pathlib import Path

from builder.article.align import Tokens, boundary_problems, misaligned, tokenize
from builder.article.clean import clean_article, removed_ranges
from builder.sources.corpus import decode_raw, load_article, parse_meta
from builder.errors import InputError, Problem, excerpt_around, problem
from builder.sources.listing import (NOT_JSON, ArticleBytes, ArticleFiles, index_inputs, meta_document, problem_order, raw_name,
                     read_annotation, read_files)
from builder.article.project import holder_key, project_all, project_span
from builder.records import (AUTHOR, AnnotationSet, Annotator, CleanArticle, Debris, Entity, Evidence, RawArticle, Schema,
                      columns)


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


# --- checks of one set ------------------------------------------------------------------------

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
              annotators: Mapping[str, Annotator], passed: PassedItems | None = None) -> list[Problem]:
    """Every check of one set against its article; offsets are checked only if the text is the one annotated.
    ``passed``: the items of another set of the same article that passed (their own checks need not be asked again)."""
    try:
        valid = set_is_valid(aset, article, schema, annotators, passed)
    except TypeError:  # an item of a type no file gives (a set made in code): the definition says what is wrong
        valid = False
    return [] if valid else set_problems(aset, article, schema, annotators)


def spans_fit(text: str, starts: Sequence[int], ends: Sequence[int], quoted: Sequence[str]) -> bool:
    """Whether every [start, end) is a non-empty range of ``text`` that reads ``quoted`` (no E104, E105).

    ``text.startswith(quoted, start, end)`` with ``end - start == len(quoted)`` says ``text[start:end] ==
    quoted`` without making the slice."""
    if not starts:
        return True
    return (min(starts) >= 0 and max(ends) <= len(text) and all(map(lt, starts, ends))
            and list(map(sub, ends, starts)) == list(map(len, quoted)) and all(map(text.startswith, quoted, starts, ends)))


def in_order(starts: Sequence[int], ends: Sequence[int]) -> tuple[Sequence[int], Sequence[int]]:
    """The spans sorted by (start, end), as two columns (files list spans in order: no sort then)."""
    if all(map(le, starts, starts[1:])):
        return starts, ends
    return columns(sorted(zip(starts, ends)), 2)


def disjoint(starts: Sequence[int], ends: Sequence[int]) -> bool:
    """Whether non-empty spans, sorted by start, overlap nowhere: each ends before the next starts."""
    return all(map(le, ends, starts[1:]))


def clear_of(starts: Sequence[int], ends: Sequence[int], query_starts: Sequence[int], query_ends: Sequence[int],
             length: int) -> bool:
    """Whether no query span overlaps one of the sorted, disjoint spans ``starts``/``ends`` (all within a
    text of ``length``): each query ends before the first span that ends after its start, the span
    ``debris_at`` would find. Bisecting the few into the many is the cheap way round."""
    following = [*starts, length]
    return all(map(le, query_ends, map(following.__getitem__, map(bisect_right, repeat(ends), query_starts))))


@dataclass(frozen=True, slots=True)
class PassedItems:
    """The items of a set that passed every check of ``check_set``: for another set of the same article,
    an item equal to one of these is in the text, quoted right, with a known label (the checks of one
    item alone), so only the relations between the set's items are left to check for it."""

    entities: frozenset[Entity]
    evidence: frozenset[Evidence]


def passed_items(aset: AnnotationSet) -> PassedItems:
    return PassedItems(frozenset(aset.entities), frozenset(chain.from_iterable(s.evidence for s in aset.stances)))


def unknown(items: Sequence[tuple], known: Collection[tuple]) -> list[tuple]:
    """The items ``known`` does not hold, in order."""
    return list(filterfalse(known.__contains__, items))


def set_is_valid(aset: AnnotationSet, article: RawArticle, schema: Schema,
                 annotators: Mapping[str, Annotator], passed: PassedItems | None = None) -> bool:
    """Whether ``set_problems`` would find nothing, decided with a few bulk operations per set.

    A build checks every set of every article and nearly all are valid: this asks each question once
    for all the items of a kind (quoted texts compared with ``map``, labels as one set, overlaps in one
    pass over the spans in order) instead of item by item. When it answers False, ``set_problems``,
    the definition, words every problem (a property test holds the two to the same verdict).
    """
    text = article.text
    if aset.raw_sha256 != article.meta.sha256 or aset.annotator not in annotators:
        return False
    debris_starts, debris_ends, reasons, debris_texts = columns(aset.cleaning, 4)
    if not (spans_fit(text, debris_starts, debris_ends, debris_texts) and schema.debris_reasons.keys() >= set(reasons)
            and disjoint(*in_order(debris_starts, debris_ends))):  # E104, E105, E106, E112
        return False
    removed_starts, removed_ends = columns(removed_ranges(text, aset.cleaning), 2)
    ids, starts, ends, labels, quoted, _ = columns(aset.entities, 6)
    if passed is not None:  # an item's own checks (E104, E105, E106) only for items the passed set does not hold
        _, fresh_starts, fresh_ends, labels, quoted, _ = columns(unknown(aset.entities, passed.entities), 6)
    else:
        fresh_starts, fresh_ends = starts, ends
    if not (len(set(ids)) == len(ids) and spans_fit(text, fresh_starts, fresh_ends, quoted)
            and schema.entity_labels.keys() >= set(labels)):  # E110, E104, E105, E106
        return False
    starts, ends = in_order(starts, ends)
    if not (disjoint(starts, ends) and clear_of(starts, ends, removed_starts, removed_ends, len(text))):  # E107, E108
        return False
    stance_ids, holders, targets, stance_labels, evidence, _ = columns(aset.stances, 6)
    entities = dict(zip(ids, aset.entities))
    if not (len(set(stance_ids)) == len(stance_ids) and entities.keys() >= set(holders) - {AUTHOR}
            and schema.targets.keys() >= set(targets) and schema.stance_labels.keys() >= set(stance_labels)):
        return False  # E110, E109, E106
    holder_keys = [AUTHOR if holder is None else holder_key(holder.qid, holder.text)
                   for holder in map(entities.get, holders)]
    if len(set(zip(holder_keys, targets))) < len(targets):  # E114
        return False
    evidence = list(chain.from_iterable(evidence))
    fresh = evidence if passed is None else unknown(evidence, passed.evidence)
    evidence_starts, evidence_ends, _ = columns(evidence, 3)
    return (spans_fit(text, *columns(fresh, 3))  # E104, E105, E108
            and clear_of(removed_starts, removed_ends, evidence_starts, evidence_ends, len(text)))


def set_problems(aset: AnnotationSet, article: RawArticle, schema: Schema,
                 annotators: Mapping[str, Annotator]) -> list[Problem]:
    """Every problem of one set, worded, in order: the definition of ``check_set``."""
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
        if not (0 <= d.start < d.end <= len(text) and text[d.start:d.end] == d.text):
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
    removed_ends = [b for _, b in removed]

    def debris_problems(start: int, end: int, quoted: str, place: str) -> list[Problem]:
        hit = debris_at(removed, removed_ends, start, end)
        return [problem("E108", file, place, excerpt=excerpt_around(text, start, end), start=start, end=end,
                        text=quoted, debris_start=hit[0], debris_end=hit[1])] if hit else []

    ids = Counter(e.id for e in aset.entities)
    if len(ids) < len(aset.entities):
        found += [problem("E110", file, base, kind="entity", value=v) for v, n in sorted(ids.items()) if n > 1]
    valid_entities = []
    labels, length = schema.entity_labels, len(text)
    for i, e in enumerate(aset.entities):
        start, end = e.start, e.end
        if (0 <= start < end <= length and text[start:end] == e.text and e.label in labels
                and not debris_at(removed, removed_ends, start, end)):
            valid_entities.append((start, end, i))
            continue
        place = where("entities", i, start, end) + f" (id {e.id})"
        span_problems = check_span(text, start, end, e.text, file, place)
        found += span_problems
        if e.label not in labels:
            found.append(problem("E106", file, place, kind="entity label", value=e.label, known=", ".join(labels)))
        if not span_problems:
            valid_entities.append((start, end, i))
            found += debris_problems(start, end, e.text, place)
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


def debris_at(removed: Sequence[tuple[int, int]], ends: Sequence[int], start: int, end: int) -> tuple[int, int] | None:
    """The first removed range that [start, end) overlaps (ranges sorted, not overlapping), or None."""
    i = bisect_right(ends, start)
    return removed[i] if i < len(removed) and removed[i][0] < end else None


def alignment_problems(aset: AnnotationSet, article: RawArticle, clean: CleanArticle | None = None,
                       tokens: Tokens | None = None, aligned: Collection[Entity] = ()) -> list[Problem]:
    """E201 for entities of ``aset`` whose boundaries fall inside a spaCy token of its cleaned text.

    ``clean`` and ``tokens`` may be given when another set of the article has the same cleaning;
    ``aligned``: entities known to fall on token boundaries of that text (another set's, checked).
    """
    if clean is None:
        clean = clean_article(article, aset.cleaning)
    if tokens is None:
        tokens = tokenize(clean.text, article.meta.language)
    _, starts, ends, *_ = columns(unknown(aset.entities, aligned) if aligned else aset.entities, 6)
    projected = project_all(clean.offsets, starts, ends)
    if projected is not None:  # the usual case, decided in bulk: every entity projects, on token boundaries
        token_starts, token_ends = tokens.bounds()
        if token_starts.issuperset(projected[0]) and token_ends.issuperset(projected[1]):
            return []
    spans = []
    for i, e in enumerate(aset.entities):
        projected = project_span(clean.offsets, e.start, e.end)
        if projected is not None:
            spans.append((*projected, i))
    if not misaligned(tokens, [(a, b) for a, b, _ in spans]):
        return []
    described = [(a, b, f"entities[{i}] {aset.entities[i].label} {aset.entities[i].text!r} raw "
                        f"[{aset.entities[i].start}, {aset.entities[i].end})") for a, b, i in spans]
    return boundary_problems(tokens, described, clean.text, str(aset.path), f"article {aset.article_id}")


# --- one article ------------------------------------------------------------------------------

def read_article(meta_path: Path, meta_bytes: bytes, raw_bytes: bytes | None) -> tuple[RawArticle | None, list[Problem]]:
    """The article of ``meta_path`` from bytes already read; ``corpus.load_article`` words any problem."""
    return article_from(meta_path, meta_document(meta_bytes), raw_bytes,
                        None if raw_bytes is None else hashlib.sha256(raw_bytes).hexdigest())


def article_from(meta_path: Path, data: object, raw_bytes: bytes | None,
                 raw_sha256: str | None) -> tuple[RawArticle | None, list[Problem]]:
    """``read_article`` from the metadata already parsed (``meta_document``) and the raw text's sha256."""
    if data is NOT_JSON:
        return load_article(meta_path)
    meta, found = parse_meta(data, meta_path)
    if meta is None or raw_bytes is None or raw_name(data) is None:
        return load_article(meta_path)
    if raw_sha256 != meta.sha256:
        return load_article(meta_path)
    raw_path = meta_path.parent / meta.file
    text, found = decode_raw(raw_bytes, raw_path, f"article {meta.id}")
    if text is None:
        return load_article(meta_path)
    return RawArticle(meta=meta, text=text, path=raw_path), []


@dataclass(slots=True)
class CheckedArticle:
    """One article after every check: the article, its sets (by annotator), what is wrong with them,
    and the cleaned texts with their tokens, shared by sets (and a gold) with the same cleaning."""

    article: RawArticle | None
    sets: tuple[AnnotationSet, ...]
    problems: list[tuple[tuple, Problem]]  # with their place in file order (``problem_order``)
    counts: Counter
    misfiled: bool = False  # a file says another article id than its name: group by content instead
    cleaned: dict = field(default_factory=dict)  # removed ranges -> (CleanArticle, Tokens)
    by_debris: dict = field(default_factory=dict)  # debris spans -> the same: sets (and a gold) mostly repeat them

    def clean_and_tokens(self, debris: Sequence[Debris]) -> tuple[CleanArticle, Tokens]:
        debris = tuple(debris)
        found = self.by_debris.get(debris)
        if found is None:
            key = tuple(removed_ranges(self.article.text, debris))
            if key not in self.cleaned:
                clean = clean_article(self.article, debris)
                self.cleaned[key] = (clean, tokenize(clean.text, self.article.meta.language))
            found = self.by_debris[debris] = self.cleaned[key]
        return found


def set_counts(aset: AnnotationSet) -> Counter:
    counts: Counter = Counter()
    add_set_counts(counts, aset)
    return counts


def add_set_counts(counts: Counter, aset: AnnotationSet) -> None:
    """What one set adds to the checked counts, in place (zero counts may stay: the counts are summed
    with ``+``, which drops them)."""
    counts["annotation sets"] += 1
    counts["entities"] += len(aset.entities)
    counts["stances"] += len(aset.stances)
    counts["debris spans"] += len(aset.cleaning)


def check_article(data: ArticleBytes, schema: Schema, annotators: Mapping[str, Annotator], *,
                  by_content: bool = False) -> CheckedArticle:
    """Every check of one article and its annotation sets."""
    files = data.files
    meta_path = Path(files.meta)
    article, problems = article_from(meta_path, data.document, data.raw, data.raw_sha256)
    found = [(problem_order(0, meta_path), p) for p in problems]
    sets: list[AnnotationSet] = []
    counts: Counter = Counter({"articles": int(article is not None)})
    misfiled = article is not None and article.id != files.name and not by_content
    for path, raw in zip(files.annotation_paths(), data.annotations):
        aset, problems = read_annotation(path, raw)
        found += [(problem_order(1, path), p) for p in problems]
        if aset is None:
            continue
        add_set_counts(counts, aset)
        if article is None or aset.article_id != article.id:
            misfiled |= article is not None and not by_content
            found.append((problem_order(2, path), problem("E102", str(aset.path), id=aset.article_id)))
            continue
        sets.append(aset)
    checked = CheckedArticle(article, tuple(sorted(sets, key=lambda s: s.annotator)), found, counts, misfiled)
    passed, passed_clean = None, None  # the first set that passed every check, and its cleaned text
    for aset in sets:
        problems = check_set(aset, article, schema, annotators, passed)
        if not problems:
            clean, tokens = checked.clean_and_tokens(aset.cleaning)
            problems = alignment_problems(aset, article, clean, tokens,
                                          passed.entities if passed is not None and clean is passed_clean else ())
            if not problems and passed is None:
                passed, passed_clean = passed_items(aset), clean
        if problems:
            place = problem_order(2, aset.path)
            found += [(place, p) for p in problems]
    return checked


def group_sets(sets: Iterable[AnnotationSet]) -> dict[str, tuple[AnnotationSet, ...]]:
    grouped: dict[str, list[AnnotationSet]] = defaultdict(list)
    for aset in sets:
        grouped[aset.article_id].append(aset)
    return {key: tuple(sorted(value, key=lambda s: s.annotator)) for key, value in sorted(grouped.items())}


def in_file_order(found: Iterable[tuple[tuple, Problem]]) -> tuple[Problem, ...]:
    return tuple(p for _, p in sorted(found, key=lambda item: item[0]))


def validate_inputs(corpus_dir: Path, annotations_dir: Path) -> Report:
    """Load corpus and annotations and run every check; never raises for bad input."""
    index = index_inputs(corpus_dir, annotations_dir)
    checked = [check_article(read_files(files), index.schema, index.annotators, by_content=index.by_content)
               for files in index] if index.schema is not None else None
    if checked is not None and any(c.misfiled for c in checked):
        index = index_inputs(corpus_dir, annotations_dir, by_content=True)
        checked = [check_article(read_files(files), index.schema, index.annotators, by_content=True) for files in index]
    if checked is None:  # no label schema: the corpus is still checked, the annotations cannot be
        listed = list(index)
        loaded = [corpus_article(files) for files in listed]
        found = [(problem_order(0, files.meta), p) for files, (_, ps) in zip(listed, loaded) for p in ps]
        return Report(None, in_file_order(found + list(index.problems)),
                      {"articles": sum(a is not None for a, _ in loaded)})
    found = list(index.problems) + [item for c in checked for item in c.problems]
    counts = sum((c.counts for c in checked), Counter()) + sum((set_counts(s) for s in index.unmatched), Counter())
    articles = sorted((c.article for c in checked if c.article is not None), key=lambda a: a.id)
    inputs = Inputs(tuple(articles), group_sets(s for c in checked for s in c.sets), index.schema, index.annotators)
    return Report(inputs, in_file_order(found), {
        "articles": len(articles),
        "annotation sets": counts["annotation sets"],
        "entities": counts["entities"],
        "stances": counts["stances"],
        "debris spans": counts["debris spans"],
    })


def corpus_article(files: ArticleFiles) -> tuple[RawArticle | None, list[Problem]]:
    """The article of ``files`` without its annotation files (when there is no label schema to check them)."""
    data = read_files(ArticleFiles(files.name, files.meta, files.root, ()))
    return article_from(Path(files.meta), data.document, data.raw, data.raw_sha256)


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
