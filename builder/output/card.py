"""DATASET_CARD.md + figures of the build -> the Hub README.md.

The README is YAML front matter made with huggingface_hub's ``DatasetCardData`` (licence, languages,
tasks, size, ``configs`` with ``data_files`` per split, ``dataset_info`` with features and split sizes),
then the human prose of DATASET_CARD.md with its ``<!-- generated: NAME -->`` markers replaced by
tables computed from the build. A marker without a section, or a section without a marker, is an
error: the card never silently drops a figure. DATASET_CARD.md may open with YAML front matter that sets
the human fields (pretty_name, license, ...); languages, tasks and tags always come from the data
(``statements.py``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import yaml
from datasets import DatasetInfo, Features
from datasets.info import DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from huggingface_hub import DatasetCardData

from builder import DATASET_NAME
from builder.errors import ConfigError, problem
from builder.records import Schema
from builder.views import DEFAULT_CONFIG, VIEWS
from builder.output.parquet import parquet_name
from builder.output.statements import (CorpusFacts, agreement_unmeasured, annotators_section, corpus_section,
                                       languages_section, present_layers, tasks_section, yaml_languages, yaml_tasks)
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
    split_tokens: Mapping[str, int] = field(default_factory=dict)  # article id -> tokens split at annotation boundaries
    facts: CorpusFacts = CorpusFacts()  # languages, outlets, annotators: from the metadata and annotators.yaml
    release_statement: str = ""  # which texts the release withholds or holds (builder/release/record.py)
    license_details: str = ""  # the YAML's license_details: the licences of annotations and texts


def size_category(count: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                        (1_000_000, "100K<n<1M")):
        if count < limit:
            return name
    return "n>1M"


def split_order(splits: Mapping[str, object]) -> list[str]:
    return [s for s in SPLIT_ORDER if s in splits]


# the YAML fields DATASET_CARD.md's front matter may set, and their value when it does not
HUMAN_FIELDS = {"license": "other", "annotations_creators": ["other"], "language_creators": ["found"],
                "source_datasets": ["original"]}


def card_data(figures: CardFigures, features: Mapping[str, Features], front: Mapping | None = None) -> DatasetCardData:
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
    human = {**HUMAN_FIELDS, **(front or {})}
    generated = yaml_tasks(figures.labels, figures.facts)
    generated["tags"] += [tag for tag in human.pop("tags", None) or [] if tag not in generated["tags"]]
    data = DatasetCardData(**{**human, **yaml_languages(figures.facts),
                              "size_categories": [size_category(figures.articles)], **generated, "configs": configs,
                              **({"license_details": figures.license_details} if figures.license_details else {})})
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
                                                  for s in present] for c in VIEWS if figures.splits.get(c)]
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
    """One table per kind of label the schema counts (``LabelKind.counted``) that the gold sets use, in the
    schema's order; one line for a kind with no item."""
    present = present_layers(figures.labels)
    return "\n\n".join(counter_table(kind.counted.title, figures.labels[kind.name]) if kind.name in present
                       else f"**{kind.counted.title}**: none in this corpus."
                       for kind in Schema.kinds() if kind.counted is not None)


def refuse_aliases(header: str, lines_before: int) -> None:
    """E805 for an anchor or alias in the front matter: the Hub README.md would carry it to every reader of the
    card, and a few lines of nested aliases expand to gigabytes."""
    from builder.sources.annotations import AliasRefused, StrictLoader

    try:
        yaml.load(header, Loader=StrictLoader)
    except AliasRefused as exc:
        raise ConfigError(str(problem("E805", "DATASET_CARD.md", what=f"{exc.what} in the front matter",
                                      line=exc.line + lines_before))) from None
    except yaml.YAMLError:  # worded by DatasetCard below (E461)
        pass


def front_matter(prose: str) -> tuple[dict, str]:
    """DATASET_CARD.md -> (its YAML front matter, the rest); a card without front matter has none."""
    from huggingface_hub import DatasetCard
    from huggingface_hub.repocard import REGEX_YAML_BLOCK

    if not (block := REGEX_YAML_BLOCK.search(prose)):
        return {}, prose
    refuse_aliases(block.group(2), len(block.group(1).splitlines()))
    try:
        card = DatasetCard(prose)
    except (ValueError, yaml.YAMLError) as exc:
        raise ConfigError(str(problem("E461", "DATASET_CARD.md", detail=str(exc).splitlines()[0]))) from None
    return card.data.to_dict(), card.text


