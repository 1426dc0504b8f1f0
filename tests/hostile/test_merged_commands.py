"""Hostile inputs of the commands merged after the hostile-input work: hydrate, import brat/labelstudio, the card."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from factories import REPO
from hostile.running import assert_refused, dist_files, run_cli

PASSWD = Path("/etc/passwd")
ARTICLE_ID = "000_b81791b00934b5a0"


@pytest.fixture(scope="module")
def public_release(tmp_path_factory) -> Path:
    """The repository's corpus built as a public release (its one article withheld): dist/public."""
    root = tmp_path_factory.mktemp("public") / "project"
    root.mkdir()
    for name in ("corpus", "annotations"):
        shutil.copytree(REPO / name, root / name)
    shutil.copyfile(REPO / "DATASET_CARD.md", root / "DATASET_CARD.md")
    run = run_cli(root, "build", "--no-cache", "--no-progress", "--release", "public", "--output", "dist/public")
    assert run.code == 0, run.stderr[-2000:]
    return root


def hydrate(root: Path, texts: Path, output: Path, timeout: float = 120):
    return run_cli(root, "hydrate", "dist/public", "--texts", str(texts), "--output", str(output), timeout=timeout)


def assert_hydrate_refused(run, code: str, output: Path) -> None:
    told = run.stderr + run.stdout
    assert run.code == 1 and code in told, told[-2000:]
    assert "Traceback" not in told, told[-4000:]
    assert not output.exists()
    assert run.cpu_seconds < 60 and run.peak_rss_mb < 1500, (run.cpu_seconds, run.peak_rss_mb)


def test_hydrate_a_copy_linked_to_etc_passwd_is_refused_and_not_leaked(public_release, tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / f"{ARTICLE_ID}.txt").symlink_to(PASSWD)
    run = hydrate(public_release, texts, tmp_path / "out")
    assert_hydrate_refused(run, "E802", tmp_path / "out")
    assert "root:" not in run.stderr and hashlib.sha256(PASSWD.read_bytes()).hexdigest() not in run.stderr


