"""One commit to the Hub, then the version tag.

A build folder (``README.md`` card, ``<config>/<split>-*.parquet``, ``manifest.json``) becomes the whole
content of a dataset repo's ``main`` in one commit -- new and changed files uploaded, files of the
previous version deleted -- and that commit is tagged ``v<version>``. A published tag never changes:

- the tag exists and holds the same files: nothing to do, and the report says so;
- the tag exists and holds other files: refused (E502), the version has to be bumped;
- ``main`` already holds the files but the tag is missing (an earlier run stopped after its commit):
  only the tag is created.

The tag is created only after the commit succeeded, so a failure at any point leaves no tag and
running the command again completes the publish. Files are compared by content, never by name or
date: a local file matches a Hub file when its sha256 is the Hub's LFS oid or, for a regular (non-LFS)
file, when its git blob id is the Hub's.

The token is whatever ``huggingface_hub`` finds (``HF_TOKEN``, then the saved login, unless one is
passed); it goes into request headers only, and is removed from any error text this module reports.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from builder.errors import PublishError, problem

MANIFEST = "manifest.json"
CARD = "README.md"
REPO_TYPE = "dataset"
HUB_FILES = frozenset({".gitattributes"})  # made by the Hub with the repo; never ours to delete
DEFAULT_CONFIG = "documents"
DETAIL_CHARS = 300
HTTP_DOCS = re.compile(r"For more information check: \S+")  # httpx's pointer to a page about the status


@dataclass(frozen=True, slots=True)
class LocalFile:
    path: str  # POSIX path inside the folder, as in the repo
    size: int
    sha256: str
    git_oid: str  # git blob id, what the Hub reports for a regular (non-LFS) file


@dataclass(frozen=True, slots=True)
class RemoteFile:
    path: str
    size: int
    git_oid: str
    lfs_sha256: str | None = None  # set for LFS files: the sha256 of the content


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


@dataclass(frozen=True, slots=True)
class RemoteState:
    exists: bool
    private: bool | None = None
    main: str | None = None  # commit id of main
    tags: tuple[tuple[str, str], ...] = ()  # (tag, commit id)

    def tag_commit(self, tag: str) -> str | None:
        return dict(self.tags).get(tag)


Status = Literal["commit", "tag", "unchanged"]


@dataclass(frozen=True, slots=True)
class Plan:
    repo_id: str
    tag: str
    status: Status  # commit then tag / tag the commit already on main / nothing to do
    create_repo: bool
    private: bool
    upload: tuple[LocalFile, ...]
    delete: tuple[str, ...]
    unchanged: tuple[str, ...]
    commit_message: str
    commit_description: str
    base_commit: str | None  # main when the plan was made: the commit's parent, or the commit to tag


@dataclass(frozen=True, slots=True)
class Outcome:
    plan: Plan
    dry_run: bool
    commit: str | None  # the commit the tag points at (None for a dry run that would commit)
    load_call: str
    other_configs: tuple[str, ...]


# --- pure functions ------------------------------------------------------------------------------

def same_content(local: LocalFile, remote: RemoteFile) -> bool:
    if remote.lfs_sha256 is not None:
        return remote.lfs_sha256 == local.sha256
    return remote.git_oid == local.git_oid


def compare_files(local: Iterable[LocalFile], remote: Mapping[str, RemoteFile]
                  ) -> tuple[tuple[LocalFile, ...], tuple[str, ...], tuple[str, ...]]:
    """(to upload: new or changed, to delete: on the Hub only, unchanged), each sorted by path."""
    local_by_path = {f.path: f for f in local}
    upload = tuple(f for p, f in sorted(local_by_path.items())
                   if p not in remote or not same_content(f, remote[p]))
    delete = tuple(sorted(p for p in remote if p not in local_by_path and p not in HUB_FILES))
    unchanged = tuple(sorted(p for p, f in local_by_path.items() if p in remote and same_content(f, remote[p])))
    return upload, delete, unchanged


def commit_text(build: BuiltFolder) -> tuple[str, str]:
    """The commit message and description: what was built, by what."""
    libraries = ", ".join(f"{name} {version}" for name, version in build.builder)
    message = f"Publish {build.dataset} {build.version}"
    description = (f"{build.dataset} {build.version}, tagged {build.tag} after this commit.\n"
                   f"Built with {libraries or 'unknown versions'}; config_hash {build.config_hash}.")
    return message, description


def plan_publish(build: BuiltFolder, repo_id: str, state: RemoteState, main_files: Mapping[str, RemoteFile],
                 tag_files: Mapping[str, RemoteFile] | None, private: bool = False) -> Plan:
    """What publishing ``build`` to ``repo_id`` takes, from what the Hub holds; E502 if the tag differs."""
    message, description = commit_text(build)
    if tag_files is not None:
        upload, delete, unchanged = compare_files(build.files, tag_files)
        if upload or delete:
            differing = [f.path for f in upload] + list(delete)
            raise PublishError(str(problem(
                "E502", repo_id, tag=build.tag, repo_id=repo_id, count=len(differing),
                examples=", ".join(differing[:3]))))
        return Plan(repo_id, build.tag, "unchanged", False, private, (), (), unchanged, message, description,
                    state.tag_commit(build.tag))
    upload, delete, unchanged = compare_files(build.files, main_files)
    status: Status = "commit" if (upload or delete) else "tag"
    return Plan(repo_id, build.tag, status, not state.exists, private, upload, delete, unchanged, message,
                description, state.main)


def load_call(repo_id: str, config: str, revision: str) -> str:
    return f'load_dataset("{repo_id}", "{config}", revision="{revision}")'


def scrub(text: str, token: str | None) -> str:
    """One line of at most DETAIL_CHARS characters, with the token (if any) blanked out."""
    line = " ".join(HTTP_DOCS.sub("", str(text)).split())
    if token:
        line = line.replace(token, "***")
    return line if len(line) <= DETAIL_CHARS else line[:DETAIL_CHARS - 1] + "…"


def report_lines(outcome: Outcome) -> list[str]:
    """What ``newsstance publish`` prints: the plan, then what was done, then how to load the result."""
    plan = outcome.plan
    would = "would " if outcome.dry_run else ""
    lines = []
    if outcome.dry_run:
        lines.append("dry run: nothing is uploaded, deleted, created or tagged")
    if plan.status == "unchanged":
        lines.append(f"{plan.tag} is already published on {plan.repo_id} with identical content "
                     f"(commit {plan.base_commit}): nothing to do")
    else:
        if plan.create_repo:
            lines.append(f"{would}create the dataset repo {plan.repo_id} "
                         f"({'private' if plan.private else 'public'})")
        for item in plan.upload:
            lines.append(f"  {would}upload  {item.path:<48} {item.size:>12,} bytes")
        for path in plan.delete:
            lines.append(f"  {would}delete  {path}")
        if plan.unchanged:
            lines.append(f"  unchanged: {len(plan.unchanged)} file(s)")
        if plan.status == "commit":
            lines.append(f"commit message: {plan.commit_message}")
        else:
            lines.append(f"main already holds this content (commit {plan.base_commit}); "
                         f"an earlier run stopped before tagging it")
        if outcome.dry_run:
            lines.append(f"{would}tag the commit {plan.tag}")
        else:
            done = "committed" if plan.status == "commit" else "found"
            lines.append(f"{done} {outcome.commit} on main, tagged {plan.tag}")
    if not outcome.dry_run:
        lines.append("load it with:")
        lines.append("    from datasets import load_dataset")
        lines.append(f"    {outcome.load_call}")
        if outcome.other_configs:
            lines.append(f"other configs: {', '.join(outcome.other_configs)}")
        if plan.private:
            lines.append("the repo is private: loading it needs a token (HF_TOKEN or `hf auth login`)")
    return lines


# --- the local folder ----------------------------------------------------------------------------

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

    def refuse(detail: str) -> PublishError:
        return PublishError(str(problem("E501", folder, folder=folder, detail=detail)))

    if not (folder / MANIFEST).is_file():
        raise refuse(f"no {MANIFEST}" if folder.is_dir() else "the folder does not exist")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        version, outputs = manifest["version"], manifest["outputs"]
    except (ValueError, KeyError, TypeError) as exc:
        raise refuse(f"{MANIFEST} is unreadable ({exc!r})") from exc
    files = digest_folder(folder)
    listed = {path: entry["sha256"] for path, entry in outputs.items()}
    on_disk = {path: f.sha256 for path, f in files.items() if path != MANIFEST}
    missing = sorted(set(listed) - set(on_disk))
    extra = sorted(set(on_disk) - set(listed))
    changed = sorted(p for p in set(listed) & set(on_disk) if listed[p] != on_disk[p])
    for kind, paths in (("listed in the manifest but missing", missing),
                        ("not in the manifest", extra), ("changed since the build", changed)):
        if paths:
            raise refuse(f"{len(paths)} file(s) {kind}, e.g. {', '.join(paths[:3])}")
    if CARD not in files:
        raise refuse(f"no {CARD} (the dataset card)")
    configs = card_configs((folder / CARD).read_text(encoding="utf-8")) or (DEFAULT_CONFIG,)
    return BuiltFolder(root=folder, dataset=str(manifest.get("dataset", "dataset")), version=str(version),
                       files=tuple(files.values()), configs=configs,
                       builder=tuple(sorted((manifest.get("builder") or {}).items())),
                       config_hash=str(manifest.get("config_hash", "")))


# --- the Hub -------------------------------------------------------------------------------------

def hub_api(token: str | None = None, endpoint: str | None = None):
    from huggingface_hub import HfApi

    return HfApi(endpoint=endpoint, token=token)


def hub_errors() -> tuple[type[BaseException], ...]:
    """What a Hub call raises when the Hub says no or cannot be reached."""
    from huggingface_hub.errors import HfHubHTTPError

    try:  # the HTTP client huggingface_hub 2.x uses
        from httpx2 import HTTPError as TransportError
    except ImportError:  # pragma: no cover - older huggingface_hub
        from httpx import HTTPError as TransportError
    return (HfHubHTTPError, TransportError, OSError)


def resolved_token(token: str | None) -> str | None:
    from huggingface_hub import get_token

    return token or get_token()


def remote_state(api, repo_id: str, token: str | None) -> RemoteState:
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        info = api.repo_info(repo_id, repo_type=REPO_TYPE)
        refs = api.list_repo_refs(repo_id, repo_type=REPO_TYPE)
    except RepositoryNotFoundError:
        return RemoteState(exists=False)
    except hub_errors() as exc:
        raise PublishError(str(problem("E506", repo_id, repo_id=repo_id, detail=scrub(exc, token)))) from exc
    main = next((b.target_commit for b in refs.branches if b.name == "main"), info.sha)
    return RemoteState(exists=True, private=bool(info.private), main=main,
                       tags=tuple(sorted((t.name, t.target_commit) for t in refs.tags)))


def remote_files(api, repo_id: str, revision: str, token: str | None) -> dict[str, RemoteFile]:
    from huggingface_hub import RepoFile

    try:
        entries = list(api.list_repo_tree(repo_id, repo_type=REPO_TYPE, revision=revision, recursive=True))
    except hub_errors() as exc:
        raise PublishError(str(problem("E506", repo_id, repo_id=repo_id, detail=scrub(exc, token)))) from exc
    return {e.path: RemoteFile(e.path, e.size, e.blob_id, e.lfs.sha256 if e.lfs else None)
            for e in entries if isinstance(e, RepoFile)}


def publish(folder: Path, *, repo_id: str, private: bool = False, dry_run: bool = False,
            token: str | None = None, endpoint: str | None = None) -> Outcome:
    """Publish the build in ``folder`` to the dataset repo ``repo_id``: one commit, then the tag."""
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete

    build = read_build(folder)
    token = resolved_token(token)
    if token is None and not dry_run:
        raise PublishError(str(problem("E505", repo_id)))
    api = hub_api(token, endpoint)
    state = remote_state(api, repo_id, token)
    if state.exists and private and not state.private:
        raise PublishError(str(problem("E507", repo_id, repo_id=repo_id)))
    tag_commit = state.tag_commit(build.tag)
    tag_files = remote_files(api, repo_id, tag_commit, token) if tag_commit else None
    main_files = remote_files(api, repo_id, state.main, token) if state.exists and state.main else {}
    plan = plan_publish(build, repo_id, state, main_files, tag_files,
                        private=bool(state.private) if state.exists else private)
    if plan.create_repo and not dry_run:
        try:
            api.create_repo(repo_id, repo_type=REPO_TYPE, private=private, exist_ok=True)
        except hub_errors() as exc:
            raise PublishError(str(problem("E508", repo_id, repo_id=repo_id, namespace=repo_id.split("/")[0],
                                           detail=scrub(exc, token)))) from exc
        plan = replace(plan, base_commit=remote_state(api, repo_id, token).main)  # the Hub's initial commit
    call = load_call(repo_id, build.configs[0], build.tag)
    if dry_run or plan.status == "unchanged":
        return Outcome(plan, dry_run, plan.base_commit if plan.status != "commit" else None, call,
                       build.configs[1:])

    commit = plan.base_commit
    if plan.status == "commit":
        operations = [CommitOperationAdd(item.path, str(build.root / item.path)) for item in plan.upload]
        operations += [CommitOperationDelete(path) for path in plan.delete]
        try:
            info = api.create_commit(repo_id, operations, commit_message=plan.commit_message,
                                     commit_description=plan.commit_description, repo_type=REPO_TYPE,
                                     revision="main", parent_commit=plan.base_commit)
        except hub_errors() as exc:
            raise PublishError(str(problem("E503", repo_id, repo_id=repo_id, detail=scrub(exc, token)))) from exc
        commit = info.oid
    try:
        api.create_tag(repo_id, tag=build.tag, revision=commit, tag_message=f"{build.dataset} {build.version}",
                       repo_type=REPO_TYPE)
    except hub_errors() as exc:
        raise PublishError(str(problem("E504", repo_id, repo_id=repo_id, commit=commit, tag=build.tag,
                                       detail=scrub(exc, token)))) from exc
    return Outcome(plan, False, commit, call, build.configs[1:])
