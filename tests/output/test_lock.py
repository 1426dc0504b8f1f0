"""builder/output/lock.py: one build at a time per output; a lock nobody holds is taken."""

import os

import pytest

from builder.errors import InputError
from builder.output.lock import build_lock, lock_path


def test_the_lock_file_holds_the_pid_while_held_and_nothing_after(tmp_path):
    with build_lock(tmp_path / "dist" / "1.0.0") as path:
        assert path == lock_path(tmp_path / "dist" / "1.0.0") and path.read_text() == f"{os.getpid()}\n"
    assert path.read_text() == ""


def test_a_second_holder_is_refused_with_the_first_ones_pid(tmp_path):
    final = tmp_path / "dist" / "1.0.0"
    with build_lock(final):
        with pytest.raises(InputError, match=rf"E814 .*another build \(pid {os.getpid()}\) is running"):
            with build_lock(final, wait=0.2):
                pass


def test_a_lock_file_left_with_a_pid_but_no_holder_is_taken(tmp_path):
    final = tmp_path / "dist" / "1.0.0"
    lock_path(final).parent.mkdir(parents=True)
    lock_path(final).write_text("999999999\n")
    with build_lock(final, wait=0) as path:
        assert path.read_text() == f"{os.getpid()}\n"
