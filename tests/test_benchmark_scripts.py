"""benchmarks/build_speed.py and benchmarks/build_profile.py run end to end on a tiny synthetic corpus:
the figures are not checked (they are measurements), what they compare is: the naive route makes
the build's `ner` rows, two workers make the same bytes as one, a rebuild the bytes of a clean build."""

import importlib.util
import json

import pytest

from conftest import REPO


def load(name):
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_speed_compares_like_with_like(tmp_path):
    script = load("build_speed")
    assert script.main(["--articles", "12", "--workers", "2", "--repeat", "1", "--incremental", "--work",
                        str(tmp_path / "work"), "--results", str(tmp_path / "results"), "--machine", "test"]) == 0
    results = json.loads((tmp_path / "results" / "results-test.json").read_text(encoding="utf-8"))
    [name] = results  # one entry, named by the kind of run and the commit measured
    assert name.startswith("12-articles-incremental@")
    run = results[name]
    assert run["naive_datasets_route"]["same_rows_as_build"] is True
    assert run["parallel_identical_output"] is True
    assert run["incremental"]["identical_to_clean_build"] and run["incremental"]["cold_identical_to_uncached"]
    for key in ("build_over_floor", "naive_over_build", "parallel_speedup"):
        assert run[key] > 0 and key in run["table"]


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="a git checkout is needed for --baseline")
def test_build_speed_measures_a_baseline_revision_side_by_side(tmp_path):
    script = load("build_speed")
    assert script.main(["--articles", "6", "--repeat", "1", "--skip", "floor,naive,parallel", "--baseline", "HEAD",
                        "--work", str(tmp_path / "work"), "--results", str(tmp_path / "results"),
                        "--machine", "test"]) == 0
    [(name, run)] = json.loads((tmp_path / "results" / "results-test.json").read_text(encoding="utf-8")).items()
    assert name.startswith("6-articles-vs-HEAD@")
    assert run["baseline"]["same_bytes"] is True and len(run["baseline"]["commit"]) == 40
    assert run["builder_commit"].startswith(run["baseline"]["commit"])  # the measured tree is HEAD, maybe with changes
    assert run["speedup_over_baseline"] > 0


def test_build_profile_times_every_stage(tmp_path, capsys):
    script = load("build_profile")
    assert script.main(["--articles", "12", "--work", str(tmp_path / "work")]) == 0
    out = capsys.readouterr().out
    for _, module, name in script.STAGES:
        line = next(line for line in out.splitlines() if line.strip().startswith(f"{module.split('.')[-1]}.{name} "))
        assert int(line.split()[1]) > 0, line  # called, so the timer sits where the build looks the function up
    assert out.splitlines()[-1].startswith("build ")
    import builder.pipeline
    assert builder.pipeline.build_chunk.__module__ == "builder.parallel" and not hasattr(builder.pipeline.build_chunk,
                                                                                       "__wrapped__")  # put back
