"""What every importer shares: the imported record, label and annotator policies, matching to the
corpus, new articles, and writing the result without overwriting anything by accident.

An importer (``labelstudio.py``, ``brat.py``) turns a tool's file into ``ImportedSet`` records plus a
list of problems, without a corpus. ``match_articles`` then pins each record to a corpus article (by an
id the tool carried, checked against the text's sha256, or by the sha256 alone), and ``write_import``
writes the files. Every item that cannot be taken becomes a ``Problem`` with its place and reason.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from builder.sources import annotations
from builder.sources.annotations import annotation_set_to_dict, parse_annotation_set, read_yaml, write_annotation_set
from builder.sources.corpus import is_safe_id, meta_to_json, scan_corpus, sha256_bytes
from builder.errors import InputError, Problem, problem
from builder.records import AUTHOR, AnnotationSet, ArticleMeta, Debris, Decision, Entity, Evidence, RawArticle, Schema, Stance

ANNOTATOR_ID = re.compile(annotations.ANNOTATOR_ID)  # the schema's patterns, matched whole (fullmatch)
ITEM_ID = re.compile(annotations.ITEM_ID)
QID = re.compile(annotations.QID)
SECTION_NAMES = {"entity_labels": "entity labels", "debris_reasons": "debris reasons",
                 "stance_labels": "stance labels", "targets": "targets"}


@dataclass(frozen=True, slots=True)
class ImportedSet:
    """One annotator's annotations of one text as a tool gave them, before matching to the corpus."""

    file: str  # the file it came from
    where: str  # place in that file: "task 17423, annotation 1700" or "doc esp.train-doc-29"
    text: str  # the text the offsets index (code points)
    article_hint: str | None  # an article id the tool carried (data.article_id, the brat file stem)
    annotator: str
    cleaning: tuple[Debris, ...] = ()
    entities: tuple[Entity, ...] = ()
    stances: tuple[Stance, ...] = ()
    adjudicated_from: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = ()


@dataclass(frozen=True, slots=True)
class LabelPolicy:
    """How tool labels become schema labels.

    ``label_map`` maps a tool's entity label to a schema entity label, or to ``None`` to skip it on
    purpose (still reported). With ``schema=None`` or ``keep_unknown=True`` unknown labels are kept as
    they are (a scratch import: ``newsstance validate`` then lists them).
    """

    schema: Schema | None = None
    label_map: Mapping[str, str | None] = field(default_factory=dict)
    keep_unknown: bool = False

    def resolve(self, section: str, label: str, file: str, where: str) -> tuple[str | None, list[Problem]]:
        if section == "entity_labels" and label in self.label_map:
            mapped = self.label_map[label]
            if mapped is None:
                return None, [problem("E407", file, where, label=label)]
            label = mapped
        known = getattr(self.schema, section) if self.schema is not None else None
        if known is None or label in known or self.keep_unknown:
            return label, []
        return None, [problem("E406", file, where, label=label, section=SECTION_NAMES[section],
                              known=", ".join(known))]


@dataclass(frozen=True, slots=True)
class AnnotatorPolicy:
    """``fixed`` (``--annotator``) names every imported set; else ``mapping`` (``--annotator-map``)
    maps the tool's user (id, email or model version, as a string); else ``derive`` names it."""

    fixed: str | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)

    def resolve(self, who: str | None, derive) -> str | None:
        if self.fixed is not None:
            return self.fixed
        if who is None:
            return None
        if who in self.mapping:
            return self.mapping[who]
        return derive(who)


@dataclass(frozen=True, slots=True)
class NewArticles:
    """Write texts that match no corpus article as new articles (``--new-articles``)."""

    language: str
    rights: str
    origin: str  # what the text came from, quoted in the metadata notes


@dataclass(frozen=True, slots=True)
class ImportReport:
    written: tuple[Path, ...]
    new_articles: tuple[Path, ...]
    problems: tuple[Problem, ...]
    counts: Mapping[str, int]  # sets, entities, stances, debris written

    @property
    def ok(self) -> bool:
        return not self.problems


