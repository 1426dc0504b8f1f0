"""The build's Parquet files and Features -> ``croissant.json``: Croissant 1.1 JSON-LD with its RAI fields.

The distribution lists every Parquet file with its sha256 and, per config, a file set of its splits' files;
each config is one record set whose fields follow its ``datasets.Features`` (a list is ``repeated``, a list
of structs a repeated field with one sub-field per struct field, read with a ``jsonPath``); a ClassLabel is
an integer field whose names are an enumeration record set ``<config>/<field>-labels`` (id, name). No
timestamps: the same build gives the same bytes. ``mlcroissant`` validates it and reads the records.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from datasets import ClassLabel, Features, List, Sequence, Value

from builder import DATASET_NAME
from builder.config import BuildConfig
from builder.release.rai import CorpusFacts, answered_sections, rai_fields
from builder.release.withhold import ReleaseStep
from builder.sources.annotations import load_annotators
from builder.views import VIEWS

CROISSANT = "croissant.json"
PARQUET = "application/x-parquet"
CONTEXT = {
    "@language": "en", "@vocab": "https://schema.org/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "containedIn": "cr:containedIn", "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/", "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"}, "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty", "samplingRate": "cr:samplingRate",
    "examples": {"@id": "cr:examples", "@type": "@json"}, "extract": "cr:extract", "field": "cr:field",
    "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject", "fileSet": "cr:fileSet", "format": "cr:format",
    "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset", "jsonPath": "cr:jsonPath", "key": "cr:key",
    "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path", "recordSet": "cr:recordSet",
    "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated", "replace": "cr:replace",
    "sc": "https://schema.org/", "separator": "cr:separator", "source": "cr:source", "subField": "cr:subField",
    "transform": "cr:transform",
}
CONFORMS_TO = ["http://mlcommons.org/croissant/1.1", "http://mlcommons.org/croissant/RAI/1.0"]
TYPES = {"string": "sc:Text", "bool": "sc:Boolean", "float32": "sc:Float", "float64": "sc:Float"}


def data_type(feature) -> str:
    if isinstance(feature, ClassLabel):
        return "sc:Integer"
    if isinstance(feature, Value):
        return TYPES.get(feature.dtype, "sc:Integer" if "int" in feature.dtype else "sc:Text")
    raise TypeError(f"no Croissant data type for {feature!r}")


def item_of(feature):
    """The item feature of a list feature, or None if ``feature`` is not a list."""
    return feature.feature if isinstance(feature, (List, Sequence)) else None


def nested(feature) -> bool:
    """A list or struct inside a list item: mlcroissant reads one level of sub-fields."""
    return isinstance(feature, dict) or item_of(feature) is not None


def enumeration(record_id: str, names: list[str]) -> dict:
    """A ClassLabel's names as an enumeration record set with inline data."""
    return {"@type": "cr:RecordSet", "@id": record_id, "name": record_id, "dataType": "sc:Enumeration",
            "description": "the ClassLabel names: an integer label is the id of its name",
            "key": {"@id": f"{record_id}/id"},
            "field": [{"@type": "cr:Field", "@id": f"{record_id}/id", "name": "id", "dataType": "sc:Integer"},
                      {"@type": "cr:Field", "@id": f"{record_id}/name", "name": "name", "dataType": "sc:Text"}],
            "data": [{f"{record_id}/id": i, f"{record_id}/name": name} for i, name in enumerate(names)]}


def field_of(config: str, name: str, feature, enumerations: list[dict], parent: str | None = None) -> dict:
    """One field (or sub-field, under the column ``parent``) of a record set, after the Features."""
    field_id = f"{config}/{name}" if parent is None else f"{config}/{parent}/{name}"
    column = parent or name
    source = {"fileSet": {"@id": f"{config}-parquet"}, "extract": {"column": column}}
    if parent is not None:
        source["transform"] = {"jsonPath": name}
    entry = {"@type": "cr:Field", "@id": field_id, "name": name}
    item = item_of(feature)
    if item is not None and isinstance(item, dict) and parent is None:
        flat = {sub: value for sub, value in item.items() if not nested(value)}
        entry["repeated"] = True
        entry["description"] = f"a list of items of {', '.join(item)}" + "".join(
            f"; {sub} (a list in each item) is in the Parquet column only" for sub in item if sub not in flat)
        entry["subField"] = [field_of(config, sub, value, enumerations, parent=name) for sub, value in flat.items()]
        return entry
    if item is not None:
        entry["repeated"] = True
        feature = item
    entry["dataType"] = data_type(feature)
    if isinstance(feature, ClassLabel):
        labels = f"{field_id}-labels"
        enumerations.append(enumeration(labels, list(feature.names)))
        entry["description"] = f"ClassLabel: its names are the record set {labels}"
    entry["source"] = source
    return entry


