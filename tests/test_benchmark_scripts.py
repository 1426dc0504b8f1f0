"""benchmarks/build_speed.py and benchmarks/build_profile.py run end to end on a tiny synthetic corpus:
the figures are not checked (they are measurements), what they compare is: the naive route makes
the build's `ner` rows, two workers make the same bytes as one, a rebuild the bytes of a clean build.

benchmarks/compiled_trial.py is tested up to the compiler (Cython is not a test dependency, and
compiling the builder takes minutes): what it compiles, the tree it exports, its refusals.
benchmarks/native_share.py is tested on py-spy frames as they come, one rule per test."""

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
    assert builder.pipeline.build_chunk.__module__ == "builder.speed.runner" and not hasattr(builder.pipeline.build_chunk,
                                                                                       "__wrapped__")  # put back


def test_compiled_trial_compiles_what_an_article_depends_on_and_the_main_loop():
    from builder.speed.cache import source_files
    script = load("compiled_trial")
    modules = script.modules_to_compile(REPO)
    article_modules = {f"builder/{path.name}" for path in source_files() if path.suffix == ".py"}
    assert modules == sorted(article_modules - {"builder/__init__.py"} | {"builder/pipeline.py", "builder/name_sort.py"})
    assert "builder/publish.py" not in modules  # not on the build's path


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="a git checkout is needed to export a revision")
def test_compiled_trial_exports_the_revision_as_a_one_commit_repository(tmp_path):
    script = load("compiled_trial")
    commit, tree = script.export_tree("HEAD", tmp_path)
    assert tree == tmp_path / f"compiled-{commit[:12]}"
    assert script.git("rev-list", "--count", "HEAD", cwd=tree) == "1"
    assert script.git("status", "--porcelain", cwd=tree) == ""  # its build_speed --baseline HEAD: these sources
    committed = subprocess.run(["git", "-C", str(REPO), "show", f"{commit}:builder/parallel.py"],
                               capture_output=True, check=True).stdout
    assert (tree / "builder" / "parallel.py").read_bytes() == committed


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="a git checkout is needed to export a revision")
def test_compiled_trial_names_an_unknown_revision(tmp_path):
    script = load("compiled_trial")
    with pytest.raises(script.TrialError, match=r"--revision no-such-revision: not a commit of .*fatal: .*\); pass a "
                                                 r"commit, branch or tag of this repository"):
        script.export_tree("no-such-revision", tmp_path)
    assert not any(tmp_path.iterdir())


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="a git checkout is needed to export a revision")
def test_compiled_trial_checks_that_the_compiled_module_is_the_one_loaded(tmp_path):
    pytest.importorskip("Cython")  # not a test dependency: this runs where the trial is run
    script = load("compiled_trial")
    _, tree = script.export_tree("HEAD", tmp_path)
    script.compile_in_place(tree, ["builder/name_sort.py"])
    assert list((tree / "builder").glob("name_sort.*.so"))


def test_compiled_trial_says_how_to_install_cython(monkeypatch, capsys, tmp_path):
    script = load("compiled_trial")
    monkeypatch.setitem(sys.modules, "Cython", None)  # import Cython raises ImportError
    assert script.main(["--work", str(tmp_path)]) == 2
    assert "pip install 'cython" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())  # refused before exporting anything


# py-spy record --native frames as they come, from the builder's build() down (the outer frames cut)
BUILD = "build (builder/pipeline.py:303);build_frozen (builder/pipeline.py:321);run_articles (builder/pipeline.py:251)"
TOKENIZE = BUILD + ";check_article (builder/validate.py:412);tokenize (builder/align.py:170)"


def place(tail: str) -> str:
    return load("native_share").sample_place(f"{BUILD};{tail}".split(";"))


def test_native_share_charges_cpython_to_the_builder_code_that_called_it():
    assert place("read_files (builder/inputs.py:238);read_bytes (builder/inputs.py:223);"
                 "PyBytes_FromStringAndSize (libpython3.11.so.1.0);Py_DECREF (object.h:537);malloc (libc.so.6)"
                 ) == "builder"
    assert place("tokenize (builder/align.py:202);__create_fn__.<locals>.__init__ (<string>:8)"
                 ) == "builder"  # a dataclass's generated __init__ is the record's own code


