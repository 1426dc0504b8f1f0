"""The build's release step: each chunk's batches -> the same batches with restricted texts withheld.

It runs on what the views made (after the cache, so cached results are the same for every release), in the
main process, chunk by chunk in article order. An article is restricted when its ``license`` (a documents
column) is not among the schema's ``redistributable_licenses``. Every build notes each restricted article
with what a user needs to check a copy of its text (sha256, length, the sha256 of each block of
``BLOCK_CHARS`` characters, to say where a copy first differs); a public build also nulls the article's
text in every config (``fields.withheld_row``), so its configs and Features are those of the full build.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from builder.release.fields import article_column, withheld_row
from builder.release.licences import licence_name, may_redistribute

BLOCK_CHARS = 64  # code points per block hash: a copy's first difference is told to within a block
BLOCK_HEX = 16  # hex digits kept of each block's sha256


@dataclass(frozen=True, slots=True)
class RestrictedArticle:
    """An article whose text may not be redistributed, with what checks a copy of its raw text."""

    article_id: str
    license: str | None
    rights: str
    url: str | None
    raw_sha256: str
    raw_length: int  # code points
    raw_bytes: int
    blocks: tuple[str, ...]

    def to_json(self) -> dict:
        return {"id": self.article_id, "license": self.license, "rights": self.rights, "url": self.url,
                "raw_sha256": self.raw_sha256, "raw_length": self.raw_length, "raw_bytes": self.raw_bytes,
                "block_sha256": list(self.blocks)}


def block_hashes(text: str) -> tuple[str, ...]:
    return tuple(hashlib.sha256(text[i:i + BLOCK_CHARS].encode("utf-8")).hexdigest()[:BLOCK_HEX]
                 for i in range(0, len(text), BLOCK_CHARS))


def restricted_article(row: Mapping) -> RestrictedArticle:
    raw = row["raw_text"]
    return RestrictedArticle(row["id"], row["license"], row["rights"], row["url"], row["raw_sha256"], len(raw),
                             len(raw.encode("utf-8")), block_hashes(raw))


def withheld_batch(batch: pa.RecordBatch, config: str, withheld: frozenset[str]) -> pa.RecordBatch:
    """``batch`` with the text of the rows of the ``withheld`` articles nulled (the batch itself if it has none)."""
    names = batch.column(article_column(batch.schema)).to_pylist()
    if not withheld.intersection(names):
        return batch
    column = article_column(batch.schema)
    rows = [withheld_row(row, config, batch.schema) if row[column] in withheld else row for row in batch.to_pylist()]
    return pa.RecordBatch.from_pylist(rows, schema=batch.schema)


@dataclass
class ReleaseStep:
    """Applied to every chunk's batches; keeps the restricted articles' ids, the count of each licence and,
    in a public release, what checks a copy of each withheld text (a full build needs no hashes)."""

    public: bool
    allowed: frozenset[str]
    annotations_license: str | None = None  # SPDX id, from schema.yaml; None: the project states none
    restricted: list[str] = field(default_factory=list)  # article ids, in article order
    withheld: list[RestrictedArticle] = field(default_factory=list)
    licences: Counter = field(default_factory=Counter)

    def apply(self, batches: dict[tuple[str, str], list[pa.RecordBatch]]) -> dict[tuple[str, str], list[pa.RecordBatch]]:
        found: set[str] = set()
        for (name, _), chunk in batches.items():
            if name == "documents":
                for batch in chunk:
                    found |= self.note(batch)
        if not self.public or not found:
            return batches
        withheld = frozenset(found)
        return {key: [withheld_batch(batch, key[0], withheld) for batch in chunk] for key, chunk in batches.items()}

    def note(self, documents: pa.RecordBatch) -> set[str]:
        """Count the licences of a documents batch; note its restricted articles; their ids."""
        licences = documents.column("license").to_pylist()
        self.licences.update(licence_name(x) for x in licences)
        restricted = [i for i, x in enumerate(licences) if not may_redistribute(x, self.allowed)]
        if not restricted:
            return set()
        ids = documents.column("id").take(restricted).to_pylist()
        self.restricted += ids
        if self.public:
            rows = documents.select(["id", "license", "rights", "url", "raw_sha256", "raw_text"]).take(restricted)
            self.withheld += [restricted_article(row) for row in rows.to_pylist()]
        return set(ids)

    def shown_disagreements(self, by_article: Mapping[str, Sequence[str]]) -> list[str]:
        """The card's and manifest's lines on disagreements decided by rule, article by article: in a public
        release a restricted article's lines, which quote its text, become one line that counts them."""
        if not self.public:
            return [line for lines in by_article.values() for line in lines]
        withheld = frozenset(self.restricted)
        shown = []
        for article, lines in by_article.items():
            shown += ([f"article {article}: {len(lines)} disagreement(s) decided by rule; the lines that name them "
                       f"quote its text, which this release withholds (each annotator's items are in the "
                       f"annotations config)"] if article in withheld else list(lines))
        return shown
