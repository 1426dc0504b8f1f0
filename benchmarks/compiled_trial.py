"""Would compiling the builder close the speed gap? The builder's modules compiled to C with Cython,
measured against the same sources interpreted, side by side in one run.

    .venv/bin/pip install 'cython>=3.3,<4'      # for this trial only: not a dependency of newsstance
    .venv/bin/python benchmarks/compiled_trial.py --articles 2000 --repeat 3

The builder at ``--revision`` is exported (``git archive``) under ``benchmarks/_work/compiled/``
and committed there as a one-commit repository; the modules of the build's path (``cache.source_files``,
the pipeline and what it imports) are compiled in place, as they are, with Cython's defaults except
that annotations are not taken as C types (the code's annotations are for readers and type checkers,
not for a compiler: ``set`` is annotated where a ``frozenset`` also arrives). That tree's own
``build_speed.py`` then measures its compiled builder against ``--baseline HEAD``, the same commit
interpreted, and checks that both write the same bytes. The entry goes into this repository's
``benchmarks/results/speed/results-<machine>.json`` as ``<N>-articles-cython-vs-interpreted@<commit>``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "benchmarks" / "_work"
RESULTS = REPO / "benchmarks" / "results" / "speed"
MAIN_PROCESS_MODULES = ("pipeline", "name_sort")  # besides cache.source_files(): the build's own loop

COMPILE = """
import sys
from Cython.Build import cythonize
from setuptools import setup
setup(ext_modules=cythonize(sys.argv[1:], language_level=3, quiet=True, nthreads=2,
                            compiler_directives={"annotation_typing": False}),
      script_args=["build_ext", "--inplace", "--build-temp", "build/cython"])
"""


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def export_tree(revision: str, work: Path) -> tuple[str, Path]:
    """``revision`` of this repository as a fresh one-commit repository under ``work``."""
    commit = git("rev-parse", "--verify", f"{revision}^{{commit}}", cwd=REPO)
    tree = work / f"compiled-{commit[:12]}"
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    git("init", "-q", cwd=tree)
    git("add", "-A", cwd=tree)
    git("-c", "user.name=compiled_trial", "-c", "user.email=trial@localhost", "commit", "-q", "-m",
        f"{commit} as exported", cwd=tree)
    return commit, tree


def modules_to_compile(tree: Path) -> list[str]:
    """The build's path: the modules an article's result depends on, and the main process's loop."""
    listed = subprocess.run([sys.executable, "-c", "from builder.cache import source_files\n"
                             "print('\\n'.join(p.name for p in source_files()))"],
                            cwd=tree, capture_output=True, text=True, check=True).stdout.split()
    names = [name[:-3] for name in listed if name.endswith(".py") and name != "__init__.py"]
    return [f"builder/{name}.py" for name in sorted(set(names) | set(MAIN_PROCESS_MODULES))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, interleaved (default: %(default)s)")
    parser.add_argument("--revision", default="HEAD", help="the builder to compile (default: %(default)s)")
    parser.add_argument("--work", type=Path, default=WORK, help="where the tree, corpus and builds go (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        import Cython  # noqa: F401 - only to say how to install it
    except ImportError:
        print("Cython is not installed: .venv/bin/pip install 'cython>=3.3,<4'", file=sys.stderr)
        return 2

    commit, tree = export_tree(args.revision, args.work / "compiled")
    modules = modules_to_compile(tree)
    print(f"compiling {len(modules)} modules of {commit[:10]} with Cython (a few minutes)", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-c", COMPILE, *modules], cwd=tree, check=True, stdout=subprocess.DEVNULL)
    missing = [m for m in modules if not list((tree / m).parent.glob(Path(m).stem + ".*.so"))]
    if missing:
        raise SystemExit(f"not compiled: {missing}")

    with tempfile.TemporaryDirectory() as results:
        subprocess.run([sys.executable, str(tree / "benchmarks" / "build_speed.py"), "--articles", str(args.articles),
                        "--repeat", str(args.repeat), "--skip", "floor,naive,parallel", "--baseline", "HEAD",
                        "--work", str(args.work / "speed"), "--results", results], check=True)
        (written,) = Path(results).glob("results-*.json")
        (entry,) = json.loads(written.read_text(encoding="utf-8")).values()
    shutil.rmtree(args.work / "speed" / f"baseline-{git('rev-parse', 'HEAD', cwd=tree)[:12]}", ignore_errors=True)

    speedup = entry["speedup_over_baseline"]
    same = entry["baseline"]["same_bytes"]
    print(f"compiled ({len(modules)} modules) over interpreted, same commit {commit[:10]}: {speedup:.2f}x, "
          f"same bytes: {same}")
    entry |= {"compiled_modules": modules, "interpreted_commit": commit,
              "note": "'build' is the builder compiled with Cython; 'baseline' is the same commit interpreted"}
    target = RESULTS / written.name
    existing = json.loads(target.read_text(encoding="utf-8")) if target.is_file() else {}
    existing[f"{args.articles}-articles-cython-vs-interpreted@{commit[:7]}"] = entry
    target.write_text(json.dumps(existing, indent=2) + "\n", encoding="utf-8")
    print(f"results: {target}", file=sys.stderr)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
