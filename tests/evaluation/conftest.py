"""The evaluation tests' sample dataset: a small Hub-style folder written with the declared Features.

Two test articles, one train article, every config the scorer reads, README.md configs and a
manifest. The fixture ``sample`` gives the articles and the helpers that write predictions about
them; ``data`` is the built folder (once per session) and ``golds`` its gold per task.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from builder.evaluation.evaluate import load_gold
from builder.output.manifest import content_sha256
from builder.output.parquet import sha256_file
from builder.sources.annotations import load_schema
from builder.views import features_for

REPO = Path(__file__).resolve().parents[2]
AD = "Continues after advertising\n"


class Sample:
    """The sample's articles and the helpers that write predictions about them."""

    version = "9.9.9"
    target = "us-peace-plan-2025"
    # article id -> (split, cleaned text, entities as (quoted text, label, nth occurrence), stances (holder_key, label))
    articles = {
        "a1": ("test", "Zelensky met Trump in Kiev on Thursday.\nEuropean countries resist the plan.",
               [("Zelensky", "PERSON", 0), ("Trump", "PERSON", 0), ("Kiev", "GPE", 0), ("Thursday", "DATE", 0),
                ("European", "NORP", 0)],
               [("Q3874799", "neutral"), ("european countries", "against")]),
        "a2": ("test", "Moscow has played down any new US initiatives.\nDmitry Peskov spoke on Wednesday in Moscow.",
               [("Moscow", "GPE", 0), ("US", "GPE", 0), ("Dmitry Peskov", "PERSON", 0), ("Wednesday", "DATE", 0),
                ("Moscow", "GPE", 1)],
               [("Q1033000", "against"), ("Q7747", "favor"), ("Q22686", "favor")]),
        "a3": ("train", "Brussels backs the plan.\nParis backs it too.",
               [("Brussels", "GPE", 0), ("Paris", "GPE", 0)],
               [("Q239", "favor"), ("Q90", "favor")]),
    }

    def text(self, article_id: str) -> str:
        return self.articles[article_id][1]

    def at(self, article_id: str, quoted: str, nth: int = 0) -> tuple[int, int]:
        """Offsets of the ``nth`` occurrence of ``quoted`` in the article's cleaned text."""
        text, start = self.text(article_id), -1
        for _ in range(nth + 1):
            start = text.index(quoted, start + 1)
        return start, start + len(quoted)

    def gold_spans(self, article_id: str) -> list[tuple[int, int, str]]:
        return [(*self.at(article_id, quoted, nth), label) for quoted, label, nth in self.articles[article_id][2]]

    @staticmethod
    def sentences(text: str) -> list[list[tuple[str, int, int]]]:
        """One sentence per line; tokens are words and single punctuation marks."""
        out, offset = [], 0
        for line in text.split("\n"):
            out.append([(m.group(), offset + m.start(), offset + m.end()) for m in re.finditer(r"\w+|[^\w\s]", line)])
            offset += len(line) + 1
        return out

    @staticmethod
    def tags_for(tokens: list[tuple[str, int, int]], spans) -> list[str]:
        tags = ["O"] * len(tokens)
        for start, end, label in spans:
            inside = [i for i, (_, a, b) in enumerate(tokens) if start <= a and b <= end]
            for k, i in enumerate(inside):
                tags[i] = f"{'B' if k == 0 else 'I'}-{label}"
        return tags

    @staticmethod
    def ner_line(article_id: str, spans) -> dict:
        return {"article_id": article_id, "entities": [{"start": a, "end": b, "label": label} for a, b, label in spans]}

    def stance_line(self, article_id: str, holder_key: str, label: str, target: str | None = None) -> dict:
        return {"article_id": article_id, "holder_key": holder_key, "target": target or self.target, "label": label}

    @staticmethod
    def write(path: Path, lines: Iterable) -> Path:
        """A predictions file: dicts as JSON, strings as they are, one per line."""
        path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
                        encoding="utf-8")
        return path

    def rows(self, article_id: str) -> dict[str, list[dict]]:
        """The rows of each config for one article."""
        split, text, _, stances = self.articles[article_id]
        first, rest = text.split("\n", 1)
        raw = f"{first}\n{AD}{rest}"
        document = {"id": article_id, "language": "en", "outlet": None, "url": None, "published": None,
                    "rights": "test fixture", "license": None, "metadata_notes": [], "inferred_fields": [],
                    "raw_sha256": "0" * 64,
                    "text": text, "raw_text": raw, "entities": [], "stances": [], "debris": [], "gold_source": "gold",
                    "annotators": []}
        ner = [{"id": f"{article_id}-{i:04d}", "article_id": article_id, "sentence_index": i,
                "tokens": [t for t, _, _ in sentence], "ner_tags": self.tags_for(sentence, self.gold_spans(article_id)),
                "token_starts": [a for _, a, _ in sentence], "token_ends": [b for _, _, b in sentence]}
               for i, sentence in enumerate(self.sentences(text))]
        stance = [{"id": f"{article_id}-s{i}", "article_id": article_id, "holder": key, "holder_key": key,
                   "target": self.target, "target_description": "the plan", "context": text, "evidence": [],
                   "label": label}
                  for i, (key, label) in enumerate(stances)]
        cleaning = [{"id": article_id, "raw_text": raw, "clean_text": text, "debris": []}]
        return {"documents": [document], "ner": ner, "stance": stance, "cleaning": cleaning}

    def make_dataset(self, root: Path) -> Path:
        """A built-folder lookalike: <config>/<split>-00000-of-00001.parquet, README.md configs, manifest.json."""
        import datasets
        schema = load_schema(REPO / "annotations" / "schema.yaml")
        by_split: dict[tuple[str, str], list[dict]] = {}
        for article_id in sorted(self.articles):
            for config, rows in self.rows(article_id).items():
                by_split.setdefault((config, self.articles[article_id][0]), []).extend(rows)
        yaml = ["---", "configs:"]
        for config in ("documents", "ner", "stance", "cleaning"):
            yaml += [f"- config_name: {config}", "  data_files:"]
            for split in ("train", "test"):
                path = root / config / f"{split}-00000-of-00001.parquet"
                path.parent.mkdir(parents=True, exist_ok=True)
                datasets.Dataset.from_list(by_split[(config, split)], features=features_for(config, schema)).to_parquet(path)
                yaml += [f"  - split: {split}", f"    path: {config}/{split}-00000-of-00001.parquet"]
        (root / "README.md").write_text("\n".join(yaml + ["---", "", "# fixture", ""]), encoding="utf-8")
        parquet = {p.relative_to(root).as_posix(): sha256_file(p) for p in sorted(root.rglob("*.parquet"))}
        manifest = {"dataset": "newsstance", "version": self.version, "content_sha256": content_sha256(parquet),
                    "outputs": {name: {"sha256": digest} for name, digest in parquet.items()}}
        (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        return root


@pytest.fixture(scope="session")
def sample() -> Sample:
    return Sample()


@pytest.fixture(scope="session")
def data(sample, tmp_path_factory) -> Path:
    """The sample dataset, built once; tests read it and never write into it."""
    return sample.make_dataset(tmp_path_factory.mktemp("built"))


@pytest.fixture(scope="session")
def content(data) -> str:
    """The sample dataset's content hash, as its manifest gives it."""
    return json.loads((data / "manifest.json").read_text(encoding="utf-8"))["content_sha256"]


@pytest.fixture(scope="session")
def golds(data) -> dict:
    return {task: load_gold(task, data=str(data)) for task in ("ner", "stance", "cleaning")}
