"""Interop: the outside formats, by name (``IMPORTERS``, ``EXPORTERS``). Nothing here is needed by the build.

Like spaCy's ``CONVERTERS``, each registry maps a format name to a ``Format``: where its function lives
and the texts ``newsstance import|export FORMAT --help`` shows. The module is imported only when the
function is loaded, so naming the formats costs nothing (``docbin`` needs spaCy, the training formats
``datasets`` and ``pyarrow``).

Annotation tools (read and written from corpus/ + annotations/; a round trip gives identical sets):
    labelstudio/   Label Studio: config.py (the labeling configuration), options.py, tasks.py (export
                   file -> ImportedSet records), jsonmin.py (JSON-MIN records and their unlinked per-region
                   values), regions.py (one annotation's results), spans.py (offsets), export.py
                   (annotation sets -> tasks)
    brat/          brat standoff: standoff.py (.ann lines), reading.py (-> ImportedSet), writing.py
                   (set -> .ann, annotation.conf), collection.py (folders of documents)
    policies.py    label and annotator policies, mapping files, id helpers
    stances.py     stance evidence -> stances
    matching.py    ImportedSet records -> annotation sets pinned to corpus articles, new articles
    provenance.py  a task's url, title, outlet and date -> a new article's metadata (--meta-field)
    overlaps.py    overlapping or nested entity spans under --overlaps refuse|keep-outer|keep-inner
    writing.py     writing the sets and new articles without overwriting by accident; finish_import, the
                   shared tail of every importer (overlaps, match, write, annotators, checks)
    annotators.py  new annotator ids -> annotators.yaml, with the kind the user gave
    checking.py    validate's checks on the files an import wrote
    report.py      the import report
    adjudication.py, exportable.py, offsets.py: a gold set's adjudication as JSON, whether a set can be
                   exported over its article, code point <-> UTF-16 offsets

Training formats (read from a built dataset folder):
    built.py       the Parquet files of a build, with their declared Features; one output file per split
    docbin.py      documents config -> spaCy DocBin per split
    conll.py       ner config -> CoNLL-2003-style files per split
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Format:
    """One outside format of a command: its function (``module:function``, imported when loaded) and help texts."""

    function: str
    help: str
    description: str

    def load(self) -> Callable:
        module, _, name = self.function.partition(":")
        return getattr(importlib.import_module(module), name)


IMPORTERS: dict[str, Format] = {
    "labelstudio": Format(
        "builder.interop.labelstudio.tasks:import_labelstudio",
        help="a Label Studio JSON or JSON-MIN export",
        description="Import a Label Studio export (full JSON, or JSON-MIN: spans only) made with "
                    "annotations/labelstudio/config.xml, or any NER project with --label-map. Tasks are matched "
                    "to corpus articles by data.article_id (checked against the text) or by the text's sha256."),
    "brat": Format(
        "builder.interop.brat.collection:import_brat",
        help="a folder of brat standoff .txt + .ann pairs",
        description="Import brat/INCEpTION standoff files (see annotations/brat/README.md). Each .txt must equal "
                    "a corpus article byte for byte, or be added with --new-articles (its file name is the id)."),
}

EXPORTERS: dict[str, Format] = {
    "labelstudio": Format(
        "builder.interop.labelstudio.export:export_labelstudio",
        help="Label Studio tasks (one per article) with the annotations as predictions",
        description="Write a JSON list of Label Studio tasks: data.text is the raw article text, data.article_id "
                    "its id; each annotator's set is a prediction with model_version = annotator id. Import it "
                    "into a project labelled with annotations/labelstudio/config.xml."),
    "brat": Format(
        "builder.interop.brat.collection:export_brat",
        help="brat standoff .txt + .ann pairs of one annotator, with annotation.conf",
        description="Write <id>.txt (the raw bytes) and <id>.ann for every article the annotator annotated, "
                    "and annotation.conf; see annotations/brat/README.md."),
    "spacy": Format(
        "builder.interop.docbin:export_spacy",
        help="spaCy DocBin per split (gold entities over the cleaned text)",
        description="Write <split>.spacy from the built documents config, for `spacy train` "
                    "(--paths.train train.spacy --paths.dev validation.spacy). Every entity is placed strictly "
                    "on token boundaries; one that does not fit stops the export (spaCy would drop it, W030)."),
    "conll": Format(
        "builder.interop.conll:export_conll",
        help="CoNLL-2003-style files per split (token, _, _, IOB2 tag)",
        description="Write <split>.conll from the built ner config, readable by the `datasets` conll builder "
                    "with column_names tokens, pos_tags, chunk_tags, ner_tags."),
}
