"""Code point <-> UTF-16 code unit offsets of one text.

newsstance offsets are Python code points. Browsers count UTF-16 code units, so a tool that computes
offsets in JavaScript (older Label Studio versions, many web annotators) shifts every offset after a
character outside the Basic Multilingual Plane (an emoji, U+1F600) by one. ``Utf16Map`` converts in
both directions by lookup; a UTF-16 offset that falls between the two halves of a surrogate pair has
no code point and converts to ``None``.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

BMP_LAST = 0xFFFF


@dataclass(frozen=True, slots=True)
class Utf16Map:
    """``units[i]`` is the UTF-16 offset of code point offset ``i`` (``len(text) + 1`` entries)."""

    units: tuple[int, ...]

    @property
    def identity(self) -> bool:
        """True when the text has no astral character, so both counts agree everywhere."""
        return self.units[-1] == len(self.units) - 1

    def to_units(self, codepoint: int) -> int:
        return self.units[codepoint]

    def to_codepoint(self, unit: int) -> int | None:
        if self.identity:
            return unit if 0 <= unit < len(self.units) else None
        i = bisect_left(self.units, unit)
        return i if i < len(self.units) and self.units[i] == unit else None


def utf16_map(text: str) -> Utf16Map:
    units = [0]
    for ch in text:
        units.append(units[-1] + (2 if ord(ch) > BMP_LAST else 1))
    return Utf16Map(tuple(units))
