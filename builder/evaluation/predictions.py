"""Checking a predictions file: JSONL lines read, each checked, every problem collected with its line.

Predictions are JSONL, one JSON object per line, UTF-8; blank lines are ignored, extra keys too.
What each task's lines hold is in its own module (``ner.py``, ``stance.py``, ``cleaning.py``).
Every line is checked and every problem reported (file, line, article id, what, fix) before
anything is scored. A missing article or item is not an error: it counts as a miss, and the
result says how many (E608, ``missing_warning``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from builder.errors import InputError, Problem, problem
from builder.evaluation.records import Gold, Line

MISS_EXAMPLES = 3


class Checker:
    """Collects the problems of one predictions file, each with its line and article id."""

    def __init__(self, gold: Gold, file: str):
        self.gold, self.file, self.problems = gold, file, []
        self.seen: dict[object, int] = {}

    def add(self, code: str, line: int, article_id: object = None, **fields: object) -> None:
        where = f"line {line}" + (f", article {article_id!r}" if article_id is not None else "")
        self.problems.append(problem(code, self.file, where, **fields))

    def header(self, line: int, obj: object, fields: Mapping[str, type]) -> bool:
        """Shape, known article id; False when the line cannot be used."""
        article_id = obj.get("article_id") if isinstance(obj, dict) else None
        wrong = shape_problem(obj, {"article_id": str, **fields})
        if wrong:
            self.add("E602", line, article_id if isinstance(article_id, str) else None, detail=wrong, task=self.gold.task)
            return False
        if article_id not in self.gold.texts:
            self.add("E603", line, article_id, id=article_id, split=self.gold.data.split)
            return False
        return True

    def first(self, key: object, line: int, article_id: str, item: str) -> bool:
        """True the first time ``key`` is seen; an E606 afterwards."""
        if key in self.seen:
            self.add("E606", line, article_id, item=item, other=self.seen[key])
            return False
        self.seen[key] = line
        return True

    def known(self, line: int, article_id: str, kind: str, value: str, known: Sequence[str]) -> bool:
        if value in known:
            return True
        self.add("E605", line, article_id, kind=kind, value=value, known=", ".join(known))
        return False


def read_jsonl(content: bytes, check: Checker) -> list[Line]:
    """Every non-blank line of ``content``, parsed; an E601 in ``check`` for each that is not JSON.

    Raises E609 at once when ``content`` is not UTF-8.
    """
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([problem("E609", check.file, detail=f"not UTF-8 (byte 0x{exc.object[exc.start]:02x} "
                                                             f"at byte offset {exc.start})")]) from None
    lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            lines.append(Line(number=number, value=json.loads(line)))
        except json.JSONDecodeError as exc:
            check.add("E601", number, detail=f"{exc.msg} at column {exc.colno}")
    return lines


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def shape_problem(obj: object, fields: Mapping[str, type]) -> str | None:
    """What is wrong with the shape of one prediction object, or None."""
    if not isinstance(obj, dict):
        return f"expected a JSON object, got {type(obj).__name__}"
    for name, kind in fields.items():
        if name not in obj:
            return f"missing field {name!r}"
        if kind is int and not is_int(obj[name]) or kind is not int and not isinstance(obj[name], kind):
            return f"field {name!r} must be {kind.__name__}, got {type(obj[name]).__name__}"
    return None


def missing_warning(file: str, kind: str, missing: Sequence[str], total: int) -> tuple[Problem, ...]:
    """An E608 warning naming the first few of ``missing`` (the gold items without prediction), or none."""
    if not missing:
        return ()
    examples = ", ".join(missing[:MISS_EXAMPLES]) + (", ..." if len(missing) > MISS_EXAMPLES else "")
    return (problem("E608", file, count=len(missing), total=total, kind=kind, examples=examples),)
