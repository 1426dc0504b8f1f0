"""Reading one input file safely: a regular file inside its folder, not over its size limit, checked before reading.

A path is read only if it resolves inside its folder (``corpus/``, ``annotations/``): a symbolic link that
leads elsewhere, a loop of links, a FIFO, a device or a folder is a coded error that prints neither the
target's content nor its hash. The file is opened without following a final link and without blocking
(a FIFO would wait for a writer forever), then ``fstat`` must say a regular file of at most the limit's
bytes, before one byte is read.
"""

from __future__ import annotations

import errno
import os
import stat
from functools import lru_cache

from builder.errors import InputError, problem
from builder.sources import limits

KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
         stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder", stat.S_IFLNK: "a symbolic link"}
FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def refuse(code: str, path: str, **fields) -> InputError:
    return InputError([problem(code, path, name=os.path.basename(path), **fields)])


def resolved_folder(folder: str) -> str:
    """The real path of a folder (its links resolved), once per folder and process."""
    return real_path(os.path.abspath(folder))


@lru_cache(maxsize=256)
def real_path(absolute: str) -> str:
    return os.path.realpath(absolute)


def inside(path: str, root: str) -> bool:
    real_root = resolved_folder(root)
    return path == real_root or path.startswith(real_root.rstrip(os.sep) + os.sep)


def stays_inside(path: str | os.PathLike, root: str | os.PathLike) -> bool:
    """Whether ``path`` (its folder and, if it is a link, its target) lies inside ``root``."""
    try:
        resolve(os.fspath(path), os.fspath(root))
        return True
    except (InputError, OSError, ValueError):
        return False


def resolve(path: str, root: str | None) -> str:
    """The path to open: ``path`` itself when neither it nor its folder is a link, else its target if that
    lies inside ``root``; E802 (outside), E804 (a loop) otherwise. No target is ever named."""
    folder = os.path.dirname(path) or "."
    if root is not None and not inside(resolved_folder(folder), root):
        raise refuse("E802", path, folder=root)
    try:
        if not stat.S_ISLNK(os.lstat(path).st_mode):
            return path
        real = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise refuse("E804", path) from None
        raise
    if root is not None and not inside(real, root):
        raise refuse("E802", path, folder=root)
    return real


def read_input(path: str | os.PathLike, root: str | os.PathLike | None, limit: str | None) -> bytes:
    """The bytes of the regular file ``path`` inside ``root`` (None: anywhere), at most the limit ``limit``
    (a name of ``limits.Limits``; None: no limit). OSError for a file that is missing or unreadable, as
    ``open`` gives it; InputError (E801-E804) for one refused."""
    path = os.fspath(path)
    real = resolve(path, None if root is None else os.fspath(root))
    try:
        fd = os.open(real, FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # the final link was swapped in after it was resolved
            raise refuse("E804", path) from None
        raise
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise refuse("E803", path, kind=KINDS.get(stat.S_IFMT(status.st_mode), "not a file"))
        bound = None if limit is None else getattr(limits.active(), limit)
        if bound is not None and status.st_size > bound:
            raise InputError([limits.breach(path, "the file", status.st_size, limit)])
        return read_all(fd, status.st_size, bound, path, limit)
    finally:
        os.close(fd)


def read_all(fd: int, size: int, bound: int | None, path: str, limit: str | None) -> bytes:
    """Everything from ``fd``; a file that grows past the limit while read is refused too."""
    parts = [os.read(fd, size + 1)]
    if len(parts[0]) == size:  # one byte short of what was asked: the end of the file
        return parts[0]
    total = len(parts[0])
    while parts[-1]:
        parts.append(os.read(fd, 1 << 20))
        total += len(parts[-1])
        if bound is not None and total > bound:
            raise InputError([limits.breach(path, "the file", total, limit)])
    return b"".join(parts)
