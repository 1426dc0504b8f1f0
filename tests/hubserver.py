"""A small Hugging Face Hub on 127.0.0.1 for the publish and verify tests (stdlib only).

It keeps an in-memory, git-like store per repository -- commits with parents, branches, tags and
content-addressed blobs -- and speaks the part of the Hub's HTTP protocol that the real
``huggingface_hub`` and ``datasets`` clients use to create a repo, commit, tag, list and download:

    POST /api/repos/create                          409 (with "url") if the repo exists
    POST /api/validate-yaml
    GET  /api/{type}s/{repo}[/revision/{rev}]       repo info with siblings
    GET  /api/{type}s/{repo}/refs                   branches and tags
    GET  /api/{type}s/{repo}/commits/{rev}          history, newest first
    POST /api/{type}s/{repo}/tag/{rev}              409 if the tag exists
    DELETE /api/{type}s/{repo}/tag/{tag}
    GET  /api/{type}s/{repo}/tree/{rev}[/{path}]    ?recursive=&expand=
    POST /api/{type}s/{repo}/paths-info/{rev}       form-encoded paths=...
    POST /api/{type}s/{repo}/preupload/{rev}        uploadMode "lfs" for LFS_SUFFIXES, else "regular"
    POST /api/{type}s/{repo}/commit/{rev}           NDJSON: header, file, lfsFile, deletedFile, deletedFolder
    POST /{prefix}{repo}.git/info/lfs/objects/batch and PUT /lfs-upload/{sha256}: the basic LFS transfer
    HEAD/GET /{prefix}{repo}/resolve/{rev}/{path}   X-Repo-Commit, ETag, Content-Length, Range

Errors carry ``X-Error-Code`` (RepoNotFound, RevisionNotFound, EntryNotFound): without it the client
takes a 404 for a network problem and quietly serves its cache. Writes need ``Authorization: Bearer
<token>`` when the server has a token; private repos need it for reads too. Every URL it returns uses
``self.url``, the same host string the clients get in ``HF_ENDPOINT``.

Tests can make the next matching request fail (``fail_next``), let another client commit just
before it (``before_next`` + ``push``), and read the request log (``requests``, ``writes()``) to
check that a dry run wrote nothing. Below the server: helpers that run the real clients against it
in subprocesses, and a hand-made build folder for tests that need no real build.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

REPO_TYPES = {"models": "model", "datasets": "dataset", "spaces": "space"}
URL_PREFIXES = {"model": "", "dataset": "datasets/", "space": "spaces/"}
LFS_SUFFIXES = (".parquet",)  # like the Hub's default .gitattributes: binary data goes to LFS
GITATTRIBUTES = b"*.parquet filter=lfs diff=lfs merge=lfs -text\n"
HEX40 = re.compile(r"[0-9a-f]{40}")


def git_blob_oid(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def lfs_pointer(sha256: str, size: int) -> bytes:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n".encode()


@dataclass(frozen=True)
class Blob:
    data: bytes
    lfs: bool

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def oid(self) -> str:
        """The git object id: of the pointer file for LFS files, as on the Hub."""
        return git_blob_oid(lfs_pointer(self.sha256, len(self.data)) if self.lfs else self.data)


@dataclass(frozen=True)
class Commit:
    oid: str
    parents: tuple[str, ...]
    files: dict[str, Blob]
    title: str
    message: str
    date: str


@dataclass
class Repo:
    repo_type: str
    repo_id: str
    private: bool
    commits: dict[str, Commit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)

    def resolve(self, revision: str) -> Commit | None:
        rev = revision.removeprefix("refs/heads/").removeprefix("refs/tags/")
        oid = self.branches.get(rev) or self.tags.get(rev)
        if oid is None and HEX40.fullmatch(revision):
            oid = revision if revision in self.commits else None
        return self.commits.get(oid) if oid else None


class HubError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.code, self.extra = status, message, code, extra or {}


@dataclass
class Fault:
    method: str
    pattern: re.Pattern
    status: int  # answered instead of the request; 0: run ``action`` first, then answer normally
    count: int
    action: Callable[[], None] | None = None


class FakeHub:
    """The store and the HTTP server; ``with FakeHub(token=...) as hub:`` runs it on a free port."""

    def __init__(self, token: str | None = None, user: str = "tester"):
        self.token = token
        self.user = user
        self.repos: dict[tuple[str, str], Repo] = {}
        self.requests: list[tuple[str, str]] = []
        self.faults: list[Fault] = []
        self.lfs_objects: dict[str, bytes] = {}
        self.lock = threading.RLock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.hub = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread: threading.Thread | None = None
        self._clock = 0

    # --- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> FakeHub:
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- test helpers -------------------------------------------------------------------------
    def fail_next(self, method: str, path_regex: str, status: int = 500, count: int = 1) -> None:
        """Answer the next ``count`` requests matching ``method`` and ``path_regex`` with ``status``."""
        with self.lock:
            self.faults.append(Fault(method, re.compile(path_regex), status, count))

    def before_next(self, method: str, path_regex: str, action: Callable[[], None]) -> None:
        """Run ``action`` (e.g. someone else's push) just before the next matching request is handled."""
        with self.lock:
            self.faults.append(Fault(method, re.compile(path_regex), 0, 1, action))

    def push(self, repo_id: str, files: dict[str, bytes], title: str = "someone else's commit",
             repo_type: str = "dataset") -> str:
        """Commit ``files`` on top of main directly in the store, as another client would."""
        with self.lock:
            repo = self.repo(repo_id, repo_type)
            head = repo.commits[repo.branches["main"]]
            merged = head.files | {path: Blob(data, lfs=path.endswith(LFS_SUFFIXES)) for path, data in files.items()}
            commit = self._new_commit(repo, head, merged, title, "")
            repo.branches["main"] = commit.oid
            return commit.oid

    def repo(self, repo_id: str, repo_type: str = "dataset") -> Repo:
        return self.repos[(repo_type, repo_id)]

    def files(self, repo_id: str, revision: str = "main", repo_type: str = "dataset") -> dict[str, bytes]:
        commit = self.repo(repo_id, repo_type).resolve(revision)
        assert commit is not None, revision
        return {path: blob.data for path, blob in commit.files.items()}

    def writes(self) -> list[tuple[str, str]]:
        """Requests that could change something (everything but reads and read-only POSTs)."""
        read_only_posts = ("/paths-info/", "/api/validate-yaml", "/preupload/")
        return [(m, p) for m, p in self.requests
                if m not in ("GET", "HEAD") and not any(s in p for s in read_only_posts)]

    # --- store operations (called with the lock held) --------------------------------------------
    def _now(self) -> str:
        self._clock += 1  # strictly increasing, so that commits never share a date
        base = datetime.now(timezone.utc).replace(microsecond=0)
        return base.strftime("%Y-%m-%dT%H:%M:%S.") + f"{self._clock % 1000:03d}Z"

    def _new_commit(self, repo: Repo, parent: Commit | None, files: dict[str, Blob], title: str,
                    message: str) -> Commit:
        parents = (parent.oid,) if parent else ()
        seed = json.dumps([repo.repo_id, parents, sorted((p, b.oid) for p, b in files.items()), title,
                           message, self._clock, len(repo.commits)])
        commit = Commit(oid=hashlib.sha1(seed.encode()).hexdigest(), parents=parents, files=files,
                        title=title, message=message, date=self._now())
        repo.commits[commit.oid] = commit
        return commit

    def create_repo(self, repo_type: str, repo_id: str, private: bool) -> Repo:
        repo = Repo(repo_type=repo_type, repo_id=repo_id, private=private)
        initial = self._new_commit(repo, None, {".gitattributes": Blob(GITATTRIBUTES, lfs=False)},
                                   "initial commit", "")
        repo.branches["main"] = initial.oid
        self.repos[(repo_type, repo_id)] = repo
        return repo


def _entry(path: str, blob: Blob, commit: Commit | None = None) -> dict:
    entry: dict = {"type": "file", "oid": blob.oid, "size": len(blob.data), "path": path}
    if blob.lfs:
        entry["lfs"] = {"oid": blob.sha256, "size": len(blob.data),
                        "pointerSize": len(lfs_pointer(blob.sha256, len(blob.data)))}
    if commit is not None:
        entry["lastCommit"] = {"id": commit.oid, "title": commit.title, "date": commit.date}
    return entry


def _folder(path: str, files: dict[str, Blob]) -> dict:
    inside = sorted((p, b.oid) for p, b in files.items() if p.startswith(path + "/"))
    return {"type": "directory", "oid": hashlib.sha1(json.dumps(inside).encode()).hexdigest(), "path": path}


def _children(files: dict[str, Blob], base: str, recursive: bool) -> list[dict]:
    prefix = base + "/" if base else ""
    out: dict[str, dict] = {}
    for path in sorted(files):
        if not path.startswith(prefix):
            continue
        parts = path[len(prefix):].split("/")
        for depth in range(1, len(parts)):  # the folders on the way
            folder = prefix + "/".join(parts[:depth])
            if recursive or depth == 1:
                out.setdefault(folder, _folder(folder, files))
        if recursive or len(parts) == 1:
            out[path] = _entry(path, files[path])
    return [out[k] for k in sorted(out)]


def _is_folder(files: dict[str, Blob], path: str) -> bool:
    return any(p.startswith(path.rstrip("/") + "/") for p in files)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeHub/1.0"

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    @property
    def hub(self) -> FakeHub:
        return self.server.hub  # type: ignore[attr-defined]

    # --- plumbing --------------------------------------------------------------------------------
    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None,
              content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: object, headers: dict | None = None) -> None:
        self._send(status, json.dumps(data).encode(), headers)

    def _authorized(self) -> bool:
        token = self.hub.token
        return token is None or self.headers.get("Authorization") == f"Bearer {token}"

    def _dispatch(self) -> None:
        body = self._body()
        split = urlsplit(self.path)
        path, query = split.path, parse_qs(split.query)
        hub = self.hub
        with hub.lock:
            hub.requests.append((self.command, path))
            for fault in hub.faults:
                if fault.count > 0 and fault.method == self.command and fault.pattern.search(path):
                    fault.count -= 1
                    if fault.action is None:
                        self._json(fault.status, {"error": f"injected failure {fault.status}"})
                        return
                    fault.action()
                    break
        try:
            with hub.lock:
                self._route(path, query, body)
        except HubError as err:
            headers = {"X-Error-Message": err.message}
            if err.code:
                headers["X-Error-Code"] = err.code
            self._json(err.status, {"error": err.message, **err.extra}, headers)
        except (KeyError, ValueError, TypeError) as err:  # a request this fake cannot read
            self._json(400, {"error": f"bad request: {err!r}"}, {"X-Error-Message": "bad request"})

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _dispatch

    # --- routing ---------------------------------------------------------------------------------
    def _route(self, path: str, query: dict, body: bytes) -> None:
        method = self.command
        if path == "/api/whoami-v2" and method == "GET":
            return self._whoami()
        if path == "/api/repos/create" and method == "POST":
            return self._create_repo(json.loads(body or b"{}"))
        if path == "/api/validate-yaml" and method == "POST":
            return self._json(200, {"errors": [], "warnings": []})
        if path.startswith("/lfs-upload/") and method == "PUT":
            return self._lfs_put(path.rsplit("/", 1)[1], body)
        if path.startswith("/api/"):
            return self._api(path, query, body)
        return self._git(path, body)

    def _repo(self, repo_type: str, repo_id: str, write: bool = False) -> Repo:
        if write and not self._authorized():
            raise HubError(401, "Invalid credentials in Authorization header")
        repo = self.hub.repos.get((repo_type, repo_id))
        if repo is None or (repo.private and not (self._authorized() and self.hub.token)):
            raise HubError(404 if repo is None else 401, "Repository not found", "RepoNotFound")
        return repo

    @staticmethod
    def _commit(repo: Repo, revision: str) -> Commit:
        commit = repo.resolve(revision)
        if commit is None:
            raise HubError(404, f"Invalid rev id: {revision}", "RevisionNotFound")
        return commit

    def _api(self, path: str, query: dict, body: bytes) -> None:
        match = re.fullmatch(r"/api/(models|datasets|spaces)/([^/]+/[^/]+)(?:/(.*))?", path)
        if match is None:
            raise HubError(404, f"no route for {self.command} {path}")
        repo_type, repo_id, rest = REPO_TYPES[match[1]], match[2], match[3] or ""
        action, _, tail = rest.partition("/")
        method = self.command
        if method == "GET" and action in ("", "revision"):
            return self._info(repo_type, repo_id, unquote(tail) if action else "main", query)
        if method == "GET" and action == "refs":
            return self._refs(self._repo(repo_type, repo_id))
        if method == "GET" and action == "commits":
            return self._commits(self._repo(repo_type, repo_id), unquote(tail))
        if method == "POST" and action == "tag":
            return self._tag(self._repo(repo_type, repo_id, write=True), unquote(tail), json.loads(body))
        if method == "DELETE" and action == "tag":
            return self._delete_tag(self._repo(repo_type, repo_id, write=True), unquote(tail))
        if method == "GET" and action == "tree":
            rev, _, sub = tail.partition("/")
            return self._tree(self._repo(repo_type, repo_id), unquote(rev), unquote(sub), query)
        if method == "POST" and action == "paths-info":
            return self._paths_info(self._repo(repo_type, repo_id), unquote(tail), parse_qs(body.decode()))
        if method == "POST" and action == "preupload":
            return self._preupload(self._repo(repo_type, repo_id, write=True), unquote(tail), json.loads(body))
        if method == "POST" and action == "commit":
            return self._commit_ndjson(self._repo(repo_type, repo_id, write=True), unquote(tail), body)
        raise HubError(404, f"no route for {method} {path}")

    def _git(self, path: str, body: bytes) -> None:
        prefix = r"/(?:(datasets|spaces)/)?([^/]+/[^/]+?)"
        lfs = re.fullmatch(prefix + r"\.git/info/lfs/objects/batch", path)
        if lfs and self.command == "POST":
            repo_type = REPO_TYPES[lfs[1]] if lfs[1] else "model"
            return self._lfs_batch(self._repo(repo_type, lfs[2], write=True), json.loads(body))
        resolve = re.fullmatch(prefix + r"/resolve/([^/]+)/(.+)", path)
        if resolve and self.command in ("GET", "HEAD"):
            repo_type = REPO_TYPES[resolve[1]] if resolve[1] else "model"
            return self._resolve(self._repo(repo_type, resolve[2]), unquote(resolve[3]), unquote(resolve[4]))
        raise HubError(404, f"no route for {self.command} {path}")

    # --- endpoints -------------------------------------------------------------------------------
    def _whoami(self) -> None:
        if self.hub.token is None or not self._authorized():
            raise HubError(401, "Invalid credentials in Authorization header")
        self._json(200, {"type": "user", "name": self.hub.user, "orgs": [],
                         "auth": {"type": "access_token", "accessToken": {"displayName": "test", "role": "write"}}})

    def _create_repo(self, payload: dict) -> None:
        if not self._authorized() or self.hub.token is None:
            raise HubError(401, "Invalid credentials in Authorization header")
        repo_type = payload.get("type") or "model"
        repo_id = f"{payload.get('organization') or self.hub.user}/{payload['name']}"
        url = f"{self.hub.url}/{URL_PREFIXES[repo_type]}{repo_id}"
        if (repo_type, repo_id) in self.hub.repos:
            raise HubError(409, "You already created this repo", extra={"url": url})
        private = payload.get("private") or payload.get("visibility") == "private"
        self.hub.create_repo(repo_type, repo_id, bool(private))
        self._json(200, {"url": url, "name": repo_id, "id": repo_id})

    def _info(self, repo_type: str, repo_id: str, revision: str, query: dict) -> None:
        repo = self._repo(repo_type, repo_id)
        commit = self._commit(repo, revision)
        blobs = query.get("blobs", ["false"])[0].lower() in ("1", "true")
        siblings = []
        for path, blob in sorted(commit.files.items()):
            sibling: dict = {"rfilename": path}
            if blobs:
                sibling |= {"size": len(blob.data), "blobId": blob.oid}
                if blob.lfs:
                    sibling["lfs"] = _entry(path, blob)["lfs"]
            siblings.append(sibling)
        self._json(200, {"_id": repo_id, "id": repo_id, "author": repo_id.split("/")[0], "sha": commit.oid,
                         "lastModified": commit.date, "createdAt": repo.commits[min(repo.commits)].date,
                         "private": repo.private, "gated": False, "disabled": False, "downloads": 0,
                         "likes": 0, "tags": [], "siblings": siblings})

    def _refs(self, repo: Repo) -> None:
        def ref(kind: str, name: str, oid: str) -> dict:
            return {"name": name, "ref": f"refs/{kind}/{name}", "targetCommit": oid}

        self._json(200, {"branches": [ref("heads", n, o) for n, o in sorted(repo.branches.items())],
                         "tags": [ref("tags", n, o) for n, o in sorted(repo.tags.items())],
                         "converts": [], "pullRequests": []})

    def _commits(self, repo: Repo, revision: str) -> None:
        out, commit = [], self._commit(repo, revision)
        while commit is not None:
            out.append({"id": commit.oid, "title": commit.title, "message": commit.message,
                        "authors": [{"user": self.hub.user}], "date": commit.date})
            commit = repo.commits.get(commit.parents[0]) if commit.parents else None
        self._json(200, out)

    def _tag(self, repo: Repo, revision: str, payload: dict) -> None:
        commit = self._commit(repo, revision)
        tag = payload["tag"]
        if tag in repo.tags:
            raise HubError(409, f"Tag {tag} already exists")
        repo.tags[tag] = commit.oid
        self._json(200, {})

    def _delete_tag(self, repo: Repo, tag: str) -> None:
        if repo.tags.pop(tag, None) is None:
            raise HubError(404, f"Tag {tag} not found", "RevisionNotFound")
        self._json(200, {})

    def _tree(self, repo: Repo, revision: str, sub: str, query: dict) -> None:
        commit = self._commit(repo, revision)
        sub = sub.strip("/")
        if sub and not _is_folder(commit.files, sub):
            raise HubError(404, f"{sub} does not exist on {revision}", "EntryNotFound")
        recursive = query.get("recursive", ["false"])[0].lower() in ("1", "true")
        expand = query.get("expand", ["false"])[0].lower() in ("1", "true")
        entries = _children(commit.files, sub, recursive)
        if expand:
            for item in entries:
                if item["type"] == "file":
                    item["lastCommit"] = {"id": commit.oid, "title": commit.title, "date": commit.date}
        self._json(200, entries)

    def _paths_info(self, repo: Repo, revision: str, form: dict) -> None:
        commit = self._commit(repo, revision)
        out = []
        for path in form.get("paths", []):
            path = path.strip("/")
            if path in commit.files:
                out.append(_entry(path, commit.files[path]))
            elif _is_folder(commit.files, path):
                out.append(_folder(path, commit.files))
        self._json(200, out)

    def _preupload(self, repo: Repo, revision: str, payload: dict) -> None:
        commit = self._commit(repo, revision)
        files = []
        for item in payload["files"]:
            existing = commit.files.get(item["path"])
            lfs = item["path"].endswith(LFS_SUFFIXES)
            files.append({"path": item["path"], "uploadMode": "lfs" if lfs else "regular",
                          "shouldIgnore": False,
                          "oid": (existing.sha256 if existing.lfs else existing.oid) if existing else None})
        self._json(200, {"files": files, "commitOid": commit.oid})

    def _lfs_batch(self, repo: Repo, payload: dict) -> None:
        objects = []
        for obj in payload.get("objects", []):
            item = {"oid": obj["oid"], "size": obj["size"]}
            if obj["oid"] not in self.hub.lfs_objects:
                item["actions"] = {"upload": {"href": f"{self.hub.url}/lfs-upload/{obj['oid']}"}}
            objects.append(item)
        self._send(200, json.dumps({"transfer": "basic", "objects": objects, "hash_algo": "sha256"}).encode(),
                   content_type="application/vnd.git-lfs+json")

    def _lfs_put(self, sha256: str, body: bytes) -> None:
        if hashlib.sha256(body).hexdigest() != sha256:
            raise HubError(400, "LFS object does not match its oid")
        self.hub.lfs_objects[sha256] = body
        self._send(200)

    def _commit_ndjson(self, repo: Repo, revision: str, body: bytes) -> None:
        if revision not in repo.branches:
            raise HubError(404, f"Invalid rev id: {revision} (commits go to a branch)", "RevisionNotFound")
        head = repo.commits[repo.branches[revision]]
        lines = [json.loads(line) for line in body.splitlines() if line.strip()]
        header = next((line["value"] for line in lines if line["key"] == "header"), None)
        if header is None or not header.get("summary"):
            raise HubError(400, "commit header with a summary is required")
        if header.get("parentCommit") and header["parentCommit"] != head.oid:
            raise HubError(412, "A commit has happened since. Please refresh and try again.")
        files = dict(head.files)
        for line in lines:
            key, value = line["key"], line["value"]
            if key == "file":
                data = base64.b64decode(value["content"]) if value.get("encoding") == "base64" \
                    else value["content"].encode()
                files[value["path"]] = Blob(data, lfs=False)
            elif key == "lfsFile":
                data = self.hub.lfs_objects.get(value["oid"])
                if data is None:
                    raise HubError(400, f"LFS object {value['oid']} of {value['path']} was not uploaded")
                files[value["path"]] = Blob(data, lfs=True)
            elif key == "deletedFile":
                if files.pop(value["path"], None) is None:
                    raise HubError(404, f"A file with this name doesn't exist: {value['path']}", "EntryNotFound")
            elif key == "deletedFolder":
                folder = value["path"].rstrip("/") + "/"
                for path in [p for p in files if p.startswith(folder)]:
                    del files[path]
        commit = self.hub._new_commit(repo, head, files, header["summary"], header.get("description", ""))
        repo.branches[revision] = commit.oid
        url = f"{self.hub.url}/{URL_PREFIXES[repo.repo_type]}{repo.repo_id}/commit/{commit.oid}"
        self._json(200, {"success": True, "commitOid": commit.oid, "commitUrl": url})

    def _resolve(self, repo: Repo, revision: str, path: str) -> None:
        commit = self._commit(repo, revision)
        blob = commit.files.get(path)
        if blob is None:
            raise HubError(404, f"Entry not found: {path}", "EntryNotFound")
        etag = f'"{blob.sha256 if blob.lfs else blob.oid}"'
        headers = {"X-Repo-Commit": commit.oid, "ETag": etag, "Accept-Ranges": "bytes"}
        if blob.lfs:
            headers |= {"X-Linked-Etag": etag, "X-Linked-Size": str(len(blob.data))}
        data, status = blob.data, 200
        wanted = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
        if wanted and self.command == "GET":
            size = len(blob.data)
            start = int(wanted[1]) if wanted[1] else max(0, size - int(wanted[2] or 0))
            end = min(int(wanted[2]), size - 1) if wanted[1] and wanted[2] else size - 1
            if start >= size:
                return self._send(416, headers={"Content-Range": f"bytes */{size}"})
            data, status = blob.data[start:end + 1], 206
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        self._send(status, data, headers, content_type="application/octet-stream")