def adjudication_to_json(aset: AnnotationSet) -> dict | None:
    """A gold set's ``adjudicated_from`` and ``decisions``, for formats that keep them beside the spans."""
    if not aset.adjudicated_from and not aset.decisions:
        return None
    return {"adjudicated_from": list(aset.adjudicated_from),
            "decisions": [{"item": d.item, "decision": d.decision, "reason": d.reason} for d in aset.decisions]}


def adjudication_from_json(entry: object) -> tuple[tuple[str, ...], tuple[Decision, ...]] | None:
    """The reverse of ``adjudication_to_json``; None when ``entry`` does not have that shape."""
    try:
        sources = tuple(str(a) for a in entry.get("adjudicated_from", ()))
        decisions = tuple(Decision(str(d["item"]), str(d["decision"]), str(d["reason"]))
                          for d in entry.get("decisions", ()))
    except (AttributeError, KeyError, TypeError):
        return None
    return sources, decisions


def slug(value: str) -> str:
    """A string -> lowercase letters, digits, '_' and '-' (for derived annotator ids)."""
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9_-]", "-", value.lower())).strip("-_")


def unique_id(preferred: str | None, used: set[str], prefix: str) -> str:
    """``preferred`` when it is a valid item id not yet used, else the first free ``<prefix><n>``."""
    if preferred is not None and ITEM_ID.fullmatch(preferred) and preferred not in used:
        used.add(preferred)
        return preferred
    n = 1
    while f"{prefix}{n}" in used:
        n += 1
    used.add(f"{prefix}{n}")
    return f"{prefix}{n}"


def load_mapping(path: Path, what: str) -> dict[str, str | None]:
    """A YAML mapping file (label map, annotator map) -> {str: str | None}."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not all(v is None or isinstance(v, (str, int)) for v in data.values()):
        raise InputError([problem("E426", path, what=what,
                                  detail="expected a mapping of names to names (or null)")])
    return {str(k): (None if v is None else str(v)) for k, v in data.items()}


def load_annotator_map(path: Path) -> dict[str, str]:
    mapping = load_mapping(path, "annotator map")
    bad = sorted(f"{k}: {v!r}" for k, v in mapping.items() if v is None or not ANNOTATOR_ID.fullmatch(v))
    if bad:
        raise InputError([problem("E426", path, what="annotator map",
                                  detail=f"not annotator ids (lowercase letters, digits, '_', '-'): {'; '.join(bad)}")])
    return {k: v for k, v in mapping.items() if v is not None}


def corpus_articles(corpus_dir: Path, allow_empty: bool) -> list[RawArticle]:
    """The corpus, or [] for a missing/empty folder when new articles may be written into it."""
    corpus_dir = Path(corpus_dir)
    if allow_empty and (not corpus_dir.is_dir() or not any(corpus_dir.glob("*.meta.json"))):
        return []
    articles, problems = scan_corpus(corpus_dir)
    if problems:
        raise InputError(problems)
    return articles


def text_sha(text: str) -> str:
    return sha256_bytes(text.encode("utf-8"))


def new_article_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored as a raw corpus file (see corpus/README.md), or None."""
    if not text.strip():
        return "the text is empty"
    if text.startswith("\ufeff"):
        return "the text starts with a byte-order mark"
    if "\r\n" in text:
        return f"the text has CRLF line endings (first at character {text.index(chr(13) + chr(10))})"
    return None


def new_article(imported: ImportedSet, options: NewArticles) -> tuple[RawArticle | None, list[Problem]]:
    sha = text_sha(imported.text)
    hint = imported.article_hint
    article_id = hint if hint is not None and is_safe_id(hint) else f"import-{sha[:16]}"
    why = new_article_problem(imported.text)
    if why is not None:
        return None, [problem("E420", imported.file, imported.where, id=article_id, detail=why)]
    source = f"Imported from {options.origin} ({imported.where}) by `newsstance import`"
    notes = {"outlet": f"Not given by the import source. {source}.",
             "url": f"Not given by the import source. {source}.",
             "published": f"Not given by the import source. {source}."}
    meta = ArticleMeta(id=article_id, file=f"{article_id}.txt", sha256=sha, language=options.language,
                       outlet=None, url=None, published=None, rights=options.rights,
                       notes=tuple(sorted(notes.items())))
    return RawArticle(meta=meta, text=imported.text, path=Path(meta.file)), []