def test_hydrate_a_fifo_as_copy_is_refused_without_blocking(public_release, tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    os.mkfifo(texts / f"{ARTICLE_ID}.txt")
    assert_hydrate_refused(hydrate(public_release, texts, tmp_path / "out", timeout=60), "E803", tmp_path / "out")


def test_hydrate_a_copy_linked_to_dev_zero_is_refused_in_bounded_memory(public_release, tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / f"{ARTICLE_ID}.txt").symlink_to("/dev/zero")
    (texts / "other.bin").symlink_to("/dev/zero")  # found by sha256: passed over, not read
    assert_hydrate_refused(hydrate(public_release, texts, tmp_path / "out"), "E802", tmp_path / "out")


def test_hydrate_a_copy_over_the_article_limit_is_refused_unread(public_release, tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    with open(texts / f"{ARTICLE_ID}.txt", "wb") as huge:
        huge.truncate(3 * 2 ** 30)  # sparse: 3 GB that cost no disk
    run = hydrate(public_release, texts, tmp_path / "out")
    assert_hydrate_refused(run, "E801", tmp_path / "out")
    assert "article_bytes" in run.stderr


def brat_export(project: Path, link_target: str | None = None, fifo: bool = False) -> Path:
    folder = project / "export"
    folder.mkdir()
    if fifo:
        os.mkfifo(folder / "x.txt")
    else:
        (folder / "x.txt").symlink_to(link_target)
    (folder / "x.ann").write_text("T1\tPERSON 0 4\troot\n", encoding="utf-8")
    return folder


def import_brat(project: Path, timeout: float = 120):
    return run_cli(project, "import", "brat", "export", "--annotator", "evil", "--annotator-kind", "human",
                   "--new-articles", "--language", "en", "--rights", "x", timeout=timeout)


def assert_nothing_imported(project: Path, run, code: str, before: dict[str, bytes]) -> None:
    assert_refused(run, code, project, before)
    assert not (project / "corpus" / "x.txt").exists() and not (project / "annotations" / "evil").exists()


def test_import_brat_a_text_linked_to_etc_passwd_is_refused_not_copied_into_the_corpus(project):
    before = dist_files(project)
    brat_export(project, str(PASSWD))
    run = import_brat(project)
    assert_nothing_imported(project, run, "E802", before)
    assert "root:" not in run.stderr + run.stdout


def test_import_brat_a_fifo_text_is_refused_without_blocking(project):
    before = dist_files(project)
    brat_export(project, fifo=True)
    assert_nothing_imported(project, import_brat(project, timeout=60), "E803", before)


def test_import_brat_a_text_linked_to_dev_zero_is_refused_in_bounded_memory(project):
    before = dist_files(project)
    brat_export(project, "/dev/zero")
    assert_nothing_imported(project, import_brat(project), "E802", before)


def test_import_labelstudio_an_export_over_its_limit_is_refused_before_it_is_parsed(project):
    before = dist_files(project)
    (project / "export.json").write_text(json.dumps([{"data": {"text": "a"}, "annotations": []}] * 100),
                                         encoding="utf-8")
    run = run_cli(project, "--limit", "import_file_bytes=1000", "import", "labelstudio", "export.json",
                  "--annotator", "a")
    assert_refused(run, "E801", project, before)
    assert "import_file_bytes" in run.stdout + run.stderr


def test_a_yaml_alias_bomb_in_the_card_front_matter_is_refused_at_once(project):
    before = dist_files(project)
    card = project / "DATASET_CARD.md"
    prose = card.read_text(encoding="utf-8")
    header, body = prose.split("---\n", 2)[1:] if prose.startswith("---\n") else ("", prose)
    bomb = "".join(f"x{i}: &a{i} [{', '.join([f'*a{i - 1}' if i else 'lol'] * 10)}]\n" for i in range(9))
    card.write_text(f"---\n{header}{bomb}---\n{body}", encoding="utf-8")
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E805", project, before, cpu=30)
    assert "DATASET_CARD.md" in run.stderr and "front matter" in run.stderr


def test_a_huge_card_is_refused_unread(project):
    before = dist_files(project)
    with open(project / "DATASET_CARD.md", "r+b") as card:
        card.truncate(3 * 2 ** 30)  # its prose, then 3 GB of NUL bytes that cost no disk
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E801", project, before, cpu=30)
    assert "card_bytes" in run.stderr


def test_three_concurrent_hydrates_into_one_output_end_complete_without_traceback(public_release, tmp_path):
    import subprocess
    import sys

    texts = tmp_path / "texts"
    texts.mkdir()
    shutil.copyfile(public_release / "corpus" / f"{ARTICLE_ID}.txt", texts / f"{ARTICLE_ID}.txt")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    argv = [sys.executable, "-m", "builder.cli", "hydrate", "dist/public", "--texts", str(texts),
            "--output", str(tmp_path / "out")]
    children = [subprocess.Popen(argv, cwd=public_release, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True) for _ in range(3)]
    results = [(child.wait(timeout=300), child.stderr.read()) for child in children]
    assert all(code == 0 or "E814" in err for code, err in results), results
    assert not any("Traceback" in err for _, err in results), results
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["release"]["hydrated_articles"] == [ARTICLE_ID]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []


def test_review_puts_back_a_site_left_between_its_two_renames_and_removes_leftovers(project):
    first = run_cli(project, "review", "--output", "site")
    assert first.code == 0, first.stderr
    (project / "site").rename(project / ".site.previous-999999")  # killed between the two renames
    (project / ".site.partial-999998").mkdir()  # killed while writing
    run = run_cli(project, "review", "--output", "site")
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr
    assert (project / "site" / "index.html").is_file()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site.")) == []
