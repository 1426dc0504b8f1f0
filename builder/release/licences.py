"""Which article-text licences allow redistribution: the list ``redistributable_licenses`` of schema.yaml."""

from __future__ import annotations

from pathlib import Path

from builder.errors import InputError, problem
from builder.sources.annotations import read_yaml

KEY = "redistributable_licenses"
UNKNOWN = "unknown"  # how a null licence is named in counts and statements


def redistributable(schema_path: Path) -> frozenset[str]:
    """The SPDX ids listed under ``redistributable_licenses`` (none listed: no text may be redistributed)."""
    data = read_yaml(schema_path)
    listed = data.get(KEY, []) if isinstance(data, dict) else []
    if not isinstance(listed, list) or not all(isinstance(item, str) and item for item in listed):
        raise InputError([problem("E101", schema_path, detail=f"'{KEY}' must be a list of SPDX ids", pointer=f"/{KEY}")])
    return frozenset(listed)


def may_redistribute(license_id: str | None, allowed: frozenset[str]) -> bool:
    return license_id is not None and license_id in allowed


def licence_name(license_id: str | None) -> str:
    return license_id if license_id is not None else UNKNOWN
