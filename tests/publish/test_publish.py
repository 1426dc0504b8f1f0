"""builder/publish/publish.py and `newsstance publish`, against a Hub on 127.0.0.1 (tests/hubserver.py).

The scenario: publish v1.0.0, change an annotation, publish v1.1.0; load each tag and main with the
real ``datasets.load_dataset`` in a fresh cache; verify both tags; re-publish (no-op), publish other
content under an existing tag (refused); a failure mid-publish leaves no tag and a retry completes it.
Clients that read HF_ENDPOINT at import run in subprocesses; the library is also called in-process
with an explicit endpoint.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from huggingface_hub import HfApi

from builder import DATASET_VERSION
from builder.config import BuildConfig
from builder.errors import PublishError
from builder.pipeline import build
from builder.publish.publish import publish
from builder.publish.report import report_lines
from builder.publish.verify import verify
from factories import ARTICLE, annotation, default_entities, default_stances, write_annotation, write_article
from hubserver import FakeHub, client_env, load_rows, point_clients_at, run_cli

REPO = Path(__file__).resolve().parents[2]
TOKEN = "hf_publishTestToken0123456789abcdef"
REPO_ID = "test-org/newsstance"
ARTICLE_ID = "zz-publish-test"


# --- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def token(monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)  # the usual place; the in-process client reads it per call


@pytest.fixture
def hub(monkeypatch):
    """A fresh Hub, which the in-process huggingface_hub also uses."""
    with FakeHub(token=TOKEN) as server:
        point_clients_at(server, monkeypatch)
        yield server


def tags(hub: FakeHub, repo_id: str = REPO_ID) -> dict[str, str]:
    return dict(hub.repo(repo_id).tags)


def main_commit(hub: FakeHub, repo_id: str = REPO_ID) -> str:
    return hub.repo(repo_id).branches["main"]


def checkout(root: Path, kremlin: str) -> Path:
    """A copy of this repository's corpus/ and annotations/ plus one gold-annotated test article whose
    Kremlin stance is ``kremlin``: the annotation that changes between the two versions."""
    root.mkdir(parents=True)
    shutil.copytree(REPO / "corpus", root / "corpus")
    shutil.copytree(REPO / "annotations", root / "annotations")
    shutil.copy(REPO / "DATASET_CARD.md", root / "DATASET_CARD.md")
    write_article(root / "corpus", ARTICLE_ID, ARTICLE, split="train")
    for annotator in ("team-a", "team-b", "gold"):
        write_annotation(root / "annotations", annotation(
            ARTICLE_ID, ARTICLE, annotator, entities=default_entities(),
            stances=default_stances(kremlin=kremlin if annotator == "gold" else "against")))
    return root


def config_for(root: Path, version: str, output: Path | None = None) -> BuildConfig:
    return BuildConfig(corpus_dir=root / "corpus", annotations_dir=root / "annotations", output_dir=output,
                       card_path=root / "DATASET_CARD.md", benchmarks_dir=root / "no-results", version=version,
                       release="public")  # its articles' licences are null: only the public release may be published


def input_options(root: Path) -> list[str]:
    return ["--corpus", str(root / "corpus"), "--annotations", str(root / "annotations"),
            "--card", str(root / "DATASET_CARD.md"), "--benchmarks", str(root / "no-results")]


OLD = DATASET_VERSION  # 1.0.0: what this checkout builds
NEW = "{}.{}.0".format(OLD.split(".")[0], int(OLD.split(".")[1]) + 1)  # 1.1.0
STANCE = {OLD: "against", NEW: "neutral"}  # the gold stance of the Kremlin, changed in NEW


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """OLD and NEW (one gold stance changed) built for real, then published with the CLI in turn."""
    tmp = tmp_path_factory.mktemp("scenario")
    checkouts = {version: checkout(tmp / version, stance) for version, stance in STANCE.items()}
    builds = {version: build(config_for(root, version, tmp / "dist" / version)) for version, root in checkouts.items()}
    with FakeHub(token=TOKEN) as server, pytest.MonkeyPatch.context() as patch:
        point_clients_at(server, patch)
        env = client_env(server, tmp / "hf-home", token=TOKEN)
        runs = {version: run_cli(["publish", "--repo-id", REPO_ID, "--folder", str(folder)], env)
                for version, folder in builds.items()}
        yield SimpleNamespace(hub=server, tmp=tmp, checkouts=checkouts, builds=builds, runs=runs, env=env)


# --- the scenario --------------------------------------------------------------------------------

def test_publish_commits_then_tags_and_prints_the_load_call(scenario):
    run = scenario.runs[OLD]
    assert run.returncode == 0, run.stderr
    assert "would " not in run.stdout
    assert "  upload  README.md" in run.stdout
    assert "  upload  stance/train-00000-of-00001.parquet" in run.stdout
    assert f"commit message: Publish newsstance {OLD}" in run.stdout
    assert f'load_dataset("{REPO_ID}", "documents", revision="v{OLD}")' in run.stdout
    assert f"committed {tags(scenario.hub)[f'v{OLD}']} on main, tagged v{OLD}" in run.stdout


def test_next_version_is_one_commit_on_top_uploading_only_what_changed(scenario):
    run = scenario.runs[NEW]
    assert run.returncode == 0, run.stderr
    repo = scenario.hub.repo(REPO_ID)
    old, new = repo.tags[f"v{OLD}"], repo.tags[f"v{NEW}"]
    assert repo.commits[new].parents == (old,) and repo.branches["main"] == new
    assert "  upload  stance/train-00000-of-00001.parquet" in run.stdout
    assert "  upload  ner/" not in run.stdout  # the entities did not change
    assert "unchanged:" in run.stdout
    published = scenario.hub.files(REPO_ID, f"v{NEW}")
    local = {p.relative_to(scenario.builds[NEW]).as_posix(): p.read_bytes()
             for p in scenario.builds[NEW].rglob("*") if p.is_file()}
    assert {k: v for k, v in published.items() if k != ".gitattributes"} == local


@pytest.mark.parametrize("revision, version", [(f"v{OLD}", OLD), (f"v{NEW}", NEW), ("main", NEW)])
def test_load_dataset_by_tag_and_main_returns_that_versions_rows(scenario, tmp_path, revision, version):
    loaded = load_rows(scenario.hub, tmp_path / "hf-home", REPO_ID, revision, ["stance", "documents"])
    names = ["favor", "against", "neutral"]  # ClassLabel order of annotations/schema.yaml
    kremlin = [r for r in loaded["stance"]["train"] if r["article_id"] == ARTICLE_ID and r["holder_key"] == "Q1033000"]
    assert [names[r["label"]] for r in kremlin] == [STANCE[version]]
    outputs = json.loads((scenario.builds[version] / "manifest.json").read_text())["outputs"]
    for config, splits in loaded.items():
        for split, rows in splits.items():
            assert outputs[f"{config}/{split}-00000-of-00001.parquet"]["rows"] == len(rows)
    assert ARTICLE_ID in [d["id"] for d in loaded["documents"]["train"]]


def test_verify_passes_for_the_tag_this_checkout_builds(scenario):
    run = run_cli(["verify", "--repo-id", REPO_ID, "--revision", f"v{OLD}",
                   *input_options(scenario.checkouts[OLD])], scenario.env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"verify {REPO_ID}@v{OLD} (version {OLD}) against a rebuild of this checkout" in run.stdout
    assert f"byte-identical to v{OLD}" in run.stdout


def test_verify_passes_for_the_newer_tag_from_its_own_source(scenario):
    result = verify(repo_id=REPO_ID, revision=f"v{NEW}", config=config_for(scenario.checkouts[NEW], NEW),
                    endpoint=scenario.hub.url)
    assert result.ok and result.version == NEW and result.compared == len(scenario.hub.files(REPO_ID, f"v{NEW}")) - 1


def test_verify_fails_after_a_local_edit(scenario, tmp_path):
    edited = tmp_path / "edited"
    shutil.copytree(scenario.checkouts[OLD], edited)
    gold = edited / "annotations" / "gold" / f"{ARTICLE_ID}.json"
    gold.write_text(gold.read_text().replace('"label": "against"', '"label": "favor"'))
    run = run_cli(["verify", "--repo-id", REPO_ID, "--revision", f"v{OLD}", *input_options(edited)], scenario.env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "  changed  stance/train-00000-of-00001.parquet" in run.stdout
    assert "  changed  manifest.json" in run.stdout
    assert f"note: manifest inputs.annotations/gold/{ARTICLE_ID}.json:" in run.stdout
    assert "DIFFERENT: " in run.stdout and f"file(s) differ from v{OLD}" in run.stdout


def test_verify_says_when_the_checkout_builds_another_version(scenario):
    result = verify(repo_id=REPO_ID, revision=f"v{NEW}", config=config_for(scenario.checkouts[NEW], OLD),
                    endpoint=scenario.hub.url)
    assert not result.ok
    assert any(f"this checkout builds {OLD}" in note and f"git checkout v{NEW}" in note for note in result.notes)


def test_identical_republish_is_a_no_op_that_says_so(scenario):
    writes = len(scenario.hub.writes())
    outcome = publish(scenario.builds[OLD], repo_id=REPO_ID, endpoint=scenario.hub.url)
    assert outcome.plan.status == "unchanged" and outcome.commit == tags(scenario.hub)[f"v{OLD}"]
    assert report_lines(outcome)[0] == (f"v{OLD} is already published on {REPO_ID} with identical content "
                                        f"(commit {outcome.commit}): nothing to do")
    assert len(scenario.hub.writes()) == writes


def test_other_content_under_an_existing_tag_is_refused(scenario, tmp_path):
    folder = build(config_for(checkout(tmp_path / "edited", "favor"), NEW, tmp_path / "dist"))
    before = dict(scenario.hub.repo(REPO_ID).branches)
    with pytest.raises(PublishError, match=rf"E502 .*tag v{NEW} already exists with different content "
                                           r"\(\d+ file\(s\) differ, e.g. ") as caught:
        publish(folder, repo_id=REPO_ID, endpoint=scenario.hub.url)
    assert "fix: a published version never changes: bump DATASET_VERSION" in str(caught.value)
    assert scenario.hub.repo(REPO_ID).branches == before


def test_the_token_appears_nowhere(scenario):
    outputs = [run.stdout + run.stderr for run in scenario.runs.values()]
    assert outputs and not any(TOKEN in text for text in outputs)
    for repo in scenario.hub.repos.values():
        for commit in repo.commits.values():
            assert all(TOKEN.encode() not in blob.data for blob in commit.files.values())
            assert TOKEN not in commit.title + commit.message


def test_dry_run_builds_this_checkout_and_touches_nothing(scenario):
    writes = len(scenario.hub.writes())
    run = run_cli(["publish", "--repo-id", "test-org/other", "--dry-run", *input_options(scenario.checkouts[OLD])],
                  scenario.env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("dry run: nothing is uploaded, deleted, created or tagged")
    assert "would create the dataset repo test-org/other (public)" in run.stdout
    assert "  would upload  manifest.json" in run.stdout
    assert f"commit message: Publish newsstance {OLD}" in run.stdout
    assert f"would tag the commit v{OLD}" in run.stdout
    assert len(scenario.hub.writes()) == writes and ("dataset", "test-org/other") not in scenario.hub.repos


# --- failures mid-publish ------------------------------------------------------------------------

def test_a_failed_commit_leaves_no_tag_and_a_retry_completes(build_folder, hub, tmp_path):
    publish(build_folder(tmp_path / "a", "1.0.0"), repo_id=REPO_ID, endpoint=hub.url)
    before = main_commit(hub)
    folder = build_folder(tmp_path / "b", "1.1.0", docs=("one", "three"))
    hub.fail_next("POST", r"/commit/main$", status=500)
    with pytest.raises(PublishError, match=r"E503 .*the Hub refused the commit: .*500.*no tag was created"):
        publish(folder, repo_id=REPO_ID, endpoint=hub.url)
    assert "v1.1.0" not in tags(hub) and main_commit(hub) == before
    outcome = publish(folder, repo_id=REPO_ID, endpoint=hub.url)
    assert outcome.plan.status == "commit" and tags(hub)["v1.1.0"] == main_commit(hub) == outcome.commit


def test_a_failed_tag_is_completed_by_a_retry_without_a_second_commit(build_folder, hub, tmp_path):
    folder = build_folder(tmp_path / "a", "1.0.0")
    hub.fail_next("POST", r"/tag/", status=503)
    with pytest.raises(PublishError, match=r"E504 .*commit [0-9a-f]{40} is on main, but creating the tag v1.0.0"):
        publish(folder, repo_id=REPO_ID, endpoint=hub.url)
    assert tags(hub) == {}
    committed = main_commit(hub)
    outcome = publish(folder, repo_id=REPO_ID, endpoint=hub.url)
    assert outcome.plan.status == "tag" and outcome.commit == committed == main_commit(hub)
    assert tags(hub) == {"v1.0.0": committed}
    assert "an earlier run stopped before tagging it" in "\n".join(report_lines(outcome))


def test_a_push_between_plan_and_commit_is_not_overwritten(build_folder, hub, tmp_path):
    publish(build_folder(tmp_path / "a", "1.0.0"), repo_id=REPO_ID, endpoint=hub.url)
    folder = build_folder(tmp_path / "b", "1.1.0", docs=("three",))
    hub.before_next("POST", r"/commit/main$", lambda: hub.push(REPO_ID, {"NOTES.md": b"theirs"}))
    with pytest.raises(PublishError, match=r"E503 .*the Hub refused the commit: .*412"):
        publish(folder, repo_id=REPO_ID, endpoint=hub.url)
    assert "v1.1.0" not in tags(hub) and hub.files(REPO_ID)["NOTES.md"] == b"theirs"
    outcome = publish(folder, repo_id=REPO_ID, endpoint=hub.url)  # the new plan shows what it removes
    assert outcome.plan.delete == ("NOTES.md",) and "  delete  NOTES.md" in report_lines(outcome)
    assert "NOTES.md" not in hub.files(REPO_ID, "v1.1.0")


# --- what one commit contains --------------------------------------------------------------------

def test_files_of_the_previous_version_are_deleted_in_the_same_commit(build_folder, hub, tmp_path):
    publish(build_folder(tmp_path / "a", "1.0.0"), repo_id=REPO_ID, endpoint=hub.url)
    outcome = publish(build_folder(tmp_path / "b", "2.0.0", ner=False), repo_id=REPO_ID, endpoint=hub.url)
    assert outcome.plan.delete == ("ner/train-00000-of-00001.parquet",)
    assert set(hub.files(REPO_ID, "v2.0.0")) == {".gitattributes", "README.md", "manifest.json",
                                                 "documents/train-00000-of-00001.parquet"}
    assert "ner/train-00000-of-00001.parquet" in hub.files(REPO_ID, "v1.0.0")
    repo = hub.repo(REPO_ID)
    assert repo.commits[repo.tags["v2.0.0"]].parents == (repo.tags["v1.0.0"],)


def test_dry_run_lists_uploads_and_deletions_and_writes_nothing(build_folder, hub, tmp_path):
    publish(build_folder(tmp_path / "a", "1.0.0"), repo_id=REPO_ID, endpoint=hub.url)
    writes = len(hub.writes())
    outcome = publish(build_folder(tmp_path / "b", "2.0.0", ner=False), repo_id=REPO_ID, endpoint=hub.url, dry_run=True)
    lines = report_lines(outcome)
    assert "  would delete  ner/train-00000-of-00001.parquet" in lines
    assert any(line.startswith("  would upload  manifest.json") for line in lines)
    assert "commit message: Publish newsstance 2.0.0" in lines
    assert len(hub.writes()) == writes and "v2.0.0" not in tags(hub)


def test_dry_run_needs_no_token(build_folder, hub, tmp_path, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.delenv("HF_TOKEN")
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "no-token"))
    outcome = publish(build_folder(tmp_path / "a", "1.0.0"), repo_id=REPO_ID, endpoint=hub.url, dry_run=True)
    assert outcome.plan.create_repo and len(outcome.plan.upload) == 4 and hub.writes() == []


# --- the token and private repos -----------------------------------------------------------------

def test_without_a_token_publishing_is_refused(build_folder, hub, tmp_path, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.delenv("HF_TOKEN")
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "no-token"))
    with pytest.raises(PublishError, match=r"E505 .*no Hugging Face token found \(neither HF_TOKEN") as caught:
        publish(build_folder(tmp_path / "a", "1.0.0"), repo_id=REPO_ID, endpoint=hub.url)
    assert "fix: set HF_TOKEN to a token with write access, or run `hf auth login`" in str(caught.value)
    assert hub.writes() == []


def test_the_saved_login_is_used_and_never_printed(build_folder, hub, tmp_path):
    home = tmp_path / "hf-home"
    env = client_env(hub, home)  # no HF_TOKEN: only the saved login
    (home / "token").write_text(TOKEN)
    run = run_cli(["publish", "--repo-id", REPO_ID, "--folder", str(build_folder(tmp_path / "a", "1.0.0"))], env)
    assert run.returncode == 0, run.stderr
    assert "tagged v1.0.0" in run.stdout and TOKEN not in run.stdout + run.stderr


def test_a_refused_token_is_reported_without_the_token(build_folder, hub, tmp_path, monkeypatch):
    wrong = "hf_wrongTokenThatMustNotBePrinted"
    monkeypatch.setenv("HF_TOKEN", wrong)
    with pytest.raises(PublishError, match=r"E508 .*refused to create the dataset repo") as caught:
        publish(build_folder(tmp_path / "a", "1.0.0"), repo_id=REPO_ID, endpoint=hub.url)
    assert wrong not in str(caught.value)


def test_private_creates_a_private_repo(build_folder, hub, tmp_path):
    outcome = publish(build_folder(tmp_path / "a", "1.0.0"), repo_id=REPO_ID, private=True, endpoint=hub.url)
    assert hub.repo(REPO_ID).private and outcome.plan.private
    assert "the repo is private: loading it needs a token" in "\n".join(report_lines(outcome))
    anonymous = HfApi(endpoint=hub.url, token=False)
    with pytest.raises(Exception, match="Repository Not Found"):
        anonymous.repo_info(REPO_ID, repo_type="dataset")


def test_private_is_refused_for_an_existing_public_repo(build_folder, hub, tmp_path):
    publish(build_folder(tmp_path / "a", "1.0.0"), repo_id=REPO_ID, endpoint=hub.url)
    with pytest.raises(PublishError, match=r"E507 .*already exists and is public, but --private was given"):
        publish(build_folder(tmp_path / "b", "1.1.0", docs=("x",)), repo_id=REPO_ID, private=True, endpoint=hub.url)


def test_an_unreadable_repo_is_reported(build_folder, hub, tmp_path):
    hub.fail_next("GET", r"^/api/datasets/test-org/newsstance$", status=500)
    with pytest.raises(PublishError, match=r"E506 .*cannot read the repo on the Hub: .*500"):
        publish(build_folder(tmp_path / "a", "1.0.0"), repo_id=REPO_ID, endpoint=hub.url)


# --- the network guard (tests/conftest.py) -------------------------------------------------------

def test_the_network_guard_fails_a_test_that_reaches_out(tmp_path):
    shutil.copy(REPO / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_probe.py").write_text(textwrap.dedent("""\
        import socket, subprocess, sys

        def test_in_process():
            try:
                socket.create_connection(("192.0.2.1", 80), timeout=1)
            except OSError:
                pass  # swallowed, as a library might

        LOOKUP = "import socket\\ntry: socket.getaddrinfo('huggingface.co', 443)\\nexcept OSError: pass"

        def test_in_a_subprocess():
            subprocess.run([sys.executable, "-c", LOOKUP])

        def test_loopback_is_allowed():
            server = socket.create_server(("127.0.0.1", 0))
            socket.create_connection(server.getsockname()).close()
            server.close()
        """))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert "2 failed, 1 passed" in run.stdout, run.stdout
    assert "connection to ('192.0.2.1', 80)" in run.stdout and "name lookup of 'huggingface.co'" in run.stdout
