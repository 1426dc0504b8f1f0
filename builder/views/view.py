"""What a published config is (``View``) and what its rows are made from (``ViewInput``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from builder.records import Annotator, BuiltArticle, Schema
from builder.views.schema import LabelIds
from builder.views.sentences import Sentences

if TYPE_CHECKING:
    import pyarrow as pa
    from datasets import Features

    from builder.agreement.compare import ItemAgreement


@dataclass(frozen=True, slots=True)
class ViewInput:
    """One built article with everything its rows need besides it."""

    article: BuiltArticle
    gold_source: str
    ids: LabelIds
    targets: Mapping[str, str]  # target id -> description
    annotators: Mapping[str, Annotator]
    agreement: Mapping[str, ItemAgreement]  # per annotator: each item's agreement
    sentences: Sentences  # of the cleaned text, shared by the ner rows and the stance contexts


@dataclass(frozen=True, slots=True)
class View:
    """One published config: its Features, and its rows of one article, or of another config's batch.

    ``rows`` gives tuples in the order of the Features' fields (a struct item a tuple in the order of its
    fields) or, for many rows, ``arrow.Columns``; ``derive`` makes the config's batch from the batch of
    the config ``derive_from`` (the same articles), where its columns are that config's columns."""

    name: str
    description: str
    features: Callable[[Schema], Features]
    rows: Callable[[ViewInput], list | Mapping] | None = None
    derive_from: str | None = None
    derive: Callable[[pa.RecordBatch, pa.Schema], pa.RecordBatch] | None = None
