"""builder/publish/plan.py: what a publish takes, as pure functions."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from builder.errors import PublishError
from builder.publish.folder import BuiltFolder, LocalFile
from builder.publish.hub import RemoteFile, RemoteState
from builder.publish.plan import compare_files, plan_publish, same_content

REPO_ID = "test-org/newsstance"


def local(path: str, data: bytes) -> LocalFile:
    return LocalFile(path, len(data), hashlib.sha256(data).hexdigest(),
                     hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest())


def remote(item: LocalFile, lfs: bool = False) -> RemoteFile:
    return RemoteFile(item.path, item.size, "0" * 40 if lfs else item.git_oid, item.sha256 if lfs else None)


def test_same_content_uses_the_lfs_sha256_or_the_git_blob_id():
    a, b = local("x.parquet", b"a"), local("x.parquet", b"b")
    assert same_content(a, remote(a)) and same_content(a, remote(a, lfs=True))
    assert not same_content(a, remote(b)) and not same_content(a, remote(b, lfs=True))


def test_compare_files_keeps_the_hubs_own_files():
    keep, change, new = local("README.md", b"card"), local("a.parquet", b"1"), local("b.parquet", b"2")
    hub_files = {"README.md": remote(keep), "a.parquet": remote(local("a.parquet", b"0")),
                 "old.parquet": remote(local("old.parquet", b"o")),
                 ".gitattributes": remote(local(".gitattributes", b""))}
    upload, delete, unchanged = compare_files([keep, change, new], hub_files)
    assert [f.path for f in upload] == ["a.parquet", "b.parquet"]
    assert delete == ("old.parquet",) and unchanged == ("README.md",)


def built(*files: LocalFile, version: str = "1.0.0") -> BuiltFolder:
    return BuiltFolder(Path("dist"), "newsstance", version, files, ("documents",), (("datasets", "5.2.0"),), "c0ffee")


def test_plan_statuses():
    card = local("README.md", b"card")
    state = RemoteState(exists=True, private=False, main="a" * 40, tags=(("v1.0.0", "b" * 40),))
    assert plan_publish(built(card), REPO_ID, state, {}, None).status == "commit"
    assert plan_publish(built(card), REPO_ID, state, {"README.md": remote(card)}, None).status == "tag"
    same = plan_publish(built(card), REPO_ID, state, {}, {"README.md": remote(card)})
    assert same.status == "unchanged" and same.base_commit == "b" * 40
    with pytest.raises(PublishError, match=r"E502 .*tag v1.0.0 already exists with different content "
                                           r"\(1 file\(s\) differ, e.g. README.md\)"):
        plan_publish(built(card), REPO_ID, state, {}, {"README.md": remote(local("README.md", b"old"))})


def test_commit_message_and_description():
    plan = plan_publish(built(local("README.md", b"card")), REPO_ID, RemoteState(exists=False), {}, None)
    assert plan.commit_message == "Publish newsstance 1.0.0" and plan.create_repo
    assert "datasets 5.2.0" in plan.commit_description and "config_hash c0ffee" in plan.commit_description
