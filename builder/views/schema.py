"""The parts every config's ``datasets.Features`` share: ClassLabels, label ids, span offsets.

Label names come from annotations/schema.yaml, so a label added there appears in the ClassLabels; the
kinds of label are the fields of ``records.Schema``, so a kind added there gets its ClassLabel and its ids.
Spans are plain lists of structs (``List({...})``): ``Sequence`` of a dict would turn into a dict of
lists, which the Hub viewer cannot show. Offsets are code points, end exclusive; ``start``/``end`` are
into the cleaned ``text``, ``raw_start``/``raw_end`` into ``raw_text``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from datasets import ClassLabel, Value

from builder.records import Schema

def bio_names(schema: Schema) -> list[str]:
    return ["O"] + [f"{prefix}-{label}" for label in schema.entity_labels for prefix in ("B", "I")]


def labels(schema: Schema) -> dict[str, ClassLabel]:
    """The ClassLabel of each kind of label of the schema, by the kind's name (``entity``, ``target``...)."""
    return {kind: ClassLabel(names=list(names)) for kind, names in schema.labels().items()}


@dataclass(frozen=True, slots=True)
class LabelIds:
    """The ClassLabel integer of each label name, numbered as ``labels`` and ``bio_names`` number them:
    the views write these integers into their rows, so the writer has no names to encode.

    One mapping per kind of label of the schema, read as an attribute (``ids.entity``), and ``ids.bio``
    for the ner tags."""

    kinds: Mapping[str, Mapping[str, int]]  # kind (and "bio") -> label name -> integer

    def __getattr__(self, kind: str) -> Mapping[str, int]:
        try:
            return object.__getattribute__(self, "kinds")[kind]  # not self.kinds: unset, it would recurse
        except KeyError:
            raise AttributeError(f"no label kind {kind!r}") from None


def numbered(names: Sequence[str]) -> dict[str, int]:
    return {name: i for i, name in enumerate(names)}


def label_ids(schema: Schema) -> LabelIds:
    return LabelIds({kind: numbered(list(names)) for kind, names in schema.labels().items()}
                    | {"bio": numbered(bio_names(schema))})


def span_features(with_raw: bool = True) -> dict:
    span = {"start": Value("int32"), "end": Value("int32")}
    if with_raw:
        span |= {"raw_start": Value("int32"), "raw_end": Value("int32")}
    return span
