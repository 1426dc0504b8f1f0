"""Tests of `newsstance agreement` (builder/cli/agreement.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import builder
from builder.cli import main
from builder.errors import InputError
from factories import ARTICLE, annotation, default_entities, default_stances, write_annotation, write_article


@pytest.fixture()
def folders(tmp_path):
    corpus, annotations = tmp_path / "corpus", tmp_path / "annotations"
    write_article(corpus, "art1", ARTICLE)
    write_annotation(annotations, annotation("art1", ARTICLE, "team-a", entities=default_entities(),
                                             stances=default_stances()))
    write_annotation(annotations, annotation("art1", ARTICLE, "team-b", entities=default_entities(),
                                             stances=default_stances(kremlin="neutral")))
    return corpus, annotations


def test_cli_prints_the_table(folders, capsys):
    corpus, annotations = folders
    assert main(["agreement", "--corpus", str(corpus), "--annotations", str(annotations)]) == 0
    out = capsys.readouterr().out
    assert "Entities: exact-span F1" in out and "1.000" in out
    assert "art1" in out


def test_cli_prints_json(folders, capsys):
    corpus, annotations = folders
    assert main(["agreement", "--corpus", str(corpus), "--annotations", str(annotations), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["corpus"]["entities"]["f1"] == 1.0
    assert data["corpus"]["stances"]["kappa"]["items"] == 2
    assert data["corpus"]["debris"]["char_kappa"]["items"] == len(ARTICLE)


def test_cli_refuses_a_missing_annotations_folder(tmp_path):
    with pytest.raises(InputError, match=r"E706 .*annotations folder .*nowhere does not exist"):
        from builder.cli.agreement import run
        run(type("Args", (), {"annotations": str(tmp_path / "nowhere"), "corpus": str(tmp_path), "json": False})())
    assert main(["agreement", "--annotations", str(tmp_path / "nowhere")]) == 1


def test_cli_exits_1_on_annotation_problems(folders, capsys):
    corpus, annotations = folders
    (annotations / "team-a" / "art1.json").write_text("{", encoding="utf-8")
    assert main(["agreement", "--corpus", str(corpus), "--annotations", str(annotations)]) == 1
    assert "E001" in capsys.readouterr().err


def test_help_loads_no_heavy_library():
    """The command's module imports the readers and the coefficients inside run()."""
    code = ("import argparse, sys\n"
            "from builder.cli import agreement\n"
            "agreement.register(argparse.ArgumentParser().add_subparsers())\n"
            "print(' '.join(sorted({'spacy', 'datasets', 'pyarrow', 'numpy', 'krippendorff'} & set(sys.modules))))")
    root = str(Path(builder.__file__).parents[1])  # this checkout's builder, not an installed one
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": root}).stdout.split()
    assert loaded == []
