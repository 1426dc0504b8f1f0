"""builder/publish/verify.py and `newsstance verify`, against a Hub on 127.0.0.1 (tests/hubserver.py).

Rebuilding the real dataset is covered by the scenario in test_publish.py; these tests compare
hand-made build folders (``--against``) and the pure comparison functions.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from huggingface_hub import CommitOperationAdd, HfApi

from builder.cli import main
from builder.errors import PublishError
from builder.publish.publish import publish
from builder.publish.verify import (Difference, Verification, compare, compare_folder, fetch_manifest, manifest_changes,
                            published_digests, report_lines, verify)
from hubserver import FakeHub, point_clients_at

TOKEN = "hf_verifyTestToken0123456789abcdef"
REPO_ID = "test-org/newsstance"


@pytest.fixture
def hub(monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    with FakeHub(token=TOKEN) as server:
        point_clients_at(server, monkeypatch)
        yield server


@pytest.fixture
def published(build_folder, hub, tmp_path):
    """v1.0.0 of a hand-made build on the Hub; returns the local folder."""
    root = build_folder(tmp_path / "v1.0.0")
    publish(root, repo_id=REPO_ID)
    return root


# --- against a folder ----------------------------------------------------------------------------

def test_the_published_folder_verifies(published):
    result = verify(repo_id=REPO_ID, revision="v1.0.0", against=published)
    assert result.ok and result.compared == 4 and result.version == "1.0.0"
    assert report_lines(result)[-1] == "OK: all 4 file(s) are byte-identical to v1.0.0"


def test_every_kind_of_difference_is_reported(build_folder, published, tmp_path):
    edited = tmp_path / "edited"
    build_folder(edited, docs=("one", "changed"))
    (edited / "ner" / "train-00000-of-00001.parquet").unlink()
    (edited / "extra.txt").write_text("new")
    result = verify(repo_id=REPO_ID, revision="v1.0.0", against=edited)
    kinds = {d.path: d.kind for d in result.differences}
    assert kinds == {"documents/train-00000-of-00001.parquet": "changed", "extra.txt": "extra",
                     "manifest.json": "changed", "ner/train-00000-of-00001.parquet": "missing"}
    lines = report_lines(result)
    assert any(line.startswith("  changed  documents/train-00000-of-00001.parquet") and "published " in line
               for line in lines)
    assert any(line.startswith("  missing  ner/train-00000-of-00001.parquet") for line in lines)
    assert any(line.startswith("  extra    extra.txt") for line in lines)
    assert lines[-1] == "DIFFERENT: 4 of 5 file(s) differ from v1.0.0"


def test_a_changed_manifest_says_which_fields_differ(build_folder, published, tmp_path):
    other = build_folder(tmp_path / "v1.1.0", version="1.1.0")
    result = verify(repo_id=REPO_ID, revision="v1.0.0", against=other)
    assert [d.path for d in result.differences] == ["manifest.json"]
    assert "manifest version: 1.0.0 -> 1.1.0" in result.notes


def test_the_cli_exits_1_on_differences_and_0_when_identical(build_folder, published, tmp_path, capsys):
    assert main(["verify", "--repo-id", REPO_ID, "--revision", "v1.0.0", "--against", str(published)]) == 0
    assert "OK: all 4 file(s)" in capsys.readouterr().out
    edited = build_folder(tmp_path / "edited", docs=("x",))
    assert main(["verify", "--repo-id", REPO_ID, "--revision", "v1.0.0", "--against", str(edited)]) == 1
    assert "  changed  documents/train-00000-of-00001.parquet" in capsys.readouterr().out


def test_the_manifest_is_never_taken_from_a_cache(build_folder, published, hub, tmp_path):
    assert json.loads(fetch_manifest(REPO_ID, "main"))["version"] == "1.0.0"
    publish(build_folder(tmp_path / "v1.1.0", version="1.1.0", docs=("three",)), repo_id=REPO_ID)
    assert json.loads(fetch_manifest(REPO_ID, "main"))["version"] == "1.1.0"


# --- errors --------------------------------------------------------------------------------------

def test_an_unknown_revision_is_refused(published):
    with pytest.raises(PublishError, match=r"E509 test-org/newsstance: 'v9.9.9' is not a revision of this repo"):
        verify(repo_id=REPO_ID, revision="v9.9.9", against=published)


def test_an_unknown_repo_is_refused(hub, tmp_path):
    with pytest.raises(PublishError, match=r"E506 test-org/missing: cannot read the repo on the Hub: .*404"):
        verify(repo_id="test-org/missing", revision="v1.0.0", against=tmp_path)


def commit_files(hub, files: dict[str, bytes]) -> str:
    api = HfApi(endpoint=hub.url, token=TOKEN)
    api.create_repo(REPO_ID, repo_type="dataset", exist_ok=True)
    info = api.create_commit(REPO_ID, [CommitOperationAdd(p, data) for p, data in files.items()],
                             commit_message="by hand", repo_type="dataset")
    return info.oid


def test_a_revision_without_a_manifest_is_refused(hub, tmp_path):
    commit = commit_files(hub, {"README.md": b"# not a newsstance build\n"})
    with pytest.raises(PublishError, match=rf"E510 .*revision {commit} has no readable manifest.json: "
                                           r"manifest.json is not in the revision"):
        verify(repo_id=REPO_ID, revision=commit, against=tmp_path)


@pytest.mark.parametrize("content", [b"{not json", b'{"version": "1.0.0"}', b'{"outputs": {"a": 1}}'])
def test_an_unreadable_manifest_is_refused(hub, tmp_path, content):
    commit_files(hub, {"manifest.json": content})
    with pytest.raises(PublishError, match=r"E510 .*revision main has no readable manifest.json: "
                                           r"it does not list outputs with sha256"):
        verify(repo_id=REPO_ID, revision="main", against=tmp_path)


def test_a_missing_against_folder_is_refused(published, tmp_path):
    with pytest.raises(PublishError, match=r"E501 .*not a complete build: the folder does not exist"):
        verify(repo_id=REPO_ID, revision="v1.0.0", against=tmp_path / "nowhere")


# --- pure functions ------------------------------------------------------------------------------

def test_published_digests_include_the_manifest_itself():
    data = json.dumps({"outputs": {"b.parquet": {"sha256": "2"}, "a.parquet": {"sha256": "1"}}}).encode()
    assert published_digests(data) == {"a.parquet": "1", "b.parquet": "2",
                                       "manifest.json": hashlib.sha256(data).hexdigest()}


def test_compare_reports_missing_extra_and_changed_sorted_by_path():
    assert compare({"a": "1", "b": "2", "c": "3"}, {"b": "2", "c": "x", "d": "4"}) == (
        Difference("a", "missing", "1", None), Difference("c", "changed", "3", "x"),
        Difference("d", "extra", None, "4"))
    assert compare({"a": "1"}, {"a": "1"}) == ()


def test_manifest_changes_flatten_nested_fields_and_skip_outputs():
    old = {"version": "1.0.0", "builder": {"datasets": "5.2.0"}, "inputs": {"a.json": "1" * 64}, "outputs": {"x": 1}}
    new = {"version": "1.0.0", "builder": {"datasets": "5.3.0"}, "inputs": {"b.json": "2"}, "outputs": {"y": 2}}
    assert manifest_changes(old, new) == (
        "builder.datasets: 5.2.0 -> 5.3.0",
        f"inputs.a.json: {'1' * 12}… -> (absent)",
        "inputs.b.json: (absent) -> 2")
    many = manifest_changes({"inputs": {str(i): i for i in range(30)}}, {}, limit=5)
    assert len(many) == 6 and many[-1] == "... and 25 more field(s)"


def test_compare_folder_notes_a_version_mismatch(build_folder, tmp_path):
    root = build_folder(tmp_path / "b", version="1.1.0")
    data = (root / "manifest.json").read_bytes()
    result = compare_folder(data, root, repo_id=REPO_ID, revision="v1.1.0", source="x", expected_version="1.0.0")
    assert result.ok and result.notes == (
        "v1.1.0 is version 1.1.0 but this checkout builds 1.0.0: check out the source of v1.1.0 "
        "(`git checkout v1.1.0`) before verifying",)
    assert report_lines(result)[1].startswith("  note: v1.1.0 is version 1.1.0")


def test_report_of_a_clean_verification():
    result = Verification(REPO_ID, "v1.0.0", "1.0.0", "a rebuild of this checkout", 7, (), ())
    assert report_lines(result) == [
        "verify test-org/newsstance@v1.0.0 (version 1.0.0) against a rebuild of this checkout",
        "OK: all 7 file(s) are byte-identical to v1.0.0"]
