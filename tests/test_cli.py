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
    for command in ("validate", "build", "stats", "agreement", "evaluate", "import", "export", "publish", "verify"):
        assert f"    {command}" in result.stdout


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
