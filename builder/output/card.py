"""DATASET_CARD.md + figures of the build -> the Hub README.md.

The README is YAML front matter made with huggingface_hub's ``DatasetCardData`` (licence, languages,
tasks, size, ``configs`` with ``data_files`` per split, ``dataset_info`` with features and split sizes),
then the human prose of DATASET_CARD.md with its ``<!-- generated: NAME -->`` markers replaced by
tables computed from the build. A marker without a section, or a section without a marker, is an
error: the card never silently drops a figure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from datasets import DatasetInfo, Features
from datasets.info import DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from huggingface_hub import DatasetCardData

from builder import DATASET_NAME
from builder.errors import ConfigError, problem
from builder.records import Schema
from builder.views import DEFAULT_CONFIG, VIEWS
from builder.output.parquet import parquet_name
from builder.output.escape import code, inline

MARKER = re.compile(r"<!-- generated: ([a-z_]+) -->")
SPLIT_ORDER = ("train", "validation", "test")


@dataclass(frozen=True, slots=True)
class SplitFigures:
    rows: int
    arrow_bytes: int
    file_bytes: int


@dataclass(frozen=True, slots=True)
class CardFigures:
    """What the card reports about one build."""

    version: str
    articles: int
    splits: Mapping[str, Mapping[str, SplitFigures]]  # config -> split -> figures
    labels: Mapping[str, Counter]  # kind of label -> gold counts
    gold_sources: Counter
    allow_unadjudicated: bool
    unadjudicated: Sequence[str]  # disagreements decided by rule (majority, agreed-only), not adjudicated


def size_category(count: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                        (1_000_000, "100K<n<1M")):
        if count < limit:
            return name
    return "n>1M"


def split_order(splits: Mapping[str, object]) -> list[str]:
    return [s for s in SPLIT_ORDER if s in splits]


def card_data(figures: CardFigures, features: Mapping[str, Features]) -> DatasetCardData:
    configs = []
    infos = {}
    for config in VIEWS:
        splits = figures.splits.get(config, {})
        if not splits:
            continue
        entry = {"config_name": config,
                 "data_files": [{"split": s, "path": parquet_name(config, s)} for s in split_order(splits)]}
        if config == DEFAULT_CONFIG:
            entry["default"] = True
        configs.append(entry)
        split_dict = SplitDict(dataset_name=DATASET_NAME)
        for s in split_order(splits):
            split_dict.add(SplitInfo(name=s, num_bytes=splits[s].arrow_bytes, num_examples=splits[s].rows,
                                     dataset_name=DATASET_NAME))
        infos[config] = DatasetInfo(
            features=features[config], splits=split_dict, config_name=config,
            download_size=sum(f.file_bytes for f in splits.values()),
            dataset_size=sum(f.arrow_bytes for f in splits.values()))
    data = DatasetCardData(
        language=["en"], license="other", license_name="newsstance-mixed",
        pretty_name="newsstance: news entities, stances and cleaned text",
        annotations_creators=["other"], language_creators=["found"], multilinguality=["monolingual"],
        size_categories=[size_category(figures.articles)], source_datasets=["original"],
        task_categories=["token-classification", "text-classification"],
        task_ids=["named-entity-recognition", "multi-class-classification"],
        tags=["stance-detection", "boilerplate-removal", "news", "inter-annotator-agreement"],
        configs=configs)
    DatasetInfosDict(infos).to_dataset_card_data(data)
    return data


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def splits_section(figures: CardFigures) -> str:
    present = sorted({s for splits in figures.splits.values() for s in splits}, key=SPLIT_ORDER.index)
    absent = [s for s in SPLIT_ORDER if s not in present]
    rows = [[f"`{c}`", VIEWS[c].description] + [figures.splits.get(c, {}).get(s, SplitFigures(0, 0, 0)).rows
                                                  for s in present] for c in VIEWS]
    text = markdown_table(["config", "one row per", *present], rows)
    text += f"\n\nSplits present in version {figures.version}: {', '.join(present) or 'none'}."
    if absent:
        text += f" Not written because they are empty: {', '.join(absent)}."
    return text


def counter_table(title: str, counts: Counter) -> str:
    total = sum(counts.values())
    rows = [[code(k), v, f"{100 * v / total:.1f}%"] for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return f"**{title}** ({total} in all)\n\n" + markdown_table(["label", "count", "share"], rows)


def labels_section(figures: CardFigures) -> str:
    """One table per kind of label the schema counts (``LabelKind.counted``), in the schema's order."""
    return "\n\n".join(counter_table(kind.counted.title, figures.labels.get(kind.name, Counter()))
                       for kind in Schema.kinds() if kind.counted is not None)


def build_section(figures: CardFigures) -> str:
    sources = ", ".join(f"{n} {source}" for source, n in sorted(figures.gold_sources.items()))
    text = (f"Dataset version **{figures.version}**, built from {figures.articles} annotated article(s). "
            f"Gold sets by origin: {sources}.")
    if figures.allow_unadjudicated:
        text += ("\n\n**This build was made with `--allow-unadjudicated`:** articles whose annotators disagree "
                 "and that have no adjudicated gold set were built anyway, their gold decided by rule "
                 "(majority vote with three or more annotators, only the agreed items with two).")
    if figures.unadjudicated:
        text += (f"\n\n{len(figures.unadjudicated)} disagreement(s) were decided by rule, not by an adjudicator "
                 "(each line ends with the outcome):\n\n" + "\n".join(f"- {inline(d)}" for d in figures.unadjudicated))
    return text


def render_card(prose: str, figures: CardFigures, features: Mapping[str, Features],
                extra_sections: Mapping[str, str]) -> str:
    """The Hub README.md text. ``extra_sections`` adds sections computed elsewhere (agreement, benchmarks)."""
    sections = {"version": figures.version, "splits": splits_section(figures), "labels": labels_section(figures),
                "build": build_section(figures), **extra_sections}
    used = set(MARKER.findall(prose))
    if used - set(sections) or set(sections) - used:
        raise ConfigError(str(problem("E306", "DATASET_CARD.md", unknown=sorted(used - set(sections)),
                                      missing=sorted(set(sections) - used))))
    body = MARKER.sub(lambda m: sections[m.group(1)], prose)
    return f"---\n{card_data(figures, features).to_yaml()}\n---\n\n{body.strip()}\n"
