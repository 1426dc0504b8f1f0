"""`newsstance import`: the --language of new articles is checked before anything is read or written; a new
annotator's kind comes from the option, from a question on a terminal, or is not given."""

from __future__ import annotations

import argparse
import io

import pytest

from builder.article.language import tokenizer_error
from builder.cli import main
from builder.cli.importing import kind_of
from factories import make_project


def import_argv(root, *extra):
    return ["import", "brat", str(root / "no-such-folder"), "--annotator", "team-a", "--corpus", str(root / "corpus"),
            "--annotations", str(root / "annotations"), "--new-articles", *extra]


@pytest.mark.parametrize("code, expected", [
    ("EN", "E020 --language: language 'EN' is not an ISO 639 code: two or three lowercase letters expected"),
    ("pt-BR", "E020 --language: language 'pt-BR' is not an ISO 639 code"),
    ("xx", "E021 --language: language 'xx' is not an ISO 639-1 code"),
    ("mol", "E021 --language: language 'mol' (Moldavian) was retired from ISO 639-3 on 2008-11-03; it was replaced by 'ron'"),
])
def test_a_code_that_is_not_iso_639_is_refused_with_its_fix(tmp_path, capsys, code, expected):
    root = make_project(tmp_path)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    assert main(import_argv(root, "--language", code)) == 2
    err = capsys.readouterr().err
    assert err.startswith(expected) and "fix: give the article's ISO 639-1 code" in err and "Traceback" not in err
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_a_language_whose_tokenizer_cannot_be_made_is_refused_at_import(tmp_path, capsys):
    if tokenizer_error("vi") is None:
        pytest.skip("pyvi is installed: spaCy's Vietnamese tokenizer can be made here")
    root = make_project(tmp_path)
    assert main(import_argv(root, "--language", "vi")) == 2
    assert capsys.readouterr().err.startswith("E022 --language: spaCy's Vietnamese tokenizer ('vi', for language 'vi')")


@pytest.mark.parametrize("code", ["pcm", "yo", "ig", "ha", "en", "yor"])
def test_iso_639_1_and_639_3_codes_pass_the_check(tmp_path, capsys, code):
    root = make_project(tmp_path)
    main(import_argv(root, "--language", code))  # goes on to read the (missing) folder
    assert "E02" not in capsys.readouterr().err


def test_the_option_gives_the_kind():
    assert kind_of(argparse.Namespace(annotator_kind="model"))("ls-2") == "model"


def test_without_a_terminal_nothing_is_asked(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("human\n"))
    assert kind_of(argparse.Namespace(annotator_kind=None))("ls-2") is None


def test_on_a_terminal_the_question_is_asked_until_a_kind_is_given(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdin", Terminal("robot\nhuman\n"))
    assert kind_of(argparse.Namespace(annotator_kind=None))("ls-2") == "human"
