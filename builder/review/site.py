"""`newsstance review`: the inputs -> a static site in a folder (index, one page per article, the charts as SVG files).

The site is written into a staging folder beside the output and moved into place when complete, so a
failure leaves the previous site as it was. A folder is replaced only when it is empty or a site this
command wrote (its ``MARKER`` file). Every file is text made by the templates: the same inputs give
the same bytes.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from builder.errors import InputError, problem
from builder.output.folder import KINDS, leftovers, swap_in
from builder.output.lock import build_lock
from builder.review.data import gather
from builder.review.figures import write_charts
from builder.review.pages import article_page, charts, index_page, render_article, render_index

MARKER = ".newsstance-review"


@dataclass(frozen=True, slots=True)
class WrittenSite:
    index: Path
    articles: int


def clear_leftovers(output: Path) -> None:
    """Put back a site a run killed between its two renames left as ``.previous-PID`` (when nothing is in
    place), then remove what killed runs left (``.partial-*``, ``.previous-*``, ``.removing-*``)."""
    for previous in leftovers(output, "previous"):
        if not output.exists() and (previous / MARKER).is_file():
            previous.rename(output)
    for kind in KINDS:
        for folder in leftovers(output, kind):
            shutil.rmtree(folder)


def write_site(corpus_dir: Path, annotations_dir: Path, output: Path) -> WrittenSite:
    output = Path(output)
    with build_lock(output):  # one run at a time per folder: another's clean-up would take our staging
        clear_leftovers(output)
        return write_locked(corpus_dir, annotations_dir, output)


def write_locked(corpus_dir: Path, annotations_dir: Path, output: Path) -> WrittenSite:
    if output.exists() and (not output.is_dir() or any(output.iterdir()) and not (output / MARKER).is_file()):
        raise InputError([problem("E946", str(output), path=output, marker=MARKER)])
    review = gather(corpus_dir, annotations_dir)
    staging = output.parent / f".{output.name}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "articles").mkdir(parents=True)
    try:
        (staging / MARKER).write_text("written by `newsstance review`; the folder is replaced on the next run\n",
                                      encoding="utf-8")
        made = charts(review)
        write_charts(made, staging)
        (staging / "index.html").write_text(render_index(index_page(review, made)), encoding="utf-8")
        targets = dict(review.schema.targets)
        for article in review.articles:
            (staging / "articles" / f"{article.article.id}.html").write_text(
                render_article(article_page(article, targets, article.article.id in review.restricted)),
                encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        swap_in(staging, output)  # the old site is put back if the second rename fails
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WrittenSite(output / "index.html", len(review.articles))

