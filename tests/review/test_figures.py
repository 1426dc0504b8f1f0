"""Tests of builder/review/figures.py: the overview SVGs, in a build's output and linked from its card."""

from __future__ import annotations

import re
from collections import Counter

from builder.agreement.corpus import corpus_agreement
from builder.pipeline import build
from builder.publish.folder import read_build
from builder.review.figures import write_overview_figures
from factories import config_for, make_project


def test_the_figures_are_svg_files_in_frequency_order(tmp_path):
    written = write_overview_figures(tmp_path, {"entity": Counter(ORG=1, GPE=3, DATE=3)}, corpus_agreement({}))
    svg = (tmp_path / "figures" / "entity-labels.svg").read_text(encoding="utf-8")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert re.findall(r'data-label="([A-Z]+)"', svg) == ["DATE", "GPE", "ORG"]
    assert [f.path for f in written] == ["figures/entity-labels.svg"]  # nothing compared: no agreement chart


def test_one_annotators_build_links_the_label_figure_and_no_agreement_figure(tmp_path):
    root = make_project(tmp_path / "p", annotators=("team-a",), gold=False)
    built = build(config_for(root, tmp_path / "dist"))
    card = (built / "README.md").read_text(encoding="utf-8")
    assert "n/a: one annotator" in card
    assert re.findall(r"!\[[^\]]+\]\(([^)]+)\)", card) == ["figures/entity-labels.svg"]
    assert (built / "figures" / "entity-labels.svg").is_file() and not (built / "figures" / "agreement.svg").exists()


def test_the_build_writes_the_figures_and_the_card_shows_them(tmp_path):
    root = make_project(tmp_path / "p")
    built = build(config_for(root, tmp_path / "dist"))
    card = (built / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", card)
    assert links == ["figures/entity-labels.svg", "figures/agreement.svg"]
    assert all((built / link).is_file() for link in links)
    assert "figures/agreement.svg" in (built / "manifest.json").read_text(encoding="utf-8")
    assert set(links) <= {f.path for f in read_build(built).files}  # what publish uploads, beside the card
