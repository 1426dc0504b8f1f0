"""`newsstance import`: a new annotator's kind from the option, from a question on a terminal, or none."""

from __future__ import annotations

import argparse
import io

from builder.cli.importing import kind_of


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
