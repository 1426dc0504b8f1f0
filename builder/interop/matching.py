"""Imported sets -> annotation sets pinned to corpus articles, with new articles for texts that match none.

A set is pinned by the id the tool carried, checked against the text's sha256, or by the sha256 alone.
An importer (``labelstudio/``, ``brat/``) turns a tool's file into ``ImportedSet`` records plus a list
of problems, without a corpus; ``match_articles`` pins them, and ``writing.py`` writes the result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from builder.errors import Problem, problem
from builder.interop.provenance import Given, new_meta
from builder.sources import limits
from builder.records import AnnotationSet, ArticleMeta, Debris, Decision, Entity, RawArticle, Stance
from builder.sources.corpus import is_safe_id, load_corpus, sha256_bytes


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
    provenance: tuple[Given, ...] = ()  # url, title, outlet, date as the tool's task gave them


@dataclass(frozen=True, slots=True)
class NewArticles:
    """Write texts that match no corpus article as new articles (``--new-articles``)."""

    language: str
    rights: str
    origin: str  # what the text came from, quoted in the metadata notes


@dataclass(frozen=True, slots=True)
class Pinned:
    item: ImportedSet
    article: RawArticle


def corpus_articles(corpus_dir: Path, allow_empty: bool) -> list[RawArticle]:
    """The corpus, or [] for a missing/empty folder when new articles may be written into it."""
    corpus_dir = Path(corpus_dir)
    if allow_empty and (not corpus_dir.is_dir() or not any(corpus_dir.glob("*.meta.json"))):
        return []
    return load_corpus(corpus_dir)


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
    meta, problems = new_meta(article_id, sha, options.language, options.rights, imported.provenance, source,
                              imported.file, imported.where)
    return RawArticle(meta=meta, text=imported.text, path=Path(meta.file)), problems


def match_articles(imported: Sequence[ImportedSet], articles: Sequence[RawArticle],
                   new_articles: NewArticles | None = None
                   ) -> tuple[list[AnnotationSet], list[RawArticle], list[Problem]]:
    """Pin each imported set to a corpus article; returns the sets, the new articles and problems.

    A set whose tool carried an article id must have exactly that article's text; one without an id
    is matched by the sha256 of its text. Two sets of one (article, annotator) are both refused. More sets
    than the limit ``sets_per_import`` are refused at once (E801). Linear in the sets: every lookup is a dict's.
    """
    if len(imported) > limits.active().sets_per_import:
        return [], [], [limits.breach(imported[0].file, "the number of annotation sets (one per annotation of a "
                                      "task)", len(imported), "sets_per_import")]
    by_id = {a.id: a for a in articles}
    by_sha = {a.meta.sha256: a for a in sorted(articles, key=lambda a: a.id, reverse=True)}
    created: dict[str, RawArticle] = {}
    taken = {a.id.casefold() for a in articles}  # ids differing in case collide; new ids are added as made
    pinned: list[Pinned] = []
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
            if article is not None and article.id.casefold() in taken:
                article, found = None, [problem("E420", item.file, item.where, id=article.id,
                                                detail="another article with a different text already has this id")]
            problems.extend(found)  # a metadata value not stored (E435) does not stop the article
            if article is None:
                continue
            created[sha] = article
            taken.add(article.id.casefold())
        pinned.append(Pinned(item, article))
    sets, found = one_set_each(pinned)
    return sets, sorted(created.values(), key=lambda a: a.id), problems + found


def one_set_each(pinned: Sequence[Pinned]) -> tuple[list[AnnotationSet], list[Problem]]:
    """Pinned sets -> annotation sets sorted by (annotator, article); two of one pair are both refused."""
    groups: dict[tuple[str, str], list[Pinned]] = defaultdict(list)
    for one in pinned:
        groups[(one.article.id, one.item.annotator)].append(one)
    sets, problems = [], []
    for (article_id, annotator), members in groups.items():
        if len(members) > 1:
            problems.extend(problem("E412", m.item.file, m.item.where, count=len(members), article=article_id,
                                    annotator=annotator) for m in members)
            continue
        item, article = members[0].item, members[0].article
        sets.append(AnnotationSet(article_id=article.id, annotator=item.annotator, raw_sha256=article.meta.sha256,
                                  cleaning=item.cleaning, entities=item.entities, stances=item.stances,
                                  adjudicated_from=item.adjudicated_from, decisions=item.decisions))
    sets.sort(key=lambda s: (s.annotator, s.article_id))
    return sets, problems
