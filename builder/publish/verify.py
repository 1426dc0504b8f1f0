"""Is a published version reproducible? Rebuild it and compare every file's sha256.

The published ``manifest.json`` of a revision lists the sha256 of every file of that version; the
rebuild (from the current checkout, or a folder given with ``--against``) is hashed file by file and
every difference is reported: ``missing`` (published, not rebuilt), ``extra`` (rebuilt, not
published) and ``changed`` (both, different bytes). ``manifest.json`` itself is compared too, and when
it differs the fields that differ (input files, library versions, config hash) say why.

The manifest is always fetched into a fresh, temporary cache: a verification is never answered from a
cache.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from builder.errors import PublishError, problem
from builder.publish.folder import MANIFEST, digest_folder, not_a_build
from builder.publish.hub import REPO_TYPE, hub_api, hub_errors, resolved_token, unreadable

Kind = Literal["missing", "extra", "changed"]


@dataclass(frozen=True, slots=True)
class Difference:
    path: str
    kind: Kind
    published: str | None  # sha256 in the published manifest
    rebuilt: str | None  # sha256 of the rebuilt file


@dataclass(frozen=True, slots=True)
class Verification:
    repo_id: str
    revision: str
    version: str  # the published version
    source: str  # what was compared: "a rebuild of this checkout" or the folder
    compared: int  # files in the union of both sides
    differences: tuple[Difference, ...]
    notes: tuple[str, ...]  # why the manifest differs, version mismatch

    @property
    def ok(self) -> bool:
        return not self.differences


# --- pure functions ------------------------------------------------------------------------------

def published_digests(manifest_bytes: bytes) -> dict[str, str]:
    """sha256 per file of the published version: the manifest's outputs and the manifest itself."""
    manifest = json.loads(manifest_bytes)
    digests = {path: entry["sha256"] for path, entry in manifest["outputs"].items()}
    digests[MANIFEST] = hashlib.sha256(manifest_bytes).hexdigest()
    return dict(sorted(digests.items()))


def compare(published: Mapping[str, str], rebuilt: Mapping[str, str]) -> tuple[Difference, ...]:
    """Every difference between two {path: sha256} maps, sorted by path."""
    out = []
    for path in sorted(set(published) | set(rebuilt)):
        old, new = published.get(path), rebuilt.get(path)
        if old == new:
            continue
        kind: Kind = "missing" if new is None else "extra" if old is None else "changed"
        out.append(Difference(path, kind, old, new))
    return tuple(out)


def _flat(value: object, prefix: str = "") -> dict[str, object]:
    if isinstance(value, Mapping):
        out: dict[str, object] = {}
        for key, item in value.items():
            out |= _flat(item, f"{prefix}.{key}" if prefix else str(key))
        return out
    return {prefix: value}


def manifest_changes(published: Mapping, rebuilt: Mapping, limit: int = 20) -> tuple[str, ...]:
    """The manifest fields that differ, as ``field: published -> rebuilt`` lines (outputs left out:
    they are the file differences themselves)."""
    old = _flat({k: v for k, v in published.items() if k != "outputs"})
    new = _flat({k: v for k, v in rebuilt.items() if k != "outputs"})
    lines = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            before = "(absent)" if key not in old else _short(old[key])
            after = "(absent)" if key not in new else _short(new[key])
            lines.append(f"{key}: {before} -> {after}")
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit} more field(s)"]
    return tuple(lines)


def _short(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:12] + "…"


def report_lines(result: Verification) -> list[str]:
    """What ``newsstance verify`` prints: one line per difference, then the verdict."""
    lines = [f"verify {result.repo_id}@{result.revision} (version {result.version}) against {result.source}"]
    for note in result.notes:
        lines.append(f"  note: {note}")
    for diff in result.differences:
        if diff.kind == "changed":
            detail = f"published {diff.published[:12]}…, rebuilt {diff.rebuilt[:12]}…"
        elif diff.kind == "missing":
            detail = "published, but not in the rebuild"
        else:
            detail = "in the rebuild, but not published"
        lines.append(f"  {diff.kind:<8} {diff.path:<48} {detail}")
    if result.ok:
        lines.append(f"OK: all {result.compared} file(s) are byte-identical to {result.revision}")
    else:
        lines.append(f"DIFFERENT: {len(result.differences)} of {result.compared} file(s) differ "
                     f"from {result.revision}")
    return lines


