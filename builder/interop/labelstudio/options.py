"""The options of the Label Studio importer, and the task data fields the exporter and importer share."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.errors import ConfigError, problem
from builder.interop.policies import AnnotatorPolicy, LabelPolicy
from builder.interop.provenance import MetaFields

SOURCES = ("annotations", "predictions")
OFFSET_MODES = ("auto", "codepoints", "utf16")
ADJUDICATION = "adjudication"  # task data field carrying gold sets' adjudicated_from/decisions
OFFSETS_FIELD = "offsets"  # task data field: how `export labelstudio` counted the predictions' offsets


@dataclass(frozen=True, slots=True)
class LabelStudioOptions:
    """How to read an export: label and annotator policies, which results, how offsets count, which fields."""

    labels: LabelPolicy = field(default_factory=LabelPolicy)
    annotators: AnnotatorPolicy = field(default_factory=AnnotatorPolicy)
    source: str = "annotations"  # "predictions": read the predictions (what `export labelstudio` writes)
    offsets: str = "auto"  # "codepoints" | "utf16" to force one reading
    text_field: str = "text"  # task data field holding the text
    id_field: str = "article_id"  # task data field holding the corpus article id, if any
    meta_fields: MetaFields = field(default_factory=MetaFields)  # --meta-field: where url, title... are

    def __post_init__(self) -> None:
        for name, value, choices in (("source", self.source, SOURCES), ("offsets", self.offsets, OFFSET_MODES)):
            if value not in choices:
                raise ConfigError(str(problem("E428", "Label Studio options", name=name, value=value,
                                              choices=", ".join(choices))))

