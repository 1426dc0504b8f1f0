"""How much of a build runs in the Python interpreter, and how much in compiled libraries: the samples
of a ``py-spy record --native`` profile, by where each sample was.

    .venv/bin/pip install py-spy                 # for this profile only: not a dependency of newsstance
    C=benchmarks/_work/speed/corpus-2000-seed0   # made by build_speed.py or build_profile.py --articles 2000
    .venv/bin/py-spy record --native -r 200 -f raw -o build.raw -- .venv/bin/newsstance build --no-cache \\
        --no-progress --corpus $C/corpus --annotations $C/annotations --card $C/DATASET_CARD.md \\
        --benchmarks $C/no-results --output /tmp/newsstance-profiled
    .venv/bin/python benchmarks/native_share.py build.raw

Only samples inside the build count (a frame ``build (builder/pipeline.py:...)`` on the stack:
imports are left out). Each sample is charged to what the innermost frame of the builder's own
code (``builder/``) was calling at that moment:
- **builder**: nothing but CPython itself: the builder's bytecode and the object operations it asks
  for (dicts, lists, strings, allocation). This is all that compiling the builder could make faster;
- **a library**: spaCy (its tokenizer and what that calls, regular expressions included), pyarrow
  (Arrow, Parquet, zstd), numpy, msgspec, hashing (``hashlib``), jsonschema, or ``other`` library code;
- **stdlib**: Python's standard library written in Python (``dataclasses``, ``collections``, ``json``).
- **system calls**: the kernel's share, whoever asked (``read``, ``write``, ``stat``, ``open``...).
The rest of the C and C++ runtime (``malloc``, ``memcpy``) counts for whoever called it.

Everything but ``builder`` is what the build would still cost if the builder's own Python took no
time at all. Unwinding native stacks slows the process several times over, and not evenly: between
profiles of the same build the libraries' shares moved by up to ten points, so read the split
between ``builder`` and the rest, not the order of the libraries.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

BUILD_FRAME = "build (builder/pipeline.py:"
PLACE = re.compile(r"\(([^()]*)\)$")  # py-spy's frame: "function (file.py:line)" or "function (library.so)"
PYTHON_FILE = re.compile(r"\.py:\d+$|^<")
CPYTHON = re.compile(r"^(libpython|python3)|^(\w+object|object|pycore_\w+)\.h:")
RUNTIME = ("libc.so", "libstdc++", "libgcc_s", "ld-linux", "libm.so")
SYSTEM_CALLS = {"read", "write", "pread64", "pwrite64", "open64", "__open64_nocancel", "close", "__close_nocancel",
                "fstat", "__fstat64", "stat", "__stat64", "statx", "fstatat64", "lseek64", "openat64", "getdents64",
                "unlink", "rename", "mkdir", "rmdir", "fsync", "fdatasync", "mmap64", "munmap", "madvise"}
LIBRARIES = (  # (name, pattern over a frame's file or library): the first match names it
    ("spaCy", re.compile(r"^(spacy|thinc|cymem|preshed|murmurhash|srsly|blis)/|/(spacy|thinc|cymem|preshed)/|\.cpp:\d+$")),
    ("pyarrow", re.compile(r"arrow|parquet|^lib\.cpython")),
    ("numpy", re.compile(r"numpy|_multiarray")),
    ("msgspec", re.compile(r"msgspec|^_core\.cpython")),
    ("hashing", re.compile(r"libcrypto|_hashopenssl|^hashlib")),
    ("jsonschema", re.compile(r"jsonschema|referencing")),
)


def frame_kind(frame: str) -> str:
    """``builder``, ``cpython``, ``runtime``, a library's name, ``stdlib`` or ``other``."""
    found = PLACE.search(frame)
    where = found.group(1) if found else ""
    name = where.rsplit("/", 1)[-1]
    if where.startswith("builder/"):
        return "builder"
    if CPYTHON.search(name):
        return "cpython"
    if name.startswith(RUNTIME):
        return "runtime"
    library = next((library for library, pattern in LIBRARIES if pattern.search(where)), None)
    if library:
        return library
    if PYTHON_FILE.search(where):
        first = where.split("/", 1)[0]
        return "stdlib" if "/" not in where or first in STDLIB_PACKAGES else "other"
    return "other"


STDLIB_PACKAGES = {"collections", "json", "importlib", "email", "concurrent", "multiprocessing", "asyncio",
                   "encodings", "urllib", "xml", "logging", "unittest", "http", "ctypes", "re"}


def sample_place(stack: list[str]) -> str:
    """``system calls`` if the sample is in one; else what the builder's innermost frame was calling:
    the first frame inside it that is neither CPython nor the C runtime, or ``builder`` if there is none."""
    kinds = [frame_kind(frame) for frame in stack]
    if kinds and kinds[-1] == "runtime" and stack[-1].split(" (")[0] in SYSTEM_CALLS:
        return "system calls"
    if "builder" not in kinds:
        return "other"
    innermost = len(kinds) - 1 - kinds[::-1].index("builder")
    return next((kind for kind in kinds[innermost + 1:] if kind not in ("cpython", "runtime")), "builder")


def shares(lines: list[str]) -> tuple[int, Counter]:
    """Samples inside a build, and how many of them fell in each place (py-spy's raw format: the
    frames joined by ``;``, a space, the count)."""
    places: Counter = Counter()
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if BUILD_FRAME in stack:
            places[sample_place(stack.split(";"))] += int(count)
    return sum(places.values()), places


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path, help="a py-spy raw profile (record -f raw --native)")
    args = parser.parse_args(argv)
    total, places = shares(args.profile.read_text(encoding="utf-8").splitlines())
    if not total:
        print(f"{args.profile}: no sample inside the build (no frame '{BUILD_FRAME}...')", file=sys.stderr)
        return 1
    print(f"{total} samples inside the build")
    for place, count in sorted(places.items(), key=lambda item: (-item[1], item[0])):
        print(f"{place:24s}{count:8d}  {count / total:6.1%}")
    outside = total - places["builder"]
    print(f"{'all but builder':24s}{outside:8d}  {outside / total:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
