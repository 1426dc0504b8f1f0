"""What the Hub holds: the repo's state and a revision's files, read with ``huggingface_hub``.

Every error text that leaves this package goes through ``scrub``: one short line, the token blanked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.errors import PublishError, problem

REPO_TYPE = "dataset"
DETAIL_CHARS = 300
HTTP_DOCS = re.compile(r"For more information check: \S+")  # httpx's pointer to a page about the status


@dataclass(frozen=True, slots=True)
class RemoteFile:
    path: str
    size: int
    git_oid: str
    lfs_sha256: str | None = None  # set for LFS files: the sha256 of the content


@dataclass(frozen=True, slots=True)
class RemoteState:
    exists: bool
    private: bool | None = None
    main: str | None = None  # commit id of main
    tags: tuple[tuple[str, str], ...] = ()  # (tag, commit id)

    def tag_commit(self, tag: str) -> str | None:
        return dict(self.tags).get(tag)


def scrub(text: str, token: str | None) -> str:
    """One line of at most DETAIL_CHARS characters, with the token (if any) blanked out."""
    line = " ".join(HTTP_DOCS.sub("", str(text)).split())
    if token:
        line = line.replace(token, "***")
    return line if len(line) <= DETAIL_CHARS else line[:DETAIL_CHARS - 1] + "…"


def unreadable(repo_id: str, exc: BaseException, token: str | None) -> PublishError:
    """E506: the repo cannot be read (no such repo, no access, no network)."""
    return PublishError(str(problem("E506", repo_id, repo_id=repo_id, detail=scrub(exc, token))))


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
        raise unreadable(repo_id, exc, token) from exc
    main = next((b.target_commit for b in refs.branches if b.name == "main"), info.sha)
    return RemoteState(exists=True, private=bool(info.private), main=main,
                       tags=tuple(sorted((t.name, t.target_commit) for t in refs.tags)))


def remote_files(api, repo_id: str, revision: str, token: str | None) -> dict[str, RemoteFile]:
    from huggingface_hub import RepoFile

    try:
        entries = list(api.list_repo_tree(repo_id, repo_type=REPO_TYPE, revision=revision, recursive=True))
    except hub_errors() as exc:
        raise unreadable(repo_id, exc, token) from exc
    return {e.path: RemoteFile(e.path, e.size, e.blob_id, e.lfs.sha256 if e.lfs else None)
            for e in entries if isinstance(e, RepoFile)}
