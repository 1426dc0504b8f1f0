"""What the card states about the corpus, taken from the data: languages, outlets, annotators, layers, tasks.

Every sentence here is computed from the articles' metadata, ``annotators.yaml``, the annotator folders
and the gold counts of the build; nothing names a particular corpus. A layer (entities, stances,
debris) exists when the gold sets have at least one item of it, and only existing layers give tasks,
task categories and tags.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from builder.output.escape import code, inline

if TYPE_CHECKING:
    from builder.sources.listing import InputIndex


@dataclass(frozen=True, slots=True)
class Layer:
    """One kind of annotation, as the card describes it once it has gold items."""

    noun: str  # "entities"
    config: str  # the config that serves its task
    task_category: str | None  # Hub task category and task id of the YAML, if it has one
    task_id: str | None
    tag: str | None
    task: str  # the "Supported tasks" line


# gold label kind (``Schema`` field metadata) -> its layer, in the order the card lists them
LAYERS: dict[str, Layer] = {
    "entity": Layer("entities", "ner", "token-classification", "named-entity-recognition", None,
                    "Named entity recognition (`ner` config; entity-level strict F1, scored with `newsstance evaluate`)."),
    "stance": Layer("stances", "stance", "text-classification", "multi-class-classification", "stance-detection",
                    "Stance detection toward a target (`stance` config; macro-F1 and SemEval-2016 F_avg)."),
    "debris": Layer("debris spans", "cleaning", None, None, "boilerplate-removal",
                    "Boilerplate removal / article cleaning (`cleaning` config; character-level F1 of kept text)."),
}


@dataclass(frozen=True, slots=True)
class AnnotatorFacts:
    id: str
    kind: str  # as annotators.yaml says
    sets: int  # annotation sets of built articles


@dataclass(frozen=True, slots=True)
class CorpusFacts:
    """What the metadata and the annotator folders say about the built articles."""

    languages: tuple[tuple[str, int], ...] = ()  # (code, articles), most frequent first
    outlets: tuple[tuple[str, int], ...] = ()  # (outlet, articles), most frequent first
    without_outlet: int = 0
    annotators: tuple[AnnotatorFacts, ...] = ()
    compared_pairs: int = 0  # annotator pairs the agreement compared


def ranked(counts: Counter) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def corpus_facts(index: InputIndex, compared_pairs: int, languages: Counter, outlets: Counter) -> CorpusFacts:
    """The facts of the annotated articles of ``index``; ``languages`` and ``outlets`` count the built articles
    per language code and per outlet (None or empty: no outlet in the metadata)."""
    built = {files.name for files in index if files.annotations}
    sets = {folder: len(names & built) for folder, names in index.folders}
    annotators = tuple(AnnotatorFacts(a.id, a.kind, sets[a.id]) for a in index.annotators.values() if sets.get(a.id))
    named = Counter({str(outlet): n for outlet, n in outlets.items() if outlet})
    return CorpusFacts(ranked(languages), ranked(named), sum(outlets.values()) - sum(named.values()), annotators,
                       compared_pairs)


def present_layers(labels: Mapping[str, Counter]) -> dict[str, Layer]:
    """The layers with at least one gold item, in ``LAYERS`` order."""
    return {kind: layer for kind, layer in LAYERS.items() if sum(labels.get(kind, Counter()).values()) > 0}


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def languages_section(facts: CorpusFacts) -> str:
    if not facts.languages:
        return "No annotated article, so no language."
    listed = ", ".join(f"{code(language)} ({plural(n, 'article')})" for language, n in facts.languages)
    return f"Languages of the articles, as their metadata gives them (ISO 639 codes): {listed}."


def corpus_section(articles: int, facts: CorpusFacts, labels: Mapping[str, Counter]) -> str:
    text = f"{plural(articles, 'annotated article')}."
    if facts.outlets:
        them = "it" if len(facts.outlets) == 1 else "them"
        text += (f" {plural(len(facts.outlets), 'outlet')}, as the metadata names {them}: "
                 + ", ".join(f"{inline(name)} ({n})" for name, n in facts.outlets) + ".")
    if facts.without_outlet:
        text += f" {plural(facts.without_outlet, 'article')} without an outlet in the metadata."
    layers = [f"{sum(labels.get(kind, Counter()).values())} gold {layer.noun}" for kind, layer in LAYERS.items()]
    absent = [layer.noun for kind, layer in LAYERS.items() if kind not in present_layers(labels)]
    text += f" Annotation layers: {', '.join(layers)}."
    if absent:
        text += f" Not annotated in this corpus: {', '.join(absent)}."
    return text


def annotators_section(facts: CorpusFacts) -> str:
    rows = "\n".join(f"| {code(a.id)} | {inline(a.kind)} | {a.sets} |" for a in facts.annotators)
    return ("Annotators, with their kind as `annotations/annotators.yaml` gives it and the number of "
            f"annotation sets of built articles:\n\n| annotator | kind | sets |\n| --- | --- | --- |\n{rows}")


def tasks_section(labels: Mapping[str, Counter]) -> str:
    layers = present_layers(labels)
    if not layers:
        return "No annotation layer has gold items yet, so no task is supported."
    return "\n".join(f"- {layer.task}" for layer in layers.values())


def agreement_unmeasured(facts: CorpusFacts) -> str | None:
    """The agreement section when nothing was compared; None when the figures apply."""
    if facts.compared_pairs:
        return None
    return ("### Annotator agreement\n\nn/a: one annotator. No article has two or more independent annotation "
            "sets, so no agreement figure is computed.\n")


def yaml_tasks(labels: Mapping[str, Counter], facts: CorpusFacts) -> dict[str, list[str]]:
    """The YAML's task_categories, task_ids and tags, from the layers that exist."""
    layers = present_layers(labels).values()
    tags = [layer.tag for layer in layers if layer.tag] + ["news"]
    if facts.compared_pairs:
        tags.append("inter-annotator-agreement")
    return {"task_categories": list(dict.fromkeys(l.task_category for l in layers if l.task_category)),
            "task_ids": list(dict.fromkeys(l.task_id for l in layers if l.task_id)), "tags": tags}


def yaml_languages(facts: CorpusFacts) -> dict[str, list[str]]:
    codes = sorted(code for code, _ in facts.languages)
    return {"language": codes, "multilinguality": ["multilingual" if len(codes) > 1 else "monolingual"]}
