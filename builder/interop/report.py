"""The import report: what was written, what was not and why, with a count per reason and its fix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from builder.errors import Problem
from builder.interop.overlaps import Dropped
from builder.records import AnnotationSet


@dataclass(frozen=True, slots=True)
class ImportReport:
    written: tuple[Path, ...]
    new_articles: tuple[Path, ...]
    problems: tuple[Problem, ...]
    counts: Mapping[str, int]  # sets, entities, stances, debris written
    dropped: tuple[Dropped, ...] = ()  # what --overlaps dropped (keep-*) or would drop (refuse), per set
    registered: tuple[str, ...] = ()  # annotator ids added to annotators.yaml
    checks: tuple[Problem, ...] = ()  # validate's problems of what was written

    @property
    def ok(self) -> bool:
        return not self.problems and not self.checks


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
    lines += overlap_lines(report.dropped)
    if report.registered:
        lines.append(f"added to annotators.yaml: {', '.join(report.registered)} (describe them there truthfully)")
    if report.written or report.new_articles:
        lines += check_lines(report.checks)
    return "\n".join(lines)


def overlap_lines(dropped: Iterable[Dropped]) -> list[str]:
    """What the --overlaps policy dropped per set, and for sets refused what each keep policy would drop."""
    groups: dict[tuple[bool, str], list[Dropped]] = {}
    for d in dropped:
        if d.entities:
            groups.setdefault((d.applied, d.policy), []).append(d)
    lines = []
    for (applied, policy), items in sorted(groups.items(), reverse=True):
        total = sum(len(d.entities) for d in items)
        what = f"{total} entit{'y' if total == 1 else 'ies'} in {len(items)} document(s)"
        lines.append(f"--overlaps {policy} dropped {what}:" if applied
                     else f"--overlaps {policy} would drop {what} refused above:")
        lines += [f"  {d.file}: {d.where}: {len(d.entities)}: " + ", ".join(f"[{e.start}, {e.end}) {e.text!r}"
                                                                         for e in d.entities[:5])
                  + (" ..." if len(d.entities) > 5 else "") for d in items]
    return lines


def check_lines(checks: Iterable[Problem]) -> list[str]:
    checks = list(checks)
    if not checks:
        return ["checks of the written files (those of `newsstance validate`): no problems"]
    lines = [f"checks of the written files (those of `newsstance validate`): {len(checks)} problem(s) that "
             f"`validate` and `build` will refuse:"]
    lines += ["  " + str(p).replace("\n", "\n  ") for p in checks]
    return lines
