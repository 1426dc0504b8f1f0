"""builder/publish/rights.py: restricted texts reach the Hub only with an explicit flag the build recorded."""

from __future__ import annotations

import json

import pytest

from builder.errors import PublishError
from builder.pipeline import build
from builder.publish.publish import publish
from builder.publish.rights import release_options
from factories import config_for
from hubserver import FakeHub, client_env, point_clients_at, run_cli
from release.conftest import mixed_project

TOKEN = "hf_rightsTestToken0123456789abcdef"
REPO_ID = "org/rights"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return mixed_project(tmp_path_factory.mktemp("rights") / "project")


@pytest.fixture
def hub(monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    with FakeHub(token=TOKEN) as server:
        point_clients_at(server, monkeypatch)
        yield server


def test_a_build_with_restricted_texts_is_refused_without_the_flag(project, hub, tmp_path):
    full = build(config_for(project, tmp_path / "full"))
    with pytest.raises(PublishError, match=r"E910 .*full: .*holds the texts of 1 article\(s\) whose licence does not "
                                           r"allow redistribution \(e\.g\. b2\)"):
        publish(full, repo_id=REPO_ID, endpoint=hub.url)
    assert ("dataset", REPO_ID) not in hub.repos


def test_the_flag_is_refused_for_a_build_that_does_not_record_it(project, hub, tmp_path):
    full = build(config_for(project, tmp_path / "full"))
    with pytest.raises(PublishError, match=r"E911 .*--include-restricted-texts was given, but .* was not built with it"):
        publish(full, repo_id=REPO_ID, endpoint=hub.url, include_restricted_texts=True)
    assert ("dataset", REPO_ID) not in hub.repos


def test_a_build_that_records_the_flag_is_published_with_it_and_says_so(project, hub, tmp_path):
    full = build(config_for(project, tmp_path / "full", include_restricted_texts=True))
    publish(full, repo_id=REPO_ID, endpoint=hub.url, include_restricted_texts=True)
    files = hub.files(REPO_ID, "v1.0.0")
    assert json.loads(files["manifest.json"])["release"]["include_restricted_texts"] is True
    assert "published with `--include-restricted-texts`" in files["README.md"].decode()


def test_the_public_release_is_published_without_a_flag(project, hub, tmp_path):
    public = build(config_for(project, tmp_path / "public", release="public"))
    publish(public, repo_id=REPO_ID, endpoint=hub.url)
    files = hub.files(REPO_ID, "v1.0.0")
    assert "croissant.json" in files and "hydration.json" in files


def test_the_command_builds_the_public_release_unless_told(project, hub, tmp_path):
    options = ["--corpus", str(project / "corpus"), "--annotations", str(project / "annotations"),
               "--card", str(project / "DATASET_CARD.md"), "--benchmarks", str(project / "no-results")]
    run = run_cli(["publish", "--repo-id", REPO_ID, "--dry-run", *options], client_env(hub, tmp_path / "home", TOKEN))
    assert run.returncode == 0, run.stderr
    assert "would upload  hydration.json" in run.stdout and "would upload  croissant.json" in run.stdout


def test_verify_rebuilds_the_release_kind_the_manifest_records():
    assert release_options({"release": {"kind": "public", "include_restricted_texts": False}}) == {
        "release": "public", "include_restricted_texts": False}
    assert release_options({"outputs": {}}) == {}


def test_a_hydrated_release_holds_the_texts_again_and_is_refused(project, hub, tmp_path):
    from builder.release.hydrate import hydrate_folder

    public = build(config_for(project, tmp_path / "public", release="public"))
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "b2.txt").write_bytes((project / "corpus" / "b2.txt").read_bytes())
    hydrated = hydrate_folder(public, texts, tmp_path / "hydrated").output
    with pytest.raises(PublishError, match=r"E910 .*hydrated: .*holds the texts of 1 article\(s\) .*\(e\.g\. b2\)"):
        publish(hydrated, repo_id=REPO_ID, endpoint=hub.url)
    with pytest.raises(PublishError, match=r"E911 .*--include-restricted-texts was given, but .*hydrated was not built"):
        publish(hydrated, repo_id=REPO_ID, endpoint=hub.url, include_restricted_texts=True)
    assert ("dataset", REPO_ID) not in hub.repos
