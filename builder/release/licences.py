"""Which article-text licences allow redistribution (``redistributable_licenses`` of schema.yaml), and the
annotations' own licence (``annotations_license``)."""

from __future__ import annotations

from pathlib import Path

from builder.errors import InputError, problem
from builder.sources.annotations import read_yaml

KEY = "redistributable_licenses"
ANNOTATIONS_KEY = "annotations_license"
UNKNOWN = "unknown"  # how a null licence is named in counts and statements


def redistributable(schema_path: Path) -> frozenset[str]:
    """The SPDX ids listed under ``redistributable_licenses`` (none listed: no text may be redistributed)."""
    data = read_yaml(schema_path)
    listed = data.get(KEY, []) if isinstance(data, dict) else []
    if not isinstance(listed, list) or not all(isinstance(item, str) and item for item in listed):
        raise InputError([problem("E101", schema_path, detail=f"'{KEY}' must be a list of SPDX ids", pointer=f"/{KEY}")])
    return frozenset(listed)


def annotations_licence(schema_path: Path) -> str | None:
    """The SPDX id of the annotations' own licence (``annotations_license`` of schema.yaml), or None: none stated."""
    data = read_yaml(schema_path)
    value = data.get(ANNOTATIONS_KEY) if isinstance(data, dict) else None
    if value is not None and (not isinstance(value, str) or not value):
        raise InputError([problem("E101", schema_path, detail=f"'{ANNOTATIONS_KEY}' must be an SPDX id or null",
                                  pointer=f"/{ANNOTATIONS_KEY}")])
    return value


def may_redistribute(license_id: str | None, allowed: frozenset[str]) -> bool:
    return license_id is not None and license_id in allowed


def licence_name(license_id: str | None) -> str:
    return license_id if license_id is not None else UNKNOWN
