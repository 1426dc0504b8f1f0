"""What publishing a build takes, from what the Hub holds: files to upload and delete, commit or tag.

Pure functions over the records of ``folder`` and ``hub``; nothing here talks to the Hub. Files are
compared by content, never by name or date: a local file matches a Hub file when its sha256 is the
Hub's LFS oid or, for a regular (non-LFS) file, when its git blob id is the Hub's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple

from builder.errors import PublishError, problem
from builder.publish.folder import BuiltFolder, LocalFile
from builder.publish.hub import RemoteFile, RemoteState

HUB_FILES = frozenset({".gitattributes"})  # made by the Hub with the repo; never ours to delete

Status = Literal["commit", "tag", "unchanged"]


class Changes(NamedTuple):
    """Local files against a revision's files, each sorted by path."""
    upload: tuple[LocalFile, ...]  # new or changed
    delete: tuple[str, ...]  # on the Hub only
    unchanged: tuple[str, ...]


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


def same_content(local: LocalFile, remote: RemoteFile) -> bool:
    if remote.lfs_sha256 is not None:
        return remote.lfs_sha256 == local.sha256
    return remote.git_oid == local.git_oid


def compare_files(local: Iterable[LocalFile], remote: Mapping[str, RemoteFile]) -> Changes:
    local_by_path = {f.path: f for f in local}
    upload = tuple(f for p, f in sorted(local_by_path.items())
                   if p not in remote or not same_content(f, remote[p]))
    delete = tuple(sorted(p for p in remote if p not in local_by_path and p not in HUB_FILES))
    unchanged = tuple(sorted(p for p, f in local_by_path.items() if p in remote and same_content(f, remote[p])))
    return Changes(upload=upload, delete=delete, unchanged=unchanged)


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
        changes = compare_files(build.files, tag_files)
        if changes.upload or changes.delete:
            differing = [f.path for f in changes.upload] + list(changes.delete)
            raise PublishError(str(problem(
                "E502", repo_id, tag=build.tag, repo_id=repo_id, count=len(differing),
                examples=", ".join(differing[:3]))))
        return Plan(repo_id=repo_id, tag=build.tag, status="unchanged", create_repo=False, private=private,
                    upload=(), delete=(), unchanged=changes.unchanged, commit_message=message,
                    commit_description=description, base_commit=state.tag_commit(build.tag))
    changes = compare_files(build.files, main_files)
    status: Status = "commit" if (changes.upload or changes.delete) else "tag"
    return Plan(repo_id=repo_id, tag=build.tag, status=status, create_repo=not state.exists, private=private,
                upload=changes.upload, delete=changes.delete, unchanged=changes.unchanged, commit_message=message,
                commit_description=description, base_commit=state.main)
