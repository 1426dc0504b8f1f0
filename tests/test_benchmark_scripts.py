"""benchmarks/build_speed.py and benchmarks/build_profile.py run end to end on a tiny synthetic corpus:
the figures are not checked (they are measurements), what they compare is: the naive route makes
the build's `ner` rows, two workers make the same bytes as one, a rebuild the bytes of a clean build. benchmarks/compiled_trial.py is tested up to the compiler (Cython is
not a test dependency, and compiling takes minutes): what it compiles, the tree it exports, its refusal."""

import importlib.util
import json
import subprocess
import sys

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


def test_compiled_trial_compiles_the_modules_of_the_build_path():
    script = load("compiled_trial")
    modules = script.modules_to_compile(REPO)
    assert {"builder/parallel.py", "builder/pipeline.py", "builder/validate.py", "builder/write.py"} <= set(modules)
    assert "builder/__init__.py" not in modules and "builder/publish.py" not in modules  # not on the build's path
    assert modules == sorted(modules) and all((REPO / module).is_file() for module in modules)


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="a git checkout is needed to export a revision")
def test_compiled_trial_exports_the_revision_as_a_one_commit_repository(tmp_path):
    script = load("compiled_trial")
    commit, tree = script.export_tree("HEAD", tmp_path)
    assert tree == tmp_path / f"compiled-{commit[:12]}" and (tree / "builder" / "parallel.py").is_file()
    assert script.git("rev-list", "--count", "HEAD", cwd=tree) == "1"
    assert script.git("status", "--porcelain", cwd=tree) == ""  # so the tree's build_speed --baseline HEAD is these sources
    committed = subprocess.run(["git", "-C", str(REPO), "show", f"{commit}:builder/parallel.py"], capture_output=True,
                               check=True).stdout
    assert (tree / "builder" / "parallel.py").read_bytes() == committed


def test_compiled_trial_says_how_to_install_cython(monkeypatch, capsys, tmp_path):
    script = load("compiled_trial")
    monkeypatch.setitem(sys.modules, "Cython", None)  # import Cython raises ImportError
    assert script.main(["--work", str(tmp_path)]) == 2
    assert "pip install 'cython" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())  # refused before exporting anything


NATIVE_PROFILE = """\
<module> (build_profile.py:9);build (builder/pipeline.py:303);tokenize (builder/align.py:171);Tokenizer___call__ (spacy/tokenizer.cpython-311-x86_64-linux-gnu.so);sre_ucs1_match (libpython3.11.so.1.0) 7
<module> (build_profile.py:9);build (builder/pipeline.py:303);columns_to_batch (builder/arrow.py:79);lib_pyarrow_is_scalar (pyarrow/lib.cpython-311-x86_64-linux-gnu.so) 5
<module> (build_profile.py:9);build (builder/pipeline.py:303);check_set (builder/validate.py:88);PyDict_GetItem (libpython3.11.so.1.0);malloc (libc.so.6) 3
<module> (build_profile.py:9);build (builder/pipeline.py:303);records (builder/annotations.py:40) 2
<module> (build_profile.py:9);build (builder/pipeline.py:303);tokenize (builder/align.py:180);cumsum (numpy/_core/fromnumeric.py:2914);PyArray_ToList (numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so) 4
<module> (build_profile.py:9);build (builder/pipeline.py:303);Totals.add (builder/pipeline.py:87);Counter.update (collections/__init__.py:690) 1
<module> (build_profile.py:9);build (builder/pipeline.py:303);read_files (builder/inputs.py:120);read (libc.so.6) 2
<module> (build_profile.py:5);_find_and_load (<frozen importlib._bootstrap>:1176);<module> (spacy/__init__.py:6) 50
"""


def test_native_share_charges_each_sample_to_what_the_builder_was_calling(tmp_path, capsys):
    script = load("native_share")
    total, places = script.shares(NATIVE_PROFILE.splitlines())
    assert total == 24  # the import's 50 samples are outside the build
    # CPython and the C runtime count for the builder's own code that called them; a library's own
    # call into CPython (the tokenizer's regular expressions) counts for the library
    assert places == {"spaCy": 7, "pyarrow": 5, "builder": 3 + 2, "numpy": 4, "stdlib": 1, "system calls": 2}
    profile = tmp_path / "build.raw"
    profile.write_text(NATIVE_PROFILE, encoding="utf-8")
    assert script.main([str(profile)]) == 0
    out = capsys.readouterr().out
    assert "builder                        5   20.8%" in out and out.splitlines()[-1].split()[-1] == "79.2%"
    profile.write_text(NATIVE_PROFILE.splitlines()[-1] + "\n", encoding="utf-8")
    assert script.main([str(profile)]) == 1 and "no sample inside the build" in capsys.readouterr().err