def corpus_sections(figures: CardFigures) -> dict[str, str]:
    """The card's statements about the corpus, each under its marker."""
    return {"corpus": corpus_section(figures.articles, figures.facts, figures.labels),
            "languages": languages_section(figures.facts), "annotators": annotators_section(figures.facts),
            "tasks": tasks_section(figures.labels)}


def build_section(figures: CardFigures) -> str:
    sources = ", ".join(f"{n} {source}" for source, n in sorted(figures.gold_sources.items()))
    text = (f"Dataset version **{figures.version}**, built from {figures.articles} annotated article(s). "
            f"Gold sets by origin: {sources}.")
    if figures.allow_unadjudicated:
        text += ("\n\n**This build was made with `--allow-unadjudicated`:** articles whose annotators disagree "
                 "and that have no adjudicated gold set were built anyway, their gold decided by rule "
                 "(majority vote with three or more annotators, only the agreed items with two).")
    if figures.release_statement:
        text += f"\n\n{figures.release_statement}"
    if figures.unadjudicated:
        text += (f"\n\n{len(figures.unadjudicated)} disagreement(s) were decided by rule, not by an adjudicator "
                 "(each line ends with the outcome):\n\n" + "\n".join(f"- {inline(d)}" for d in figures.unadjudicated))
    text += "\n\n" + tokenizer_statement(figures)
    return text


FIGURES_LEAD = "\nFigures (also in the review site, `newsstance review`):\n\n"


def figure_links(figures: Sequence) -> str:
    """Markdown images of the overview figures written beside the card (``review.figures.Figure``: title, path)."""
    if not figures:
        return ""
    return FIGURES_LEAD + "\n\n".join(
        f"![{f.title}]({f.path})" for f in figures) + "\n"


def tokenizer_statement(figures: CardFigures) -> str:
    """Which spaCy tokenizer read the articles of each language, and how many tokens were split."""
    from importlib.metadata import version

    from builder.article.language import MULTI_LANGUAGE, tokenizer_of

    readers = []
    for code, count in sorted(figures.facts.languages):
        tokenizer = tokenizer_of(code)
        reader = f"for `{code}` ({count} article(s)), `{tokenizer.spacy_class}` (`{tokenizer.spacy_language}`)"
        if tokenizer.spacy_language == MULTI_LANGUAGE:
            reader += f", spaCy's multi-language tokenizer, as spaCy has no class for `{code}`"
        readers.append(reader)
    split = figures.split_tokens
    uses = "the `ner` config"
    if figures.splits.get("stance"):
        uses += ", and the sentences of the `stance` contexts"
    return (f"Tokens ({uses}) come from the rule-based "
            f"tokenizer of a blank spaCy {version('spacy')} pipeline with its `sentencizer`: "
            f"{'; '.join(readers) or 'no article'}. Where an annotated boundary (an entity's start or end, or a "
            f"place where cleaning cut debris out) fell inside one of its tokens, that token was split there: "
            f"{sum(split.values())} token(s) in {len(split)} article(s). Offsets are as annotated; none was moved.")


def render_card(prose: str, figures: CardFigures, features: Mapping[str, Features],
                extra_sections: Mapping[str, str]) -> str:
    """The Hub README.md text. ``extra_sections`` adds sections computed elsewhere (agreement, benchmarks)."""
    front, prose = front_matter(prose)
    sections = {"version": figures.version, "splits": splits_section(figures), "labels": labels_section(figures),
                "build": build_section(figures), **corpus_sections(figures), **extra_sections}
    if (unmeasured := agreement_unmeasured(figures.facts)) is not None:
        links = extra_sections.get("agreement", "").partition(FIGURES_LEAD)  # the figures stay: labels are measured
        sections["agreement"] = unmeasured + links[1] + links[2]
    used = set(MARKER.findall(prose))
    if used - set(sections) or set(sections) - used:
        raise ConfigError(str(problem("E306", "DATASET_CARD.md", unknown=sorted(used - set(sections)),
                                      missing=sorted(set(sections) - used))))
    body = MARKER.sub(lambda m: sections[m.group(1)], prose)
    return f"---\n{card_data(figures, features, front).to_yaml()}\n---\n\n{body.strip()}\n"
