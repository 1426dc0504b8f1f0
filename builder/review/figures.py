"""The overview figures as SVG files: into the review site, and into a build's output for the dataset card.

The build writes ``figures/entity-labels.svg`` and ``figures/agreement.svg`` beside the card, which
links them (``output.card.figure_links``) with paths relative to the card, as the Hub shows a
repository's images.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from builder.agreement.report import AgreementReport
from builder.review.charts import Chart, agreement_chart, label_chart

FOLDER = "figures"


@dataclass(frozen=True, slots=True)
class Figure:
    title: str
    path: str  # relative to the folder the figures were written beside: "figures/agreement.svg"


def write_charts(made: Sequence[Chart], root: Path) -> tuple[Figure, ...]:
    """Each chart as ``<root>/figures/<name>.svg``."""
    from builder.review.pages import chart_text  # jinja2: only when figures are written

    (root / FOLDER).mkdir(parents=True, exist_ok=True)
    written = []
    for chart in made:
        (root / FOLDER / f"{chart.name}.svg").write_text(chart_text(chart), encoding="utf-8")
        written.append(Figure(chart.title, f"{FOLDER}/{chart.name}.svg"))
    return tuple(written)


def write_overview_figures(root: Path, labels: Mapping[str, Counter], agreement: AgreementReport) -> tuple[Figure, ...]:
    """The build's figures: gold entities per label (most frequent first) and agreement per label, the
    latter only when two annotators were compared (else the card says "n/a: one annotator" and no chart)."""
    entities = labels.get("entity", Counter())
    order = [label for label, _ in sorted(entities.items(), key=lambda kv: (-kv[1], kv[0]))]
    made = [label_chart("entity-labels", "Gold entities per label", entities, order)]
    if agreement.corpus.pairs:
        made.append(agreement_chart(agreement.corpus))
    return write_charts(made, Path(root))
