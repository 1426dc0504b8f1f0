"""Would compiling the builder close the speed gap? The builder's modules compiled to C with Cython,
measured against the same sources interpreted, side by side in one run.

    .venv/bin/pip install 'cython>=3.3,<4'      # for this trial only: not a dependency of newsstance
    .venv/bin/python benchmarks/compiled_trial.py --articles 2000 --repeat 3

The builder at ``--revision`` is exported (``git archive``) under ``benchmarks/_work/compiled/`` and
committed there as a one-commit repository. The modules an article's result depends on
(``cache.source_files()``) and the main process's loop (``MAIN_PROCESS_MODULES``) are compiled in
place, as they are, with Cython's defaults except that annotations are not taken as C types (the
code's annotations are for readers and type checkers: ``set`` is annotated where a ``frozenset`` also
arrives). Each compiled module is checked to load from its compiled file. That tree's own
``build_speed.py`` then measures its compiled builder against ``--baseline HEAD``, the same commit
interpreted, and compares both outputs byte for byte. The entry goes into this repository's
``benchmarks/results/speed/results-<machine>.json`` as ``<N>-articles-cython-vs-interpreted@<commit>``.
The exported tree and its baseline are removed afterwards unless ``--keep``.

Exit codes: 0 done; 2 the trial cannot run (Cython is not installed, the revision is unknown, a
module did not compile); 3 the compiled builder wrote other bytes than the interpreted one.
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

LOADED_FROM = """
import importlib, sys
for name in sys.argv[1:]:
    print(importlib.import_module(name).__file__)
"""


class TrialError(Exception):
    """The trial cannot run: the message says why."""


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise TrialError(f"git {' '.join(args)} in {cwd}: {done.stderr.strip()}")
    return done.stdout.strip()


def export_tree(revision: str, work: Path) -> tuple[str, Path]:
    """``revision`` of this repository as a fresh one-commit repository under ``work``."""
    try:
        commit = git("rev-parse", "--verify", f"{revision}^{{commit}}", cwd=REPO)
    except TrialError as error:
        raise TrialError(f"--revision {revision}: not a commit of {REPO} ({error}); pass a commit, branch or tag "
                         f"of this repository") from None
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
    """The files an article's result depends on, and the main process's loop, as paths in ``tree``."""
    listed = subprocess.run([sys.executable, "-c", "from builder.speed.cache import source_files\n"
                             "print('\\n'.join(p.name for p in source_files()))"],
                            cwd=tree, capture_output=True, text=True, check=True).stdout.split()
    names = {name.removesuffix(".py") for name in listed if name.endswith(".py")} - {"__init__"}
    return [f"builder/{name}.py" for name in sorted(names | set(MAIN_PROCESS_MODULES))]


def compile_in_place(tree: Path, modules: list[str]) -> None:
    """Compile ``modules`` next to their sources; raises TrialError if one still loads from its source."""
    subprocess.run([sys.executable, "-c", COMPILE, *modules], cwd=tree, check=True, stdout=subprocess.DEVNULL)
    names = [module.removesuffix(".py").replace("/", ".") for module in modules]
    loaded = subprocess.run([sys.executable, "-c", LOADED_FROM, *names], cwd=tree, capture_output=True, text=True,
                            check=True).stdout.split()
    interpreted = [name for name, path in zip(names, loaded) if not path.endswith(".so")]
    if interpreted:
        raise TrialError(f"not compiled, still loaded from their sources: {', '.join(interpreted)}")


def trial(*, revision: str, articles: int, repeat: int, work: Path, keep: bool) -> dict:
    """The results entry of one trial (``build``: compiled; ``baseline``: the same commit interpreted)."""
    commit, tree = export_tree(revision, work / "compiled")
    tree_commit = git("rev-parse", "HEAD", cwd=tree)
    speed_work = work / "speed"
    try:
        modules = modules_to_compile(tree)
        print(f"compiling {len(modules)} modules of {commit[:10]} with Cython (a few minutes)", file=sys.stderr,
              flush=True)
        compile_in_place(tree, modules)
        with tempfile.TemporaryDirectory() as results:
            subprocess.run([sys.executable, str(tree / "benchmarks" / "build_speed.py"), "--articles", str(articles),
                            "--repeat", str(repeat), "--skip", "floor,naive,parallel", "--baseline", "HEAD",
                            "--work", str(speed_work), "--results", results], check=True)
            (written,) = Path(results).glob("results-*.json")
            (entry,) = json.loads(written.read_text(encoding="utf-8")).values()
    finally:
        if not keep:
            shutil.rmtree(tree, ignore_errors=True)
            shutil.rmtree(speed_work / f"baseline-{tree_commit[:12]}", ignore_errors=True)
    from Cython import __version__ as cython_version
    # build_speed named the exported tree's own commit; the builder measured is ``commit``
    entry["builder_commit"] = f"{commit} compiled with Cython {cython_version}"
    entry["baseline"] |= {"revision": revision, "commit": commit}
    entry["table"] = named_in_table(entry["table"], tree_commit, commit, cython_version)
    return entry | {"results_file": written.name, "compiled_modules": modules, "cython": cython_version,
                    "note": "'build_1_worker' is the builder compiled with Cython; 'baseline' is the same "
                            "commit interpreted"}


def named_in_table(table: str, tree_commit: str, commit: str, cython_version: str) -> str:
    """build_speed's table with the exported tree's commit replaced by the builder's own."""
    lines = [f"builder: {commit}, compiled with Cython {cython_version}" if line.startswith("builder: ") else line
             for line in table.splitlines()]
    return "\n".join(lines).replace(tree_commit[:10], commit[:10])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, interleaved (default: %(default)s)")
    parser.add_argument("--revision", default="HEAD", help="the builder to compile (default: %(default)s)")
    parser.add_argument("--work", type=Path, default=WORK,
                        help="where the tree, corpus and builds go (default: %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep the exported, compiled tree")
    args = parser.parse_args(argv)
    try:
        import Cython  # noqa: F401 - only to say how to install it
    except ImportError:
        print("Cython is not installed: .venv/bin/pip install 'cython>=3.3,<4'", file=sys.stderr)
        return 2
    try:
        entry = trial(revision=args.revision, articles=args.articles, repeat=args.repeat, work=args.work, keep=args.keep)
    except TrialError as error:
        print(f"compiled_trial: {error}", file=sys.stderr)
        return 2
    commit = entry["baseline"]["commit"]
    same = entry["baseline"]["same_bytes"]
    print(f"compiled ({len(entry['compiled_modules'])} modules) over interpreted, same commit {commit[:10]}: "
          f"{entry['speedup_over_baseline']:.2f}x, same bytes: {same}")
    target = RESULTS / entry.pop("results_file")
    existing = json.loads(target.read_text(encoding="utf-8")) if target.is_file() else {}
    existing[f"{args.articles}-articles-cython-vs-interpreted@{commit[:7]}"] = entry
    target.write_text(json.dumps(existing, indent=2) + "\n", encoding="utf-8")
    print(f"results: {target}", file=sys.stderr)
    return 0 if same else 3


if __name__ == "__main__":
    sys.exit(main())
