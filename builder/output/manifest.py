"""The manifest: every input and output file with its sha256, the build's figures, written as one JSON file.

The manifest of a large corpus does not fit in memory as one document: the sha256 of every input file and
the agreement entry of every article go through temporary files (``Scratch``) and are streamed into their
places (``write_json_streamed``); the bytes equal ``json.dumps(indent=2)`` of the whole document.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from builder.config import BuildConfig
from builder.sources.safe_files import stays_inside
from builder.output.name_sort import NameSorter
from builder.output.parquet import sha256_file

if TYPE_CHECKING:
    from builder.article.build import ArticleSummary

MANIFEST = "manifest.json"
BY_ARTICLE = "\x00by_article\x00"  # placeholders for the manifest's streamed parts
INPUTS = "\x00inputs\x00"


class Scratch:
    """Temporary files of one build: the manifest's per-article agreement entries (in article
    order) and the sha256 of every input file an article read (sorted by name at the end)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.agreement = open(folder / "agreement.bin", "w+b")
        self.inputs = NameSorter(folder)

    def add(self, summary: ArticleSummary) -> None:
        self.inputs.add(summary.inputs)
        if summary.agreement is not None and summary.agreement.by_article is not None:
            key, value = summary.article_id.encode("utf-8"), summary.agreement.by_article.encode("utf-8")
            self.agreement.write(b"".join((len(key).to_bytes(4, "little"), key, len(value).to_bytes(4, "little"), value)))

    def agreement_entries(self) -> Iterator[tuple[str, str]]:
        self.agreement.seek(0)
        read = self.agreement.read
        while header := read(4):
            key = read(int.from_bytes(header, "little")).decode("utf-8")
            yield key, read(int.from_bytes(read(4), "little")).decode("utf-8")

    def close(self) -> None:
        self.agreement.close()
        self.inputs.close()


def input_files(config: BuildConfig) -> Iterator[tuple[str, str]]:
    """Every file the build reads, by the name the manifest gives it, with its path (not sorted); a link
    that leads out of corpus/ or annotations/ is not read, so neither listed nor hashed."""
    for entry in os.scandir(config.corpus_dir):
        if entry.is_file() and (not entry.is_symlink() or stays_inside(entry.path, config.corpus_dir)):
            yield f"corpus/{entry.name}", entry.path
    yield from ((name, path) for name, path in files_under(os.fspath(config.annotations_dir), "annotations/")
                if stays_inside(path, config.annotations_dir))
    yield "DATASET_CARD.md", os.fspath(config.card_path)
    if Path(config.benchmarks_dir).is_dir():
        for path in Path(config.benchmarks_dir).glob("*.json"):
            yield f"benchmarks/results/{path.name}", os.fspath(path)


def files_under(folder: str, prefix: str) -> Iterator[tuple[str, str]]:
    """Files under ``folder``, recursively, as ``rglob("*")`` with ``is_file()`` finds them (symbolic
    links to folders are not followed)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from files_under(entry.path, f"{prefix}{entry.name}/")
            elif prefix == "annotations/" and entry.is_dir():  # a linked annotator folder is read (only if it
                yield from files_under(entry.path, f"{prefix}{entry.name}/")  # stays inside): list its files
            elif entry.is_file():
                yield prefix + entry.name, entry.path


def sorted_inputs(scratch: Scratch, config: BuildConfig) -> Iterator[tuple[str, str]]:
    """(name, sha256 as JSON) of every input file in name order: the listed files, with the sha256 an
    article read or, for a file no article read, hashed here (a file read but no longer listed is left out)."""
    listed = NameSorter(scratch.folder)
    try:
        listed.add_all(input_files(config))
        read = scratch.inputs.sorted()
        pending = next(read, None)
        previous = None
        for name, _, path in listed.sorted():
            if name == previous:  # a name listed twice is one input (no real input is listed twice)
                continue
            previous = name
            while pending is not None and pending[0] < name:
                pending = next(read, None)
            if pending is None or pending[0] != name:
                yield name, f'"{sha256_file(Path(path))}"'
                continue
            while pending is not None and pending[0] == name:
                yield name, f'"{pending[2]}"'
                pending = next(read, None)
    finally:
        listed.close()


def manifest_outputs(root: Path, rows: Mapping[str, int], known: Mapping[str, str] | None = None) -> dict[str, dict]:
    """sha256, size (and rows for Parquet) of every file under ``root`` except the manifest.

    ``known`` gives sha256 values already computed while writing (by relative name).
    """
    known = known or {}
    outputs = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        if name == MANIFEST:
            continue
        entry = {"sha256": known.get(name) or sha256_file(path), "size": path.stat().st_size}
        if name in rows:
            entry["rows"] = rows[name]
        outputs[name] = entry
    return outputs


def tokenization_entry(languages: Mapping[str, int], split_tokens: Mapping[str, int]) -> dict:
    """The manifest's record of tokenization: per language code its articles and the spaCy class that
    tokenized them, and the tokens split at annotation boundaries (in all, and per article that had any)."""
    from builder.article.language import tokenizer_of

    return {"languages": {code: {"articles": count, "spacy_language": tokenizer_of(code).spacy_language,
                                 "spacy_class": tokenizer_of(code).spacy_class}
                          for code, count in sorted(languages.items())},
            "split_tokens": {"total": sum(split_tokens.values()), "by_article": dict(sorted(split_tokens.items()))}}


def content_sha256(parquet: Mapping[str, str]) -> str:
    """The build's content hash: sha256 of its Parquet files' "<name> <sha256>" lines in name order. It
    names the data alone (not the card or the manifest), so a benchmark result can say which data it scored."""
    lines = "".join(f"{name} {digest}\n" for name, digest in sorted(parquet.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")


def write_json_streamed(path: Path, data: Mapping, streamed: Mapping[str, Iterable[tuple[str, str]]]) -> None:
    """``write_json`` for a document too large to hold: ``data`` has a placeholder string where each
    big object goes, and ``streamed[placeholder]`` yields its (key, value as ``json.dumps(value, indent=2)``)
    entries in order. The bytes equal ``write_json`` of the whole document."""
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)
    with open(path, "w", encoding="utf-8") as out:
        for placeholder, entries in streamed.items():
            before, text = text.split(json.dumps(placeholder, ensure_ascii=False), 1)
            out.write(before)
            line = before[before.rfind("\n") + 1:]
            write_object(out, entries, (len(line) - len(line.lstrip(" "))) // 2)
        out.write(text + "\n")


JSON_STRING = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(s, ensure_ascii=False), without a new encoder per call


def write_object(out, entries: Iterable[tuple[str, str]], level: int) -> None:
    """A JSON object whose key line is indented ``level`` steps, from pre-rendered (key, value) entries,
    written as json.dumps(indent=2) would write it."""
    inner = "\n" + "  " * (level + 1)
    texts = (f"{inner}{JSON_STRING(key)}: {value.replace(chr(10), inner)}" for key, value in entries)
    first = next(texts, None)
    if first is None:
        out.write("{}")
        return
    out.write("{" + first)
    while block := list(islice(texts, 1024)):  # a write per block of entries, not per entry
        out.write("," + ",".join(block))
    out.write("\n" + "  " * level + "}")