def test_native_share_charges_a_library_with_what_it_calls_back_into_cpython():
    assert place("tokenize (builder/align.py:170);__call__ (tokenizer.cpp:27286);"
                 "Tokenizer__tokenize_affixes (tokenizer.cpp:27729);sre_ucs1_match (libpython3.11.so.1.0)") == "spaCy"
    assert place("columns_to_batch (builder/arrow.py:79);array (pyarrow/lib.cpython-311-x86_64-linux-gnu.so);"
                 "arrow::py::ConvertPySequence (pyarrow/libarrow_python.so.2600);malloc (libc.so.6)") == "pyarrow"
    assert place("tokenize (builder/align.py:173);array_astype "
                 "(numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so)") == "numpy"
    assert place("decode_annotation (builder/annotations.py:254);"
                 "JSONDecoder_decode (msgspec/_core.cpython-311-x86_64-linux-gnu.so)") == "msgspec"
    assert place("input_files (builder/parallel.py:218);_hashlib_openssl_sha256 (_hashopenssl.c.h:427);"
                 "SHA256_Update (libcrypto.so.3)") == "hashing"


def test_native_share_charges_the_innermost_builder_frame_not_the_outermost():
    # the builder calls collections, which calls back into the builder, which is in numpy
    assert place("add_counts (builder/pipeline.py:94);Counter.update (collections/__init__.py:690);"
                 "__hash__ (builder/records.py:20);cumsum (numpy/_core/fromnumeric.py:2914)") == "numpy"


def test_native_share_knows_the_standard_library_in_python_and_in_c():
    assert place("Totals.add (builder/pipeline.py:87);Counter.__init__ (collections/__init__.py:598)") == "stdlib"
    assert place("sorted_inputs (builder/pipeline.py:221);PurePath.__str__ (pathlib.py:509)") == "stdlib"
    assert place("entity_tags (builder/views.py:133);_bisect_bisect_left (_bisectmodule.c.h:243);"
                 "internal_bisect_left (_bisectmodule.c:176)") == "stdlib"


def test_native_share_counts_system_calls_whoever_asked():
    assert place("read_files (builder/inputs.py:238);os_read (libpython3.11.so.1.0);read (libc.so.6)") == "system calls"


def test_native_share_counts_the_one_time_set_up_apart():
    assert place("tokenize (builder/align.py:168);pipeline (builder/align.py:42);blank (spacy/__init__.py:102);"
                 "Language.__init__ (spacy/language.py:224)") == "set-up"


def test_native_share_reports_shares_of_the_per_article_work(tmp_path, capsys):
    script = load("native_share")
    profile = tmp_path / "build.raw"
    profile.write_text("\n".join([
        f"<module> (newsstance:8);{TOKENIZE};__call__ (tokenizer.cpp:27286) 6",
        f"<module> (newsstance:8);{BUILD};records (builder/annotations.py:241) 2",
        f"<module> (newsstance:8);{TOKENIZE};pipeline (builder/align.py:42);blank (spacy/__init__.py:102) 5",
        "<module> (newsstance:5);_find_and_load (<frozen importlib._bootstrap>:1176);"
        "PyInit_lib (pyarrow/lib.cpython-311-x86_64-linux-gnu.so) 50",  # an import: outside the build
    ]) + "\n", encoding="utf-8")
    assert script.main([str(profile)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "8 samples inside the build, without 5 of one-time set-up",
        "spaCy                          6   75.0%",
        "builder                        2   25.0%",
        "all but builder                6   75.0%",
    ]


def test_native_share_refuses_a_profile_without_native_frames(tmp_path, capsys):
    profile = tmp_path / "build.raw"
    profile.write_text(f"{TOKENIZE};Tokenizer.__call__ (spacy/tokenizer.pyx:150) 9\n", encoding="utf-8")
    assert load("native_share").main([str(profile)]) == 1
    assert "record the profile with py-spy record --native" in capsys.readouterr().err


def test_native_share_says_when_no_sample_is_inside_the_build(tmp_path, capsys):
    profile = tmp_path / "build.raw"
    profile.write_text("<module> (newsstance:5);PyInit_lib (pyarrow/lib.cpython-311-x86_64-linux-gnu.so) 50\n",
                       encoding="utf-8")
    assert load("native_share").main([str(profile)]) == 1
    assert "no sample inside the build" in capsys.readouterr().err


def test_compiled_trial_names_the_builder_not_the_exported_tree_in_the_table():
    table = ("builder: 1111111111aaaa+changes\n"
             "build, 1 worker        25.67 s\n"
             "baseline 1111111111, 1 worker        27.12 s  same bytes: True")
    assert load("compiled_trial").named_in_table(table, "1111111111aaaa", "2222222222bbbb", "3.3.1").splitlines() == [
        "builder: 2222222222bbbb, compiled with Cython 3.3.1",
        "build, 1 worker        25.67 s",
        "baseline 2222222222, 1 worker        27.12 s  same bytes: True"]