# --- driving the real clients against a FakeHub --------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parents[1]
OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_TOKEN",
                     "HUGGING_FACE_HUB_TOKEN", "HF_HUB_CACHE", "HF_DATASETS_CACHE", "HF_TOKEN_PATH")


def point_clients_at(hub: FakeHub, patch) -> None:
    """Make an already imported huggingface_hub use ``hub``, as if HF_ENDPOINT had been set before the
    import: it reads the endpoint once, into two constants, and some calls ignore
    ``HfApi(endpoint=...)`` (its agent-harness registry lookup goes to ``constants.ENDPOINT``).
    ``patch`` is a pytest MonkeyPatch, which puts the constants back afterwards."""
    from huggingface_hub import constants

    patch.setattr(constants, "ENDPOINT", hub.url)
    patch.setattr(constants, "HUGGINGFACE_CO_URL_TEMPLATE", hub.url + "/{repo_id}/resolve/{revision}/{filename}")
    patch.setattr(constants, "HF_HUB_DISABLE_XET", True)
    patch.setattr(constants, "HF_HUB_OFFLINE", False)


def client_env(hub: FakeHub, home: Path, token: str | None = None) -> dict[str, str]:
    """Environment for a client subprocess: this hub, a fresh HF_HOME, no offline mode, no Xet."""
    env = {k: v for k, v in os.environ.items() if k not in OFFLINE_VARIABLES}
    Path(home).mkdir(parents=True, exist_ok=True)
    env |= {"HF_ENDPOINT": hub.url, "HF_HOME": str(home), "HF_HUB_DISABLE_XET": "1",
            "HF_UPDATE_DOWNLOAD_COUNTS": "0", "HF_HUB_DISABLE_TELEMETRY": "1",
            "HF_HUB_DISABLE_PROGRESS_BARS": "1", "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    if token is not None:
        env["HF_TOKEN"] = token
    return env


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """`newsstance ARGS` in a subprocess (so that HF_ENDPOINT is read at import, as for a user)."""
    code = "import sys; from builder.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=300)


LOAD_SCRIPT = """\
import json, sys
import datasets
datasets.config.USE_PARQUET_EXPORT = False
repo_id, revision, *configs = sys.argv[1:]
out = {}
for config in configs:
    dataset = datasets.load_dataset(repo_id, config, revision=revision)
    out[config] = {split: dataset[split].to_list() for split in sorted(dataset)}
print(json.dumps(out, default=str))
"""


def load_rows(hub: FakeHub, home: Path, repo_id: str, revision: str, configs: list[str],
              token: str | None = None) -> dict[str, dict[str, list[dict]]]:
    """{config: {split: rows}} as the real ``datasets.load_dataset`` returns them, in a fresh HF_HOME."""
    result = subprocess.run([sys.executable, "-c", LOAD_SCRIPT, repo_id, revision, *configs],
                            env=client_env(hub, home, token), capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise AssertionError(f"load_dataset failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- a hand-made build folder, for tests that do not need the real build ---------------------------

CARD_TEMPLATE = """\
---
configs:
{configs}
---
# newsstance (test folder)
"""


def write_build(root: Path, version: str, tables: dict[str, dict[str, list]], dataset: str = "newsstance") -> Path:
    """A folder laid out like a build: <config>/train-00000-of-00001.parquet per table, a card whose
    YAML lists the configs (the first is the default), and manifest.json with every file's sha256."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    entries = []
    for number, (config, columns) in enumerate(tables.items()):
        path = root / config / "train-00000-of-00001.parquet"
        path.parent.mkdir(parents=True)
        pq.write_table(pa.table(columns), path)
        entries.append(f"- config_name: {config}\n  data_files:\n  - split: train\n"
                       f"    path: {config}/train-*.parquet" + ("\n  default: true" if number == 0 else ""))
    (root / "README.md").write_text(CARD_TEMPLATE.format(configs="\n".join(entries)), encoding="utf-8")
    outputs = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        entry = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "size": path.stat().st_size}
        outputs[path.relative_to(root).as_posix()] = entry
    manifest = {"dataset": dataset, "version": version, "builder": {"newsstance": "test"},
                "config_hash": hashlib.sha256(version.encode()).hexdigest(), "inputs": {}, "outputs": outputs}
    (root / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return root
