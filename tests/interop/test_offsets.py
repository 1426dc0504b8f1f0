"""Code point <-> UTF-16 offsets: identity, astral characters, round trip, monotonicity."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from builder.interop.offsets import utf16_map


def test_utf16_map_of_bmp_text_is_the_identity():
    units = utf16_map("Kyiv – Київ")
    assert units.identity and units.to_codepoint(4) == 4 and units.to_units(4) == 4


def test_utf16_map_counts_an_astral_character_twice():
    units = utf16_map("😀 Biden")
    assert units.to_units(len("😀 ")) == len("😀 ") + 1
    assert units.to_codepoint(len("😀 ") + 1) == len("😀 ")
    assert units.to_codepoint(1) is None  # between the two halves of the surrogate pair


@given(st.text(alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)), max_size=40))
def test_utf16_map_is_identity_without_astral_characters(text):
    units = utf16_map(text)
    assert all(units.to_codepoint(i) == i == units.to_units(i) for i in range(len(text) + 1))


@given(st.text(max_size=40))
def test_utf16_map_round_trips_and_is_monotonic(text):
    units = utf16_map(text)
    assert units.units[-1] == len(text.encode("utf-16-le")) // 2
    assert all(units.to_codepoint(units.to_units(i)) == i for i in range(len(text) + 1))
    assert list(units.units) == sorted(set(units.units))
