"""The import report: what was written, what was not and why, with a count per reason and its fix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from builder.errors import Problem
from builder.records import AnnotationSet


@dataclass(frozen=True, slots=True)
class ImportReport:
    written: tuple[Path, ...]
    new_articles: tuple[Path, ...]
    problems: tuple[Problem, ...]
    counts: Mapping[str, int]  # sets, entities, stances, debris written

    @property
    def ok(self) -> bool:
        return not self.problems


def counts(sets: Iterable[AnnotationSet]) -> dict[str, int]:
    sets = list(sets)
    return {"sets": len(sets), "entities": sum(len(s.entities) for s in sets),
            "stances": sum(len(s.stances) for s in sets), "debris": sum(len(s.cleaning) for s in sets)}


def nothing_written(problems: Iterable[Problem]) -> ImportReport:
    return ImportReport((), (), tuple(problems), counts(()))


def format_import_report(report: ImportReport) -> str:
    """One line per problem (place and reason), then the count per reason with its fix."""
    c = report.counts
    lines = [f"wrote {c['sets']} annotation file(s): {c['entities']} entities, {c['stances']} stances, "
             f"{c['debris']} debris spans" + (f"; {len(report.new_articles)} new article(s)" if report.new_articles else "")]
    lines += [f"  {path}" for path in (*report.new_articles, *report.written)]
    if report.problems:
        lines.append(f"{len(report.problems)} item(s) not imported:")
        lines += [f"  {p.code} {p.file}: {p.where}: {p.what}" if p.where else f"  {p.code} {p.file}: {p.what}"
                  for p in report.problems]
        lines.append("count per reason:")
        fixes = {p.code: p.fix for p in report.problems}
        for code, n in sorted(Counter(p.code for p in report.problems).items()):
            lines.append(f"  {code} x{n}  fix: {fixes[code]}")
    return "\n".join(lines)
