"""The build folder to publish: every file digested, checked against the folder's manifest.

A file is described by its sha256 (what the manifest lists and what the Hub reports for an LFS file)
and its git blob id (what the Hub reports for a regular file), so that it can be compared with the
Hub's copy by content only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from builder.errors import PublishError, problem

MANIFEST = "manifest.json"
CARD = "README.md"
DEFAULT_CONFIG = "documents"


@dataclass(frozen=True, slots=True)
class LocalFile:
    path: str  # POSIX path inside the folder, as in the repo
    size: int
    sha256: str
    git_oid: str  # git blob id, what the Hub reports for a regular (non-LFS) file


@dataclass(frozen=True, slots=True)
class BuiltFolder:
    root: Path
    dataset: str
    version: str
    files: tuple[LocalFile, ...]
    configs: tuple[str, ...]  # default config first
    builder: tuple[tuple[str, str], ...]  # library versions from the manifest
    config_hash: str

    @property
    def tag(self) -> str:
        return f"v{self.version}"


def not_a_build(folder: Path, detail: str) -> PublishError:
    """E501: ``folder`` is not a complete build, because of ``detail``."""
    return PublishError(str(problem("E501", folder, folder=folder, detail=detail)))


def digest_file(root: Path, path: Path) -> LocalFile:
    sha256, sha1 = hashlib.sha256(), hashlib.sha1()
    size = path.stat().st_size
    sha1.update(b"blob %d\0" % size)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha256.update(block)
            sha1.update(block)
    return LocalFile(path.relative_to(root).as_posix(), size, sha256.hexdigest(), sha1.hexdigest())


def digest_folder(root: Path) -> dict[str, LocalFile]:
    """Every file under ``root`` (hidden ones included), by repo path."""
    files = (digest_file(root, p) for p in sorted(Path(root).rglob("*")) if p.is_file())
    return {f.path: f for f in files}


def card_configs(card: str) -> tuple[str, ...]:
    """Config names declared in the card's YAML front matter, the default one first."""
    import yaml

    if not card.startswith("---"):
        return ()
    front = card.split("\n---", 1)[0].removeprefix("---")
    try:
        meta = yaml.safe_load(front) or {}
    except yaml.YAMLError:
        return ()
    configs = [c for c in meta.get("configs") or [] if isinstance(c, dict) and c.get("config_name")]
    ordered = sorted(configs, key=lambda c: not c.get("default", False))
    return tuple(c["config_name"] for c in ordered)


def read_build(folder: Path) -> BuiltFolder:
    """The build in ``folder``, checked against its manifest: exactly the files it lists, unchanged."""
    folder = Path(folder)
    if not (folder / MANIFEST).is_file():
        raise not_a_build(folder, f"no {MANIFEST}" if folder.is_dir() else "the folder does not exist")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        version, outputs = manifest["version"], manifest["outputs"]
    except (ValueError, KeyError, TypeError) as exc:
        raise not_a_build(folder, f"{MANIFEST} is unreadable ({exc!r})") from exc
    files = digest_folder(folder)
    listed = {path: entry["sha256"] for path, entry in outputs.items()}
    on_disk = {path: f.sha256 for path, f in files.items() if path != MANIFEST}
    missing = sorted(set(listed) - set(on_disk))
    extra = sorted(set(on_disk) - set(listed))
    changed = sorted(p for p in set(listed) & set(on_disk) if listed[p] != on_disk[p])
    for kind, paths in (("listed in the manifest but missing", missing),
                        ("not in the manifest", extra), ("changed since the build", changed)):
        if paths:
            raise not_a_build(folder, f"{len(paths)} file(s) {kind}, e.g. {', '.join(paths[:3])}")
    if CARD not in files:
        raise not_a_build(folder, f"no {CARD} (the dataset card)")
    configs = card_configs((folder / CARD).read_text(encoding="utf-8")) or (DEFAULT_CONFIG,)
    return BuiltFolder(root=folder, dataset=str(manifest.get("dataset", "dataset")), version=str(version),
                       files=tuple(files.values()), configs=configs,
                       builder=tuple(sorted((manifest.get("builder") or {}).items())),
                       config_hash=str(manifest.get("config_hash", "")))
