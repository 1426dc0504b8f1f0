"""builder/release/texts.py: where a copy first differs, told to within a block of characters."""

from __future__ import annotations

from builder.release.texts import Expected, first_difference
from builder.release.withhold import BLOCK_CHARS, block_hashes

TEXT = "x" * (3 * BLOCK_CHARS)


def expected(text: str = TEXT) -> Expected:
    return Expected("a1", None, "0" * 64, len(text), block_hashes(text))


def test_a_changed_character_is_placed_in_its_block():
    changed = TEXT[:BLOCK_CHARS + 5] + "y" + TEXT[BLOCK_CHARS + 6:]
    assert first_difference(changed, expected()) == (BLOCK_CHARS, 2 * BLOCK_CHARS)


def test_a_copy_cut_short_at_a_block_boundary_differs_where_it_ends():
    assert first_difference(TEXT[:BLOCK_CHARS], expected()) == (BLOCK_CHARS, len(TEXT))
