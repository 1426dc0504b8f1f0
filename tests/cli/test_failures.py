"""builder/cli/failures.py and main(): a failure of the operating system is a coded message, never a traceback."""

import errno
import os
import re

import pytest

from builder import cli
from builder.cli.failures import os_problem
from builder.errors import InputError


@pytest.mark.parametrize(("number", "expected"), [
    (errno.ENOSPC, r"E810 dist/x: no space left on the device while writing dist/x"),
    (errno.EROFS, r"E811 dist/x: dist/x cannot be written or read: Read-only file system"),
    (errno.EACCES, r"E811 dist/x: dist/x cannot be written or read: Permission denied"),
    (errno.ENOENT, r"E812 dist/x: dist/x vanished during the run \(No such file or directory\)"),
    (errno.EIO, r"E813 dist/x: the operating system refused an operation on dist/x: Input/output error"),
])
def test_each_failure_gets_its_code(number, expected):
    with pytest.raises(InputError, match=expected):
        raise InputError([os_problem(OSError(number, os.strerror(number), "dist/x"))])


def failing(exc):
    def run(args):
        raise exc
    return run


def test_main_words_an_os_error_and_exits_1(monkeypatch, capsys):
    parser = cli.make_parser()
    args = parser.parse_args(["stats"])
    args.func = failing(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "out.json"))
    monkeypatch.setattr(cli, "make_parser", lambda: type("P", (), {"parse_args": lambda self, argv: args})())
    assert cli.main(["stats"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsstance stats: E810 out.json: no space left") and "Traceback" not in err


def test_main_words_a_closed_stdout(monkeypatch, capsys):
    parser = cli.make_parser()
    args = parser.parse_args(["stats"])
    args.func = failing(BrokenPipeError(errno.EPIPE, "Broken pipe"))
    monkeypatch.setattr(cli, "make_parser", lambda: type("P", (), {"parse_args": lambda self, argv: args})())
    assert cli.main(["stats"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsstance stats: ") and "Traceback" not in err
    assert re.search(r"E817 <stdout>: standard output was closed before the command finished", err)
