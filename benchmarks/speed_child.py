"""What one measured child process of ``build_speed.py`` runs: a build, spaCy's floor, or the naive route.

``build_speed.py --child KIND ARGS...`` hands its arguments to ``main`` here, in a fresh process whose
``PYTHONPATH`` names the tree being measured, so that ``builder`` is that tree's. The child prints one
line ``RESULT <json>``; the parent adds CPU time and peak RSS.
"""

from __future__ import annotations

import json
import time
from pathlib import Path


def config_for(corpus: Path, output: Path, **options):
    from builder.config import BuildConfig
    return BuildConfig(corpus_dir=corpus / "corpus", annotations_dir=corpus / "annotations", output_dir=output,
                       card_path=corpus / "DATASET_CARD.md", benchmarks_dir=corpus / "no-results", **options)


def cleaned_texts(built: Path) -> list[str]:
    """The cleaned texts of a build, in article order (all splits)."""
    import pyarrow.parquet as pq
    rows = []
    for path in sorted((built / "cleaning").glob("*.parquet")):
        table = pq.read_table(path, columns=["id", "clean_text"])
        rows += zip(table.column("id").to_pylist(), table.column("clean_text").to_pylist())
    return [text for _, text in sorted(rows)]


def child_build(corpus: Path, output: Path, workers: int, cache: Path | None) -> dict:
    from builder.pipeline import build
    started = time.perf_counter()
    build(config_for(corpus, output, workers=workers, cache_dir=cache))
    return {"seconds": time.perf_counter() - started}


def child_floor(built: Path, tokenizer_only: bool) -> dict:
    import spacy
    texts = cleaned_texts(built)
    nlp = spacy.blank("en")
    if not tokenizer_only:
        nlp.add_pipe("sentencizer")
    list(nlp.pipe(["Warm up the pipeline on a text that is not in the corpus."]))
    started = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return {"seconds": time.perf_counter() - started, "characters": sum(map(len, texts)), "texts": len(texts)}


def naive_align(batch: dict, nlp, tag_names: list[str]) -> dict:
    """The map function a user would write: each line through spaCy, sentences joined where an entity
    crosses them, IOB2 tags per sentence (the rules of builder/article/align.py, written plainly)."""
    out = {name: [] for name in ("id", "article_id", "sentence_index", "tokens", "ner_tags", "token_starts", "token_ends")}
    for article_id, text, entities in zip(batch["id"], batch["text"], batch["entities"]):
        tokens, sentence, offset = [], -1, 0
        for line in text.split("\n"):
            if line.strip():
                for sent in nlp(line).sents:
                    sentence += 1
                    tokens += [[t.text, offset + t.idx, offset + t.idx + len(t.text), sentence]
                               for t in sent if not t.is_space]
            offset += len(line) + 1
        first = {t[1]: t[3] for t in tokens}
        last = {t[2]: t[3] for t in tokens}
        merge = {}
        for e in entities:
            a, b = first.get(e["start"]), last.get(e["end"])
            if a is not None and b is not None:
                for s in range(a + 1, b + 1):
                    merge[s] = merge.get(a, a)
        numbering = {}
        for t in tokens:
            t[3] = numbering.setdefault(merge.get(t[3], t[3]), len(numbering))
        sentences = {}
        for t in tokens:
            sentences.setdefault(t[3], []).append(t)
        for index, sent in sentences.items():
            lo, hi = sent[0][1], sent[-1][2]
            tags = ["O"] * len(sent)
            position = {t[1]: i for i, t in enumerate(sent)}
            for e in entities:
                if lo <= e["start"] and e["end"] <= hi:
                    i = position[e["start"]]
                    tags[i] = f"B-{e['label']}"
                    i += 1
                    while i < len(sent) and sent[i][2] <= e["end"]:
                        tags[i] = f"I-{e['label']}"
                        i += 1
            out["id"].append(f"{article_id}-{index:04d}")
            out["article_id"].append(article_id)
            out["sentence_index"].append(index)
            out["tokens"].append([t[0] for t in sent])
            out["ner_tags"].append([tag_names.index(tag) for tag in tags])
            out["token_starts"].append([t[1] for t in sent])
            out["token_ends"].append([t[2] for t in sent])
    return out


def child_naive(built: Path, corpus: Path, output: Path) -> dict:
    import pyarrow.parquet as pq
    import spacy
    from datasets import Dataset, disable_progress_bars
    from builder.sources.annotations import load_schema
    from builder.views import features_for
    from builder.views.schema import bio_names
    disable_progress_bars()
    schema = load_schema(corpus / "annotations" / "schema.yaml")
    records = []
    for path in sorted((built / "documents").glob("*.parquet")):
        table = pq.read_table(path, columns=["id", "text", "entities"])
        records += [{"id": r["id"], "text": r["text"],
                     "entities": [{"start": e["start"], "end": e["end"], "label": e["label"]} for e in r["entities"]]}
                    for r in table.to_pylist()]
    labels = list(schema.entity_labels)  # the Parquet file holds ClassLabel integers
    for r in records:
        for e in r["entities"]:
            e["label"] = labels[e["label"]]
    records.sort(key=lambda r: r["id"])
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    list(nlp.pipe(["Warm up the pipeline on a text that is not in the corpus."]))
    features = features_for("ner", schema)
    started = time.perf_counter()
    dataset = Dataset.from_list(records)
    rows = dataset.map(naive_align, batched=True, batch_size=100, remove_columns=dataset.column_names,
                       features=features, fn_kwargs={"nlp": nlp, "tag_names": bio_names(schema)})
    rows.to_parquet(str(output))
    seconds = time.perf_counter() - started
    built_rows = sorted(r for path in sorted((built / "ner").glob("*.parquet"))
                        for r in map(json.dumps, pq.read_table(path).to_pylist()))
    naive_rows = sorted(map(json.dumps, pq.read_table(output).to_pylist()))
    return {"seconds": seconds, "same_rows_as_build": built_rows == naive_rows, "rows": len(naive_rows)}


def main(argv: list[str]) -> None:
    """``KIND ARGS...``: build CORPUS OUTPUT WORKERS CACHE|-, floor|tokenizer BUILT, naive BUILT CORPUS OUTPUT."""
    kind, *rest = argv
    if kind == "build":
        corpus, output, workers, cache = rest
        result = child_build(Path(corpus), Path(output), int(workers), Path(cache) if cache != "-" else None)
    elif kind in ("floor", "tokenizer"):
        result = child_floor(Path(rest[0]), kind == "tokenizer")
    elif kind == "naive":
        result = child_naive(Path(rest[0]), Path(rest[1]), Path(rest[2]))
    elif kind == "characters":  # not measured: the size of the cleaned texts, for the rates
        result = {"characters": sum(map(len, cleaned_texts(Path(rest[0]))))}
    else:
        raise SystemExit(f"unknown child {kind}")
    print("RESULT " + json.dumps(result), flush=True)