def record_set(config: str, features: Features, enumerations: list[dict]) -> dict:
    return {"@type": "cr:RecordSet", "@id": config, "name": config, "description": VIEWS[config].description,
            "field": [field_of(config, name, feature, enumerations) for name, feature in features.items()]}


def distribution(parquet: Mapping[str, str]) -> list[dict]:
    """Every Parquet file (path -> sha256) and one file set per config that has files."""
    files = [{"@type": "cr:FileObject", "@id": path, "name": path, "contentUrl": path, "encodingFormat": PARQUET,
              "sha256": sha256} for path, sha256 in sorted(parquet.items())]
    configs = sorted({path.split("/")[0] for path in parquet}, key=list(VIEWS).index)
    return files + [{"@type": "cr:FileSet", "@id": f"{config}-parquet", "name": f"{config}-parquet",
                     "description": f"the Parquet files of the {config} config, one per split",
                     "encodingFormat": PARQUET, "includes": f"{config}/*.parquet"} for config in configs]


def dataset_name(prose: str) -> str:
    """The card's ``pretty_name`` (its YAML front matter), else the builder's dataset name."""
    from builder.output.card import front_matter

    name = front_matter(prose)[0].get("pretty_name")
    return name if isinstance(name, str) and name.strip() else DATASET_NAME


def croissant_document(*, version: str, parquet: Mapping[str, str], features: Mapping[str, Features], prose: str,
                       rai: Mapping[str, object], languages: tuple[str, ...] = ("en",),
                       licence: str | None = None) -> dict:
    """The JSON-LD document; ``licence``: the SPDX id of the annotations' licence (none stated: no ``license``)."""
    sections = answered_sections(prose)
    name = dataset_name(prose)
    configs = [c for c in VIEWS if any(path.startswith(f"{c}/") for path in parquet)]
    enumerations: list[dict] = []
    records = [record_set(config, features[config], enumerations) for config in configs]
    citation = sections.get("Citation", "").replace("```bibtex", "").replace("```", "").strip()
    return {"@context": CONTEXT, "@type": "sc:Dataset", "conformsTo": CONFORMS_TO, "name": name,
            "description": sections.get("Dataset summary") or sections.get("Motivation") or name, "version": version,
            **({"license": f"https://spdx.org/licenses/{licence}.html"} if licence else {}),
            # no url: where the release will live is not known when it is built
            "citeAs": citation or name, "inLanguage": list(languages), **rai,
            "distribution": distribution(parquet), "recordSet": records + enumerations}


def write_croissant(folder: Path, config: BuildConfig, parquet: Mapping[str, str], features: Mapping[str, Features],
                    prose: str, agreement: Mapping, release: ReleaseStep) -> None:
    """``croissant.json`` beside the card."""
    annotators = load_annotators(Path(config.annotations_dir) / "annotators.yaml")
    corpus = corpus_facts(folder, parquet)
    document = croissant_document(version=config.version, parquet=parquet, features=features, prose=prose,
                                  rai=rai_fields(prose, annotators, agreement, release, corpus),
                                  languages=corpus.languages, licence=release.annotations_license)
    write_document(folder / CROISSANT, document)


def corpus_facts(folder: Path, parquet: Mapping[str, str]) -> CorpusFacts:
    """The languages, annotator sets and gold sources of the articles, read from the documents config's files."""
    import pyarrow.parquet as pq

    languages, sets, gold = set(), Counter(), Counter()
    for path in sorted(p for p in parquet if p.startswith("documents/")):
        table = pq.read_table(folder / path, columns=["language", "annotators", "gold_source"])
        languages.update(table.column("language").to_pylist())
        sets.update(len(names) for names in table.column("annotators").to_pylist())
        gold.update(table.column("gold_source").to_pylist())
    return CorpusFacts(tuple(sorted(languages)), sets, gold)


def write_document(path: Path, document: Mapping) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def with_checksums(document: Mapping, parquet: Mapping[str, str]) -> dict:
    """The document with the sha256 of each Parquet file replaced (a hydrated release's files)."""
    files = [dict(f, sha256=parquet.get(f["@id"], f.get("sha256"))) if f["@type"] == "cr:FileObject" else f
             for f in document["distribution"]]
    return {**document, "distribution": files}
