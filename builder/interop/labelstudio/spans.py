"""A region's exported offsets -> its code point span, checked against the quoted text, or why there is none.

The offsets may count code points (current Label Studio) or UTF-16 units (older versions); ``auto``
takes whichever reading gives the quoted text.
"""

from __future__ import annotations

from builder.errors import Problem, problem
from builder.interop.offsets import Utf16Map

CODEPOINTS, UTF16 = "code points", "UTF-16 units"


def int_offsets(value: dict) -> bool:
    return all(isinstance(value.get(k), int) and not isinstance(value.get(k), bool) for k in ("start", "end"))


def readings(value: dict, text: str, units: Utf16Map, mode: str) -> dict[str, tuple[int, int]]:
    """The code point span of each way of counting the region's integer offsets that lands in the text."""
    start, end = value["start"], value["end"]
    found: dict[str, tuple[int, int]] = {}
    if mode in ("auto", "codepoints") and 0 <= start < end <= len(text):
        found[CODEPOINTS] = (start, end)
    if mode in ("auto", "utf16"):
        s, e = units.to_codepoint(start), units.to_codepoint(end)
        if s is not None and e is not None and s < e:
            found[UTF16] = (s, e)
    return found


def fitting(value: dict, text: str, candidates: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    quoted = value.get("text")
    return {k: (a, b) for k, (a, b) in candidates.items() if not isinstance(quoted, str) or text[a:b] == quoted}


def annotation_reading(results: list, text: str, units: Utf16Map, mode: str) -> str | None:
    """How this annotation counted, judged from its regions whose quoted text fits only one reading
    (one Label Studio version made them all); None when no region tells, or they disagree."""
    told = set()
    for result in results:
        value = result.get("value") if isinstance(result, dict) and result.get("type") == "labels" else None
        if isinstance(value, dict) and int_offsets(value) and isinstance(value.get("text"), str):
            fits = fitting(value, text, readings(value, text, units, mode))
            if len(set(fits.values())) == 1 and len(fits) == 1:
                told.add(next(iter(fits)))
    return told.pop() if len(told) == 1 else None


def resolve_offsets(value: dict, text: str, units: Utf16Map, mode: str, file: str, where: str,
                    told: str | None = None) -> tuple[tuple[int, int] | None, list[Problem]]:
    """The region's code point offsets, checked against its quoted text, or why there are none.

    When both readings give the quoted text (a repeated character after an emoji), the reading the
    annotation's other regions show wins, else code points; without quoted text only the former."""
    start, end = value.get("start"), value.get("end")
    if isinstance(start, str) or isinstance(end, str) or "startOffset" in value:
        return None, [problem("E404", file, where, kind="HyperText (XPath)")]
    if not int_offsets(value):
        return None, [problem("E403", file, where, kind="region", reason="it has no integer start and end offsets")]
    quoted = value.get("text") if isinstance(value.get("text"), str) else None
    candidates = readings(value, text, units, mode)
    fits = fitting(value, text, candidates)
    if len(set(fits.values())) == 1:
        return next(iter(fits.values())), []
    tie_break = told if quoted is None else told or CODEPOINTS
    if tie_break in fits:
        return fits[tie_break], []
    seen = "; ".join(f"as {k} {text[a:b][:50]!r}" for k, (a, b) in candidates.items())
    if not candidates:
        detail = f"they are out of range for a text of {len(text)} characters ({units.units[-1]} UTF-16 units)"
    elif not fits:
        detail = f"the quoted text is {quoted[:50]!r}, the text there is: {seen}"
    else:
        detail = f"no quoted text to decide between: {seen}"
    return None, [problem("E405", file, where, start=start, end=end, detail=detail)]

