"""The published configs, by name, in the order the build writes them: ``VIEWS = {name: View}``.

Every other place that needs the configs (the build, the writer, the card, evaluation) iterates
``VIEWS``; adding a config is one module here and one line below.
"""

from __future__ import annotations

from datasets import Features

from builder.records import Schema
from builder.views import annotation_sets
from builder.views import cleaning, documents, ner, stance
from builder.views.view import View, ViewInput

VIEWS: dict[str, View] = {
    "documents": View("documents", documents.DESCRIPTION, documents.features, documents.rows),
    "ner": View("ner", ner.DESCRIPTION, ner.features, ner.rows),
    "stance": View("stance", stance.DESCRIPTION, stance.features, stance.rows),
    "cleaning": View("cleaning", cleaning.DESCRIPTION, cleaning.features, derive_from="documents",
                     derive=cleaning.from_documents),
    "annotations": View("annotations", annotation_sets.DESCRIPTION, annotation_sets.features, annotation_sets.rows),
}
DEFAULT_CONFIG = "documents"


def features_for(config: str, schema: Schema) -> Features:
    """The Features of one config (``VIEWS[config].features``), with the known names in the error."""
    if config not in VIEWS:
        raise ValueError(f"unknown config {config!r}; known: {', '.join(VIEWS)}")
    return VIEWS[config].features(schema)


__all__ = ["DEFAULT_CONFIG", "VIEWS", "View", "ViewInput", "features_for"]
