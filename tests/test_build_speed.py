"""benchmarks/build_speed.py runs end to end on a tiny synthetic corpus: the figures are not checked
(they are measurements), what they compare is: the naive route makes the build's `ner` rows, two
workers make the same bytes as one, a rebuild the bytes of a clean build, a baseline revision the
bytes of this one."""

import json
import subprocess
import sys

import pytest

from benchmarks import build_speed
from conftest import REPO


def run(tmp_path, *argv):
    assert build_speed.main([*argv, "--repeat", "1", "--work", str(tmp_path / "work"),
                             "--results", str(tmp_path / "results"), "--machine", "test"]) == 0
    return json.loads((tmp_path / "results" / "results-test.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_build_speed_compares_like_with_like(tmp_path):
    results = run(tmp_path, "--articles", "12", "--workers", "2", "--incremental")
    [name] = results  # one entry, named by the kind of run and the commit measured
    assert name.startswith("12-articles-incremental@")
    entry = results[name]
    assert entry["naive_datasets_route"]["same_rows_as_build"] is True
    assert entry["parallel_identical_output"] is True
    assert entry["incremental"]["identical_to_clean_build"] and entry["incremental"]["cold_identical_to_uncached"]
    for key in ("build_over_floor", "naive_over_build", "parallel_speedup"):
        assert entry[key] > 0 and key in entry["table"]
    assert entry["build_1_worker"]["characters"] > 0


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="a git checkout is needed for --baseline")
@pytest.mark.slow
def test_build_speed_measures_a_baseline_revision_side_by_side(tmp_path):
    [(name, entry)] = run(tmp_path, "--articles", "6", "--skip", "floor,naive,parallel", "--baseline", "HEAD").items()
    assert name.startswith("6-articles-vs-HEAD@")
    assert entry["baseline"]["same_bytes"] is True and len(entry["baseline"]["commit"]) == 40
    assert entry["builder_commit"].startswith(entry["baseline"]["commit"])  # the measured tree is HEAD, maybe with changes
    assert entry["speedup_over_baseline"] > 0


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="a git checkout is needed for --baseline")
def test_the_baseline_builds_with_the_builder_of_its_own_revision(tmp_path):
    sha, tree = build_speed.baseline_tree("HEAD", tmp_path / "work")
    assert tree.name == f"baseline-{sha[:12]}"
    (tree / "builder" / "pipeline.py").write_text(  # a builder no other tree has
        "def build(config):\n    config.output_dir.mkdir()\n    (config.output_dir / 'baseline').touch()\n")
    result = build_speed.run_child("build", str(tmp_path / "corpus"), str(tmp_path / "out"), "1", "-", tree=tree)
    assert (tmp_path / "out" / "baseline").is_file() and result["seconds"] >= 0


def test_an_unknown_baseline_revision_is_named(tmp_path):
    with pytest.raises(SystemExit, match=r"--baseline no-such-revision: not a commit of "):
        build_speed.baseline_tree("no-such-revision", tmp_path)
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("command", [["-m", "benchmarks.build_speed"], ["benchmarks/build_speed.py"]])
def test_it_runs_as_a_module_and_as_a_file(command):
    help_text = subprocess.run([sys.executable, *command, "--help"], cwd=REPO, capture_output=True, text=True,
                               check=True).stdout
    assert "--baseline REV" in help_text
