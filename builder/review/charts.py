"""Figures -> horizontal bar charts (geometry only): the label distribution and the agreement per label.

The SVG itself is the template ``chart.svg.j2``; here only the numbers it places. Every bar carries its
label and its value as text, so a chart reads without colour.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from builder.agreement.report import Figures, shown

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 110  # left of the bars: the label
VALUE_WIDTH = 150  # right of the bars: the value as text
BAR_SPACE = 300  # the longest bar
TOP = 28  # the title


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    text: str  # the value as shown: "31", "0.955 (231 of 484)"
    y: int
    width: int


@dataclass(frozen=True, slots=True)
class Chart:
    name: str  # the file stem: "entity-labels"
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    bar_x: int
    value_x: int  # where a bar's text starts, for the widest bar
    empty: str  # what the chart says when it has no bars


def bar_chart(name: str, title: str, rows: Sequence[tuple[str, float, str]], top: float, empty: str) -> Chart:
    """One bar per (label, value, text), scaled so that ``top`` fills the bar space."""
    bars = tuple(Bar(label, text, TOP + i * (BAR_HEIGHT + GAP), round(BAR_SPACE * value / top) if top else 0)
                 for i, (label, value, text) in enumerate(rows))
    height = TOP + max(1, len(bars)) * (BAR_HEIGHT + GAP) + GAP
    return Chart(name, title, bars, LABEL_WIDTH + BAR_SPACE + VALUE_WIDTH, height, LABEL_WIDTH,
                 LABEL_WIDTH + BAR_SPACE + GAP, empty)


def label_chart(name: str, title: str, counts: Counter, labels: Sequence[str]) -> Chart:
    """Gold items per label, in the schema's order; labels without items are shown with 0."""
    total = sum(counts.values())  # none: no bars, the chart says so (a layer the project does not annotate)
    rows = [(label, counts.get(label, 0), f"{counts.get(label, 0)} ({counts.get(label, 0) / total:.1%})")
            for label in labels] if total else []
    return bar_chart(name, title, rows, max(counts.values(), default=0), "no gold items")


def agreement_chart(figures: Figures) -> Chart:
    """Exact-span entity F1 per label (pairs of annotators pooled), then overall, stance kappa and debris F1."""
    rows = [(label, f1.value or 0.0, f"{shown(f1.value)} ({f1.matched} of {f1.annotated})")
            for label, f1 in figures.entity_f1_by_label]
    if figures.pairs:
        rows += [("all entities", figures.entity_f1.value or 0.0, f"F1 {shown(figures.entity_f1.value)}"),
                 ("stances", max(figures.stance_kappa.value or 0.0, 0.0), f"kappa {shown(figures.stance_kappa.value)}"),
                 ("debris", figures.debris_f1.value or 0.0, f"char F1 {shown(figures.debris_f1.value)}")]
    return bar_chart("agreement", "Annotator agreement per entity label (exact-span F1), stances and debris",
                     rows, 1.0, "no article with two or more annotators")
