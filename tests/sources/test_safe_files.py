"""Reading one input: a regular file inside its folder, within its limit, checked before a byte is read."""

import os
import re
import stat
from types import SimpleNamespace

import pytest

from builder.errors import InputError
from builder.sources import limits
from builder.sources.safe_files import read_input
from factories import ARTICLE


def test_read_input_reads_a_whole_file(tmp_path):
    path = tmp_path / "a1.txt"
    path.write_bytes(ARTICLE.encode("utf-8"))
    assert read_input(str(path), tmp_path, "article_bytes") == ARTICLE.encode("utf-8")


def test_read_input_of_an_empty_file_is_empty(tmp_path):
    path = tmp_path / "a1.txt"
    path.write_bytes(b"")
    assert read_input(path, tmp_path, None) == b""


def test_read_input_reads_a_file_larger_than_one_read(tmp_path, monkeypatch):
    data = bytes(range(256)) * 3
    path = tmp_path / "a1.txt"
    path.write_bytes(data)
    read, calls = os.read, []
    monkeypatch.setattr(os, "read", lambda fd, n: calls.append(n) or read(fd, min(n, 100)))  # a short read
    assert read_input(path, tmp_path, None) == data and len(calls) > 1


@pytest.mark.parametrize("told", [0, len("short"), 10_000], ids=["size unknown", "file grew", "file shrank"])
def test_read_input_takes_the_size_the_system_tells_as_a_hint_only(tmp_path, monkeypatch, told):
    data = ARTICLE.encode("utf-8")
    path = tmp_path / "a1.txt"
    path.write_bytes(data)
    monkeypatch.setattr(os, "fstat", lambda fd: SimpleNamespace(st_size=told, st_mode=stat.S_IFREG | 0o644))
    assert read_input(path, tmp_path, None) == data


def test_read_input_of_a_missing_file_raises_os_error(tmp_path):
    path = tmp_path / "a1.txt"
    with pytest.raises(FileNotFoundError, match=re.escape(str(path))):
        read_input(path, tmp_path, None)


def test_read_input_of_a_folder_is_refused_and_closed(tmp_path):
    (tmp_path / "sub").mkdir()
    before = len(os.listdir("/proc/self/fd"))
    with pytest.raises(InputError, match=r"E803 .*sub: sub is not a regular file but a folder"):
        read_input(tmp_path / "sub", tmp_path, None)
    assert len(os.listdir("/proc/self/fd")) == before


def test_read_input_refuses_a_fifo_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "y.txt")
    with pytest.raises(InputError, match=r"E803 .*y.txt is not a regular file but a FIFO"):
        read_input(tmp_path / "y.txt", tmp_path, "article_bytes")


def test_read_input_refuses_a_device(tmp_path):
    (tmp_path / "y.txt").symlink_to("/dev/zero")  # a link out of the folder is refused first
    with pytest.raises(InputError, match=r"E802 .*y.txt is a symbolic link that leads outside"):
        read_input(tmp_path / "y.txt", tmp_path, "article_bytes")
    with pytest.raises(InputError, match=r"E803 .*zero is not a regular file but a character device"):
        read_input("/dev/zero", None, "article_bytes")


def test_read_input_refuses_a_link_out_of_its_folder_and_names_no_target(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "y.txt").symlink_to(secret)
    with pytest.raises(InputError, match=r"E802 ") as raised:
        read_input(tmp_path / "corpus" / "y.txt", tmp_path / "corpus", "article_bytes")
    assert "secret" not in str(raised.value) and "root:x" not in str(raised.value)


def test_read_input_refuses_a_file_in_a_linked_folder_out_of_the_root(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "a1.json").write_text("{}")
    (tmp_path / "annotations").mkdir()
    (tmp_path / "annotations" / "team-x").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(InputError, match=r"E802 .*a1.json is a symbolic link that leads outside"):
        read_input(tmp_path / "annotations" / "team-x" / "a1.json", tmp_path / "annotations", None)


def test_read_input_follows_a_link_that_stays_inside(tmp_path):
    (tmp_path / "a1.txt").write_text("text")
    (tmp_path / "a2.txt").symlink_to(tmp_path / "a1.txt")
    assert read_input(tmp_path / "a2.txt", tmp_path, None) == b"text"


def test_read_input_refuses_a_loop_of_links(tmp_path):
    (tmp_path / "y.txt").symlink_to(tmp_path / "z.txt")
    (tmp_path / "z.txt").symlink_to(tmp_path / "y.txt")
    with pytest.raises(InputError, match=r"E804 .*y.txt is a loop of symbolic links"):
        read_input(tmp_path / "y.txt", tmp_path, None)


def test_read_input_refuses_a_file_over_its_limit_before_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "a1.txt"
    path.write_bytes(b"x" * 101)
    monkeypatch.setattr(limits, "_active", [limits.Limits(article_bytes=100)])
    monkeypatch.setattr(os, "read", lambda fd, n: pytest.fail("read before the size was checked"))
    with pytest.raises(InputError, match=r"E801 .*the file is 101 bytes, over the limit article_bytes = 100"):
        read_input(path, tmp_path, "article_bytes")
