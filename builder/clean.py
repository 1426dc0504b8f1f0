"""Cleaning edits -> cleaned text plus a character map raw <-> clean in both directions.

Each debris span is removed. When a span covers whole lines, the line break that ends its last line
is removed too (or, at the very end of a text without a final newline, the line break before it), so
that cleaning leaves no blank lines behind. Nothing else is changed: the cleaned text is the raw text
with exactly the removed ranges cut out, which is what makes the offset map exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .records import CleanArticle, Debris, OffsetMap, RawArticle


def removed_ranges(text: str, debris: Iterable[Debris]) -> list[tuple[int, int]]:
    """The raw ranges cleaning removes: debris spans, widened by the line break of whole-line spans.

    Spans must not overlap (validate.py reports E112); the result is sorted and non-overlapping.
    """
    ranges: list[tuple[int, int]] = []
    for span in sorted(debris, key=lambda d: (d.start, d.end)):
        start, end = span.start, span.end
        starts_line = start == 0 or text[start - 1] == "\n"
        ends_line = end == len(text) or text[end] == "\n"
        if starts_line and ends_line:
            if end < len(text):
                end += 1
            elif start > 0:
                start -= 1
        if ranges and start <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(end, ranges[-1][1]))
        else:
            ranges.append((start, end))
    return ranges


def offset_map(length: int, removed: Sequence[tuple[int, int]]) -> OffsetMap:
    """Map every raw position to its clean position (-1 if removed) and every clean position back.

    Both maps have one extra entry mapping the end of one text to the end of the other.
    """
    raw_to_clean: list[int] = []
    clean_to_raw: list[int] = []
    position = 0
    for start, end in removed:
        for raw in range(position, start):
            raw_to_clean.append(len(clean_to_raw))
            clean_to_raw.append(raw)
        raw_to_clean.extend([-1] * (end - start))
        position = end
    for raw in range(position, length):
        raw_to_clean.append(len(clean_to_raw))
        clean_to_raw.append(raw)
    raw_to_clean.append(len(clean_to_raw))
    clean_to_raw.append(length)
    return OffsetMap(raw_to_clean=tuple(raw_to_clean), clean_to_raw=tuple(clean_to_raw))


def cut(text: str, removed: Sequence[tuple[int, int]]) -> str:
    pieces = []
    position = 0
    for start, end in removed:
        pieces.append(text[position:start])
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def clean_article(article: RawArticle, debris: Iterable[Debris]) -> CleanArticle:
    removed = removed_ranges(article.text, debris)
    return CleanArticle(article=article, text=cut(article.text, removed),
                        offsets=offset_map(len(article.text), removed))
