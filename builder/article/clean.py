"""Cleaning edits -> cleaned text plus a character map raw <-> clean in both directions.

Each debris span is removed. When a span covers whole lines, the line break that ends its last line
is removed too (or, at the very end of a text without a final newline, the line break before it), so
that cleaning leaves no blank lines behind. Nothing else is changed: the cleaned text is the raw text
with exactly the removed ranges cut out, which is what makes the offset map exact. The map is kept
as the removed ranges (``PositionMap``), looked up by bisection, not as one entry per character.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import repeat
from operator import attrgetter, le, lt, sub

from builder.records import CleanArticle, Debris, OffsetMap, RawArticle

START_AND_END = attrgetter("start", "end")


def removed_ranges(text: str, debris: Iterable[Debris]) -> list[tuple[int, int]]:
    """The raw ranges cleaning removes: debris spans, widened by the line break of whole-line spans.

    Spans must not overlap (article/set_checks.py reports E112); the result is sorted and non-overlapping.
    """
    ranges: list[tuple[int, int]] = []
    for start, end in sorted(map(START_AND_END, debris)):  # spans with equal (start, end) give equal ranges
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


class PositionMap(Sequence):
    """One direction of the raw <-> clean map, computed from the removed ranges on demand instead of
    stored per character (a map of a 5,000-character text as a tuple is 5,000 int objects, made for
    every cleaning). It reads like the tuple it stands for: ``m[i]`` (one bisect), slices, iteration,
    ``len`` and ``==`` with a tuple give what the tuple would.

    ``marks`` are the positions (in this map's input text) where removed ranges sit and ``shifts`` the
    number of removed characters before each; ``gaps`` (raw side only) are the removed ranges' ends.
    """

    __slots__ = ("_length", "_marks", "_ends", "_before", "_raw_side", "_tuple")

    def __init__(self, length: int, marks: list[int], ends: list[int], before: list[int], raw_side: bool):
        self._length, self._marks, self._ends, self._before = length, marks, ends, before
        self._raw_side = raw_side
        self._tuple: tuple[int, ...] | None = None

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self)[index]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("tuple index out of range")
        k = bisect_right(self._marks, index)
        if self._raw_side:
            if k and index < self._ends[k - 1]:
                return -1
            return index - self._before[k]
        return index + self._before[k]

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """``project_span`` through this (raw side) map: clean [start, end), or None if any character
        of raw [start, end) was removed."""
        if not 0 <= start < end < self._length:
            return None if end <= start else NotImplemented
        k = bisect_right(self._ends, start)  # the first removed range that ends after start
        if k < len(self._marks) and self._marks[k] < end:
            return None
        return start - self._before[k], end - self._before[k]

    def project_all(self, starts: Sequence[int], ends: Sequence[int]) -> tuple[list[int], list[int]] | None:
        """Clean starts and ends of raw spans (through this raw side map) when ``span`` projects every one
        of them, else None; NotImplemented (as ``span`` answers) unless every span is non-empty and in
        range. A build projects every entity of every set: here the bisections and the subtractions
        are mapped in C instead of one ``span`` call per span."""
        if starts and not (min(starts) >= 0 and max(ends) < self._length and all(map(lt, starts, ends))):
            return NotImplemented
        if all(map(le, starts, starts[1:])):  # in order, as files list them
            return self.project_in_order(starts, ends)
        found = list(map(bisect_right, repeat(self._ends), starts))  # the first removed range ending after start
        if not all(map(le, ends, map([*self._marks, self._length].__getitem__, found))):  # ... starts after end
            return None
        shifts = list(map(self._before.__getitem__, found))
        return list(map(sub, starts, shifts)), list(map(sub, ends, shifts))

    def project_in_order(self, starts: Sequence[int], ends: Sequence[int]) -> tuple[list[int], list[int]] | None:
        """``project_all`` of spans sorted by start: the spans between two removed ranges share one shift,
        so the few removed ranges are bisected into the many spans, not the other way round."""
        shifts: list[int] = []
        first = 0
        for mark, removed_end, shift in zip(self._marks, self._ends, self._before):
            after = bisect_left(starts, removed_end, first)  # the first span starting at or after this range's end
            if after > first:
                if max(ends[first:after]) > mark:  # one of the spans before this range reaches into it
                    return None
                shifts += [shift] * (after - first)
                first = after
        shifts += [self._before[len(self._marks)]] * (len(starts) - first)
        return list(map(sub, starts, shifts)), list(map(sub, ends, shifts))

    def __iter__(self):
        if self._tuple is None:
            self._tuple = tuple(self[i] for i in range(self._length))
        return iter(self._tuple)

    def __eq__(self, other) -> bool:
        if isinstance(other, (PositionMap, tuple, list)):
            return len(self) == len(other) and tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"PositionMap({tuple(self)!r})"


def offset_map(length: int, removed: Sequence[tuple[int, int]]) -> OffsetMap:
    """Map every raw position to its clean position (-1 if removed) and every clean position back.

    Both maps have one extra entry mapping the end of one text to the end of the other. ``removed``
    is sorted and not overlapping (as ``removed_ranges`` gives it).
    """
    starts, ends, before, clean_marks = [], [], [0], []
    total = 0
    for start, end in removed:
        starts.append(start)
        ends.append(end)
        clean_marks.append(start - total)
        total += end - start
        before.append(total)
    raw_to_clean = PositionMap(length + 1, starts, ends, before, raw_side=True)
    clean_to_raw = PositionMap(length - total + 1, clean_marks, [], before, raw_side=False)
    return OffsetMap(raw_to_clean=raw_to_clean, clean_to_raw=clean_to_raw)


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
