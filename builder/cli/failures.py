"""A failure of the operating system (an ``OSError`` no module words) -> its coded problem, for the CLI to print."""

from __future__ import annotations

import errno

from builder.errors import Problem, problem

CODES = {errno.ENOSPC: "E810", errno.EDQUOT: "E810", errno.EROFS: "E811", errno.EACCES: "E811",
         errno.EPERM: "E811", errno.ENOENT: "E812", errno.ESTALE: "E812"}


def os_problem(exc: OSError) -> Problem:
    """E810 (disk full), E811 (read-only, permission), E812 (a file vanished) or E813, naming the path."""
    path = exc.filename if exc.filename is not None else "the output or the cache (the system named no file)"
    return problem(CODES.get(exc.errno, "E813"), str(path), path=path, detail=exc.strerror or str(exc))