# --- I/O -----------------------------------------------------------------------------------------

def fetch_manifest(repo_id: str, revision: str, *, token: str | None = None, endpoint: str | None = None) -> bytes:
    """The manifest.json of ``revision``, downloaded into a temporary cache (never from an old one)."""
    from huggingface_hub.errors import RemoteEntryNotFoundError, RevisionNotFoundError

    token = resolved_token(token)
    api = hub_api(token, endpoint)
    with tempfile.TemporaryDirectory(prefix="newsstance-verify-") as cache:
        try:
            path = api.hf_hub_download(repo_id, MANIFEST, repo_type=REPO_TYPE, revision=revision, cache_dir=cache)
            data = Path(path).read_bytes()
        except RevisionNotFoundError as exc:
            raise PublishError(str(problem("E509", repo_id, repo_id=repo_id, revision=revision))) from exc
        except RemoteEntryNotFoundError as exc:
            raise PublishError(str(problem("E510", repo_id, repo_id=repo_id, revision=revision,
                                           detail=f"{MANIFEST} is not in the revision"))) from exc
        except hub_errors() as exc:  # no such repo, no access, no network
            raise unreadable(repo_id, exc, token) from exc
    try:
        published_digests(data)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PublishError(str(problem("E510", repo_id, repo_id=repo_id, revision=revision,
                                       detail=f"it does not list outputs with sha256 ({exc!r})"))) from exc
    return data


def compare_folder(manifest_bytes: bytes, folder: Path, *, repo_id: str, revision: str, source: str,
                   expected_version: str | None = None) -> Verification:
    """Compare a build folder with the published manifest."""
    published = json.loads(manifest_bytes)
    rebuilt_files = {path: f.sha256 for path, f in digest_folder(folder).items()}
    differences = compare(published_digests(manifest_bytes), rebuilt_files)
    notes = []
    version = str(published.get("version"))
    if expected_version is not None and expected_version != version:
        notes.append(f"{revision} is version {version} but this checkout builds {expected_version}: "
                     f"check out the source of {revision} (`git checkout {revision}`) before verifying")
    if any(d.path == MANIFEST for d in differences) and (Path(folder) / MANIFEST).is_file():
        try:
            rebuilt = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
            notes.extend(f"manifest {line}" for line in manifest_changes(published, rebuilt))
        except ValueError:
            notes.append(f"the rebuilt {MANIFEST} is not valid JSON")
    compared = len(set(rebuilt_files) | set(published_digests(manifest_bytes)))
    return Verification(repo_id, revision, version, source, compared, differences, tuple(notes))


def verify(*, repo_id: str, revision: str, against: Path | None = None, config=None,
           token: str | None = None, endpoint: str | None = None) -> Verification:
    """Rebuild (with ``config``, a BuildConfig; default: this checkout) or take ``against``, and
    compare it file by file with the published manifest of ``revision``."""
    manifest_bytes = fetch_manifest(repo_id, revision, token=token, endpoint=endpoint)
    if against is not None:
        folder = Path(against)
        if not folder.is_dir():
            raise not_a_build(folder, "the folder does not exist")
        return compare_folder(manifest_bytes, folder, repo_id=repo_id, revision=revision, source=str(folder))

    from builder.config import BuildConfig
    from builder.pipeline import build

    config = config if config is not None else BuildConfig()
    with tempfile.TemporaryDirectory(prefix="newsstance-rebuild-") as tmp:
        from builder.publish.rights import release_options

        release = release_options(json.loads(manifest_bytes))  # rebuild the release that was published
        folder = build(replace(config, output_dir=Path(tmp) / "build", **release))
        return compare_folder(manifest_bytes, folder, repo_id=repo_id, revision=revision,
                              source="a rebuild of this checkout", expected_version=config.version)
