"""One exception root, the Problem record, and every coded message of the package.

A message names the file, the place in it (article id, annotation index, offsets, line), what is
wrong, and how to fix it. The templates live in one module per family of codes (``corpus`` E0xx,
``annotation_sets`` E1xx-E2xx, ...) so that their wording is reviewed together, and every code has a test
(``tests/test_errors.py`` checks that each code is raised somewhere in the suite).
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.errors import (agreement, annotation_sets, build, corpus, evaluation, intake, interop, limits, project,
                            publish, release, review)

EXCERPT_CHARS = 50
FAMILIES = (corpus, annotation_sets, build, interop, publish, evaluation, agreement, limits, release, review, intake, project)


def merged_messages() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for family in FAMILIES:
        clash = merged.keys() & family.MESSAGES.keys()
        assert not clash, f"codes defined twice: {sorted(clash)}"
        merged.update(family.MESSAGES)
    return dict(sorted(merged.items()))


# code -> (what is wrong, how to fix it). Placeholders are filled by ``problem()``.
MESSAGES = merged_messages()

STANCE_HOLDER = {"what": "stance holder", "also": ", or '@author' for the article's author"}  # E109 of a holder

@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: where it is and what to do about it."""

    code: str
    file: str
    where: str
    what: str
    fix: str
    excerpt: str | None = None

    def __str__(self) -> str:
        place = f"{self.file}: {self.where}" if self.where else self.file
        text = f"{self.code} {place}: {self.what}"
        if self.excerpt is not None:
            text += f"\n    near: {self.excerpt!r}"
        return f"{text}\n    fix: {self.fix}"


def problem(code: str, file: str, where: str = "", excerpt: str | None = None, **fields: object) -> Problem:
    what, fix = MESSAGES[code]
    return Problem(code=code, file=str(file), where=where, what=what.format(**fields),
                   fix=fix.format(**fields), excerpt=excerpt)


def excerpt_around(text: str, start: int, end: int | None = None) -> str:
    """Up to EXCERPT_CHARS characters of ``text`` centred on ``[start, end)``."""
    end = start if end is None else end
    pad = max(0, (EXCERPT_CHARS - (end - start)) // 2)
    lo = max(0, start - pad)
    return text[lo:lo + EXCERPT_CHARS]


class NewsstanceError(Exception):
    """Root of every error this package raises on purpose."""


class InputError(NewsstanceError):
    """One or more problems in the corpus, the annotations or the options; all are listed."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''}:\n"
        super().__init__(head + "\n".join(str(p) for p in self.problems))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


class ConfigError(NewsstanceError):
    """A build option is invalid."""


class PublishError(NewsstanceError):
    """Publishing to or verifying against the Hub failed; the message says what to do."""
