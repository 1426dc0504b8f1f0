"""Tests of builder/review/charts.py: bar geometry of the overview charts."""

from __future__ import annotations

from collections import Counter

from builder.agreement.coefficients import F1, Coefficient
from builder.agreement.report import Figures
from builder.review.charts import BAR_SPACE, agreement_chart, label_chart


def test_the_largest_count_fills_the_bar_space_and_every_label_is_shown():
    chart = label_chart("entity-labels", "Gold entities", Counter(GPE=4, PERSON=2), ["PERSON", "GPE", "DATE"])
    assert [(b.label, b.width, b.text) for b in chart.bars] == [
        ("PERSON", BAR_SPACE // 2, "2 (33.3%)"), ("GPE", BAR_SPACE, "4 (66.7%)"), ("DATE", 0, "0 (0.0%)")]
    assert chart.bars[1].y > chart.bars[0].y


def test_no_items_give_no_bars_and_the_chart_says_so():
    chart = label_chart("x", "x", Counter(), ["favor", "against"])  # a project that annotates no stances
    assert chart.bars == () and chart.empty == "no gold items"


def figures(pairs: int) -> Figures:
    none = Coefficient(None, 0, "undefined")
    return Figures(1, pairs, F1(0.5, 1, 4), (("ORG", F1(0.5, 1, 4)),), none, Coefficient(-0.2, 3, None), 0,
                   none, F1(1.0, 3, 6), none, 2)


def test_agreement_bars_are_f1_per_label_then_the_overall_figures():
    chart = agreement_chart(figures(pairs=1))
    assert [(b.label, b.width) for b in chart.bars] == [
        ("ORG", BAR_SPACE // 2), ("all entities", BAR_SPACE // 2), ("stances", 0), ("debris", BAR_SPACE)]
    assert chart.bars[2].text == "kappa -0.200"  # a negative kappa is told, and drawn as no bar


def test_without_pairs_only_the_labels_are_drawn():
    assert [b.label for b in agreement_chart(figures(pairs=0)).bars] == ["ORG"]