def match_articles(imported: Sequence[ImportedSet], articles: Sequence[RawArticle],
                   new_articles: NewArticles | None = None
                   ) -> tuple[list[AnnotationSet], list[RawArticle], list[Problem]]:
    """Pin each imported set to a corpus article; returns the sets, the new articles and problems.

    A set whose tool carried an article id must have exactly that article's text; one without an id
    is matched by the sha256 of its text. Two sets of one (article, annotator) are both refused.
    """
    by_id = {a.id: a for a in articles}
    by_sha = {a.meta.sha256: a for a in sorted(articles, key=lambda a: a.id, reverse=True)}
    created: dict[str, RawArticle] = {}
    matched: list[tuple[ImportedSet, RawArticle]] = []
    problems: list[Problem] = []
    for item in imported:
        sha = text_sha(item.text)
        article = by_id.get(item.article_hint) if item.article_hint else None
        if article is not None and article.meta.sha256 != sha:
            problems.append(problem("E410", item.file, item.where, id=article.id,
                                    detail=f"sha256 {sha[:12]}… vs {article.meta.sha256[:12]}…, "
                                           f"{len(item.text)} vs {len(article.text)} characters"))
            continue
        article = article or by_sha.get(sha) or created.get(sha)
        if article is None and new_articles is None:
            problems.append(problem("E409", item.file, item.where, sha256=sha))
            continue
        if article is None:
            article, found = new_article(item, new_articles)
            taken = {a.id.casefold() for a in (*articles, *created.values())}  # ids differing in case collide
            if article is not None and article.id.casefold() in taken:
                found = [problem("E420", item.file, item.where, id=article.id,
                                 detail="another article with a different text already has this id")]
            if found:
                problems.extend(found)
                continue
            created[sha] = article
        matched.append((item, article))
    groups: dict[tuple[str, str], list[tuple[ImportedSet, RawArticle]]] = defaultdict(list)
    for item, article in matched:
        groups[(article.id, item.annotator)].append((item, article))
    sets = []
    for (article_id, annotator), members in groups.items():
        if len(members) > 1:
            problems.extend(problem("E412", item.file, item.where, count=len(members), article=article_id,
                                    annotator=annotator) for item, _ in members)
            continue
        item, article = members[0]
        sets.append(AnnotationSet(article_id=article.id, annotator=item.annotator, raw_sha256=article.meta.sha256,
                                  cleaning=item.cleaning, entities=item.entities, stances=item.stances,
                                  adjudicated_from=item.adjudicated_from, decisions=item.decisions))
    sets.sort(key=lambda s: (s.annotator, s.article_id))
    return sets, sorted(created.values(), key=lambda a: a.id), problems


def write_import(sets: Sequence[AnnotationSet], new: Sequence[RawArticle], problems: Sequence[Problem], *,
                 corpus_dir: Path, annotations_dir: Path, overwrite: bool = False,
                 strict: bool = False) -> ImportReport:
    """Write new articles and annotation files. Existing annotation files are kept unless
    ``overwrite``; with ``strict`` nothing at all is written when there is any problem."""
    problems = list(problems)
    for aset in sets:  # the written file must pass the JSON Schema; an importer bug must not write junk
        _, found = parse_annotation_set(annotation_set_to_dict(aset), None)
        problems.extend(found)
    targets = [Path(annotations_dir) / aset.annotator / f"{aset.article_id}.json" for aset in sets]
    keep = [path.exists() and not overwrite for path in targets]
    problems.extend(problem("E413", path, f"article {aset.article_id}", path=path)
                    for aset, path, kept in zip(sets, targets, keep) if kept)
    if strict and problems:
        return ImportReport((), (), tuple(problems), counts(()))
    new_paths = []
    for article in new:
        corpus = Path(corpus_dir)
        corpus.mkdir(parents=True, exist_ok=True)
        (corpus / article.meta.file).write_bytes(article.text.encode("utf-8"))
        meta_path = corpus / f"{article.id}.meta.json"
        meta_path.write_text(meta_to_json(article.meta), encoding="utf-8")
        new_paths.append(meta_path)
    todo = [aset for aset, kept in zip(sets, keep) if not kept]
    written = [write_annotation_set(aset, annotations_dir) for aset in todo]
    return ImportReport(tuple(written), tuple(new_paths), tuple(problems), counts(todo))


