"""Built ``ner`` config -> CoNLL-2003-style files, one per split (``newsstance export conll``).

Format (what the ``datasets`` library's packaged ``conll`` builder reads with
``column_names=["tokens", "pos_tags", "chunk_tags", "ner_tags"]``): one token per line, four
space-separated columns ``TOKEN POS CHUNK NER``, a blank line after each sentence, and each article
opened by the CoNLL-2003 document marker ``-DOCSTART- -X- -X- O`` (the reader skips it). POS and chunk
are not annotated: both columns hold the placeholder ``_``. NER tags are IOB2 (``B-PERSON``,
``I-PERSON``, ``O``), the tags of the ``ner`` config. A token the format cannot hold (one containing
whitespace, which the reader would split into columns) is an error, never altered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from datasets import ClassLabel, Features, List, Value

from builder.errors import Problem, problem
from builder.interop.built import read_config, write_splits

COLUMNS = ("tokens", "pos_tags", "chunk_tags", "ner_tags")
PLACEHOLDER = "_"
DOCSTART = "-DOCSTART- -X- -X- O"


def conll_features(tag_names: Sequence[str]) -> Features:
    """The Features to load an exported file back with ``load_dataset("conll", ...)``."""
    return Features({"tokens": List(Value("string")), "pos_tags": List(Value("string")),
                     "chunk_tags": List(Value("string")), "ner_tags": List(ClassLabel(names=list(tag_names)))})


def token_problem(token: str) -> str | None:
    if not token:
        return "it is empty"
    if token.split() != [token]:
        return "it contains whitespace"
    if token.startswith("-DOCSTART-"):
        return "readers skip lines starting with -DOCSTART-"
    return None


def iob2_problems(tokens: Sequence[str], tags: Sequence[str], file: str, where: str) -> list[Problem]:
    problems, previous = [], "O"
    for index, (token, tag) in enumerate(zip(tokens, tags)):
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            problems.append(problem("E425", file, where, tag=tag, index=index, token=token))
        previous = tag
    return problems


def ner_rows_to_conll(rows: Sequence[dict], tag_name: Callable[[int], str], file: str) -> tuple[str, list[Problem]]:
    """``ner`` rows (tokens, ner_tags as ClassLabel ids) -> the text of one CoNLL file."""
    lines: list[str] = []
    problems: list[Problem] = []
    article = None
    for row in sorted(rows, key=lambda r: (r["article_id"], r["sentence_index"])):
        where = f"article {row['article_id']}, sentence {row['sentence_index']}"
        tags = [tag_name(t) for t in row["ner_tags"]]
        for index, token in enumerate(row["tokens"]):
            why = token_problem(token)
            if why is not None:
                problems.append(problem("E424", file, f"{where}, token {index}", token=token, reason=why))
        problems.extend(iob2_problems(row["tokens"], tags, file, where))
        if not row["tokens"]:
            continue
        if row["article_id"] != article:
            article = row["article_id"]
            lines += [DOCSTART, ""]
        lines += [f"{token} {PLACEHOLDER} {PLACEHOLDER} {tag}" for token, tag in zip(row["tokens"], tags)]
        lines.append("")
    return "\n".join(lines) + ("\n" if lines else ""), problems


def export_conll(dataset_dir: Path, output_dir: Path) -> dict[str, Path]:
    """``<output>/<split>.conll`` for every split of the built ``ner`` config; nothing is written
    unless every split can be written faithfully."""
    texts, problems = {}, []
    for split, (features, rows) in read_config(dataset_dir, "ner").items():
        texts[split], found = ner_rows_to_conll(rows, features["ner_tags"].feature.int2str, f"{dataset_dir}/ner/{split}")
        problems.extend(found)
    return write_splits(texts, problems, output_dir, ".conll",
                        lambda text, path: path.write_text(text, encoding="utf-8"))
