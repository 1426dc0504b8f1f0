"""builder/article/clean.py's offset map against the per-character definition it stands for."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.article.clean import offset_map
from builder.article.project import project_span
from builder.records import OffsetMap


def tuple_map(length, removed):
    """The per-character definition the PositionMap stands for."""
    raw_to_clean, clean_to_raw, position = [], [], 0
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
    return OffsetMap(tuple(raw_to_clean), tuple(clean_to_raw))


@st.composite
def length_and_removed(draw):
    length = draw(st.integers(0, 40))
    cuts = sorted(draw(st.lists(st.integers(0, length), max_size=8)))
    removed = []
    for start, end in zip(cuts[::2], cuts[1::2]):
        if start < end and (not removed or start >= removed[-1][1]):
            removed.append((start, end))
    return length, removed


def outcome(function, *args):
    try:
        return function(*args)
    except IndexError:
        return "IndexError"


@settings(max_examples=300, deadline=None)
@given(length_and_removed())
def test_position_map_reads_like_the_tuple(case):
    length, removed = case
    fast, slow = offset_map(length, removed), tuple_map(length, removed)
    assert fast.raw_to_clean == slow.raw_to_clean and fast.clean_to_raw == slow.clean_to_raw
    for index in range(-length - 3, length + 3):
        assert outcome(lambda i: fast.raw_to_clean[i], index) == outcome(lambda i: slow.raw_to_clean[i], index)
        assert outcome(lambda i: fast.clean_to_raw[i], index) == outcome(lambda i: slow.clean_to_raw[i], index)
    for start in range(-2, length + 3):
        for end in range(-2, length + 3):
            assert outcome(project_span, fast, start, end) == outcome(project_span, slow, start, end)