def counts(sets: Iterable[AnnotationSet]) -> dict[str, int]:
    sets = list(sets)
    return {"sets": len(sets), "entities": sum(len(s.entities) for s in sets),
            "stances": sum(len(s.stances) for s in sets), "debris": sum(len(s.cleaning) for s in sets)}


def format_import_report(report: ImportReport) -> str:
    """One line per problem (place and reason), then the count per reason with its fix."""
    c = report.counts
    lines = [f"wrote {c['sets']} annotation file(s): {c['entities']} entities, {c['stances']} stances, "
             f"{c['debris']} debris spans" + (f"; {len(report.new_articles)} new article(s)" if report.new_articles else "")]
    lines += [f"  {path}" for path in (*report.new_articles, *report.written)]
    if report.problems:
        lines.append(f"{len(report.problems)} item(s) not imported:")
        lines += [f"  {p.code} {p.file}: {p.where}: {p.what}" if p.where else f"  {p.code} {p.file}: {p.what}"
                  for p in report.problems]
        lines.append("count per reason:")
        fixes = {p.code: p.fix for p in report.problems}
        for code, n in sorted(Counter(p.code for p in report.problems).items()):
            lines.append(f"  {code} x{n}  fix: {fixes[code]}")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One stance evidence span as a tool holds it, with what the tool says about its stance."""

    where: str  # its place, for messages
    preferred_id: str | None  # the stance id it carries, if any (used when it is a stance's first evidence)
    start: int
    end: int
    text: str
    label: str
    holders: tuple[str, ...]  # entity ids related to it as holder
    author: bool  # marked as the author's stance
    targets: tuple[str, ...]
    note: str | None = None


def stances_from_evidence(items: Sequence[EvidenceItem], labels: LabelPolicy, file: str,
                          no_holder_hint: str = "") -> tuple[tuple[Stance, ...], list[Problem]]:
    """Evidence spans -> one stance per (holder, target), in order of first evidence; the stance takes
    its first evidence's id, and the notes of its evidence joined by line breaks."""
    problems: list[Problem] = []
    groups: dict[tuple[str, str], list[EvidenceItem]] = {}
    for item in items:
        why = None
        if len(item.targets) != 1:
            why = "no target is chosen" if not item.targets else f"{len(item.targets)} targets are chosen {list(item.targets)}"
        elif len(item.holders) > 1:
            why = f"it is related to {len(item.holders)} holder entities {list(item.holders)}; evidence has one holder"
        elif item.holders and item.author:
            why = "it is related to a holder entity and also marked @author"
        elif not item.holders and not item.author:
            why = "it has no holder: relate the holder entity to it, or mark it @author" + no_holder_hint
        if why is not None:
            problems.append(problem("E414", file, item.where, detail=why))
            continue
        target, found = labels.resolve("targets", item.targets[0], file, item.where)
        if target is None:
            problems.extend(found)
            continue
        groups.setdefault((item.holders[0] if item.holders else AUTHOR, target), []).append(item)
    stances = []
    used: set[str] = set()
    for (holder, target), members in groups.items():
        found_labels = sorted({m.label for m in members})
        if len(found_labels) > 1:
            problems.append(problem("E414", file, "; ".join(m.where for m in members),
                                    detail=f"the evidence of one stance ({holder} -> {target}) has different labels {found_labels}"))
            continue
        notes = [m.note for m in members if m.note]
        stances.append(Stance(id=unique_id(members[0].preferred_id, used, "s"), holder=holder, target=target,
                              label=found_labels[0], evidence=tuple(Evidence(m.start, m.end, m.text) for m in members),
                              note="\n".join(notes) if notes else None))
    return tuple(stances), problems
