"""The `newsstance` command: exit codes and what it prints (the library is tested elsewhere)."""

import json
import subprocess
import sys

import pytest

from builder.cli import main
from factories import make_project


@pytest.fixture
def project(tmp_path, monkeypatch):
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_help_lists_every_command():
    result = subprocess.run([sys.executable, "-m", "builder.cli", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("init", "validate", "build", "stats", "agreement", "evaluate", "import", "export", "publish", "verify"):
        assert f"    {command}" in result.stdout


# --- `--help` loads no heavy library -----------------------------------------------------------

HEAVY = ("spacy", "datasets", "pyarrow")
COMMANDS = ("init", "validate", "build", "stats", "agreement", "evaluate", "import", "export", "publish", "verify")


def heavy_imports(*argv: str) -> dict[str, list[str]]:
    """Run ``newsstance ARGV`` under ``python -X importtime``; each heavy library it imports, as
    ``{command module or "": [import chain]}`` -- "" when no command module imported it."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "builder.cli", *argv],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    # a module's line follows the lines of the modules it imported, indented one step more
    lines = [line.rsplit("|", 1)[1] for line in result.stderr.splitlines()
             if line.startswith("import time:") and line.count("|") == 2]
    ancestors: dict[int, str] = {}
    found: dict[str, list[str]] = {}
    for field in reversed(lines):
        name = field.strip()
        depth = (len(field) - len(field.lstrip(" ")) - 1) // 2
        ancestors = {d: n for d, n in ancestors.items() if d < depth} | {depth: name}
        if name in HEAVY:
            chain = [ancestors[d] for d in sorted(ancestors)]
            owner = chain[0].removeprefix("builder.cli.") if chain[0].startswith("builder.cli.") else ""
            found.setdefault(owner, []).append(" > ".join(chain))
    return found


@pytest.mark.parametrize("argv", [(), *((c,) for c in COMMANDS)], ids=["newsstance", *COMMANDS])
def test_help_imports_no_heavy_library(argv):
    assert heavy_imports(*argv, "--help") == {}


def test_validate_does_not_import_datasets(project):
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "builder.cli", "validate"], cwd=project,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    imported = {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "spacy" in imported and "datasets" not in imported


def test_validate_ok_then_problems(project, capsys):
    assert main(["validate"]) == 0
    assert "no problems found" in capsys.readouterr().out
    path = project / "annotations" / "team-a" / "a1.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entities"][0]["label"] = "PER"
    data["entities"][1]["start"] += 1
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    assert "2 problem(s) of 2 kind(s)" in out and "[E105] 1 problem(s)" in out and "[E106] 1 problem(s)" in out


def test_build_prints_the_outputs(project, capsys):
    assert main(["build", "--output", "out", "--benchmarks", "none"]) == 0
    out = capsys.readouterr().out
    assert "built newsstance 1.0.0" in out and "documents/train-00000-of-00001.parquet" in out
    assert (project / "out" / "manifest.json").is_file()


def test_each_build_in_one_process_logs_its_line_once(project, capsys):
    for output in ("out", "out2"):
        assert main(["build", "--output", output, "--benchmarks", "none", "--no-cache"]) == 0
    assert capsys.readouterr().err.count("1 articles: 1 built") == 2  # not 1 + 2: the first handler is gone


def test_build_with_bad_input_exits_1_and_writes_nothing(project, capsys):
    (project / "corpus" / "a1.txt").write_text("changed\n", encoding="utf-8")
    assert main(["build", "--output", "out"]) == 1
    assert "E008" in capsys.readouterr().err
    assert not (project / "out").exists()


def test_stats(project, capsys):
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "articles: 1 (1 annotated)" in out and "entities (6): PERSON 3, DATE 1, GPE 1, ORG 1" in out


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["build", "--no-such-option"])
    assert caught.value.code == 2


@pytest.mark.parametrize("value", ["noslash", "a/b/c", "../x", "org/name.git", "-org/name", "org/", "org/name\n"])
def test_the_cli_refuses_a_malformed_repo_id(value, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["publish", f"--repo-id={value}", "--dry-run"])
    assert exited.value.code == 2 and "is not ORG/NAME" in capsys.readouterr().err
