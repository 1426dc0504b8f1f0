"""Whether a build folder may be published: restricted article texts only with an explicit, recorded flag.

The manifest's ``release`` entry (``builder/release/record.py``) lists the articles whose text the build
holds although their licence does not allow redistribution. Publishing such a build is refused (E910)
unless ``--include-restricted-texts`` is given and the build itself was made with it, so that its
manifest and card state it (E911 otherwise). A manifest without a ``release`` entry comes from a builder
that predates releases and is published as before. A hydrated release (``newsstance hydrate``) holds the texts
it put back: it is refused like a full build.
"""

from __future__ import annotations

import json
from pathlib import Path

from builder.errors import PublishError, problem
from builder.publish.folder import MANIFEST


def release_entry(manifest: dict) -> dict | None:
    entry = manifest.get("release")
    return entry if isinstance(entry, dict) else None


def check_rights(folder: Path, *, include_restricted_texts: bool) -> None:
    """Raise unless ``folder`` may be published with the flag as given."""
    entry = release_entry(json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8")))
    held = (entry or {}).get("restricted_texts_included") or []
    if (entry or {}).get("kind") == "hydrated":  # `newsstance hydrate` put the withheld texts back
        held = entry.get("hydrated_articles") or []
    if not held:
        return
    if not include_restricted_texts:
        raise PublishError(str(problem("E910", folder, folder=folder, count=len(held), examples=", ".join(held[:3]))))
    if not entry.get("include_restricted_texts"):
        raise PublishError(str(problem("E911", folder, folder=folder)))


def release_options(manifest: dict) -> dict:
    """The BuildConfig options that rebuild the release a manifest records (for ``verify``)."""
    entry = release_entry(manifest) or {}
    if entry.get("kind") not in ("full", "public"):
        return {}
    return {"release": entry["kind"], "include_restricted_texts": bool(entry.get("include_restricted_texts"))}
