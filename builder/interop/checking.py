"""What an import wrote, checked as ``newsstance validate`` checks it, before the import exits.

``check_written`` runs the checks of ``validate`` (``article.checks.check_article``: the article, each set
against it and the label schema, the annotators list, the token alignment) on every article the import
wrote a file for, and keeps the problems of the files it wrote (annotation sets, new articles). So
nothing import accepted is refused later by ``validate`` or ``build`` without a warning at import. The
label schema is the one the import checked labels against (``--schema``, default
``<annotations>/schema.yaml``), so a scratch folder is checked as the project it is meant for.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from builder.article.checks import check_article
from builder.errors import InputError, Problem
from builder.interop.annotators import known_annotators
from builder.records import Schema
from builder.sources.corpus import META_SUFFIX
from builder.sources.listing import ArticleFiles, read_files


def same_file(path: str | Path) -> str:
    return os.path.realpath(path)


def check_written(corpus_dir: Path, annotations_dir: Path, written: Sequence[Path], new_articles: Sequence[Path],
                  schema: Schema | None) -> tuple[Problem, ...]:
    """validate's problems of the written files (``written``: annotation files, ``new_articles``: new
    articles' metadata files), article by article; none when there is no schema to check against."""
    if schema is None or (not written and not new_articles):
        return ()
    try:
        annotators = known_annotators(annotations_dir)
    except InputError as exc:
        return exc.problems
    names = {Path(p).stem for p in written} | {Path(p).name[:-len(META_SUFFIX)] for p in new_articles}
    mine = {same_file(p) for p in written}
    for meta in new_articles:
        mine |= {same_file(meta), same_file(Path(meta).with_name(Path(meta).name[:-len(META_SUFFIX)] + ".txt"))}
    found: list[Problem] = []
    for name in sorted(names):
        sets = tuple(sorted(Path(p).relative_to(annotations_dir).as_posix() for p in written if Path(p).stem == name))
        files = ArticleFiles(name, os.path.join(corpus_dir, name + META_SUFFIX), os.fspath(annotations_dir), sets)
        if not os.path.isfile(files.meta):  # an article filed under another name: validate's listing says so
            continue
        checked = check_article(read_files(files), schema, annotators)
        found += [p for _, p in sorted(checked.problems, key=lambda item: item[0]) if same_file(p.file) in mine]
    return tuple(found)
