"""How much of a build is the builder's own Python, and how much the libraries it calls: the samples
of a ``py-spy record --native`` profile, charged to what the builder's code was calling.

    .venv/bin/pip install py-spy                 # for this profile only: not a dependency of newsstance
    C=benchmarks/_work/speed/corpus-2000-seed0   # made by build_speed.py or build_profile.py --articles 2000
    .venv/bin/py-spy record --native -r 200 -f raw -o build.raw -- .venv/bin/newsstance build --no-cache \\
        --no-progress --corpus $C/corpus --annotations $C/annotations --card $C/DATASET_CARD.md \\
        --benchmarks $C/no-results --output /tmp/newsstance-profiled
    .venv/bin/python benchmarks/native_share.py build.raw

Only samples inside the build count (a frame ``build (builder/pipeline.py:...)`` on the stack), and
the one-time set-up of a process (spaCy's pipeline, ``SETUP_FRAMES``) is counted apart, so that the
shares are those of the per-article work, which is what grows with the corpus. Each other sample is
charged to what the innermost frame of the builder's own code (``builder/``) was calling:
- **builder**: nothing but CPython: the builder's bytecode, the object operations it asks for (dicts,
  lists, strings, allocation) and the methods that ``dataclasses`` and ``namedtuple`` generated for its
  records. This is all that compiling the builder could make faster;
- **a library**: spaCy (its tokenizer and what that calls, regular expressions included), pyarrow
  (Arrow, Parquet, zstd), numpy, msgspec, hashing (``hashlib``), jsonschema, or ``other``;
- **stdlib**: Python's standard library (``collections``, ``json``, ``bisect``);
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
SETUP_FRAMES = ("pipeline (builder/align.py:", "sentence_punctuation (builder/align.py:")  # once per process
PLACE = re.compile(r"\(([^()]*)\)$")  # py-spy's frame: "function (file.py:line)" or "function (library.so)"
PYTHON_FILE = re.compile(r"\.py:\d+$")
GENERATED = "<string>"  # code made by exec: the dataclass and namedtuple methods of the records that use them
CPYTHON = re.compile(r"^(libpython|python3)|^(\w*object|pycore_\w+|\w+_impl)\.h:")
CPYTHON_MODULE = re.compile(r"^_?\w+(module)?\.c(\.h)?:\d+$")  # a standard library module written in C
RUNTIME = ("libc.so", "libstdc++", "libgcc_s", "ld-linux", "libm.so")
SYSTEM_CALLS = {"read", "write", "pread64", "pwrite64", "open64", "__open64_nocancel", "openat64", "close",
                "__close_nocancel", "fstat", "__fstat64", "stat", "__stat64", "statx", "fstatat64", "lseek64",
                "getdents64", "readdir64", "opendir", "closedir", "unlink", "rename", "mkdir", "rmdir", "fsync",
                "fdatasync", "mmap64", "munmap", "madvise"}
LIBRARIES = (  # (name, pattern over a frame's file or library): the first match names it
    ("spaCy", re.compile(r"^(spacy|thinc|cymem|preshed|murmurhash|srsly|blis)/")),
    ("pyarrow", re.compile(r"^pyarrow/")),
    ("numpy", re.compile(r"^numpy/")),
    ("msgspec", re.compile(r"^msgspec/")),
    ("hashing", re.compile(r"^libcrypto\.|^_hashopenssl\.c")),
    ("jsonschema", re.compile(r"^(jsonschema|jsonschema_rs|referencing|rpds)/")),
    ("spaCy", re.compile(r"^(tokenizer|vocab|doc|strings|lexeme|token|attrs|maps|cymem|matcher|phrasematcher)"
                         r"\.cpp:\d+$")),  # spaCy's Cython modules, named by their C++ source
)


def frame_kind(frame: str) -> str:
    """``builder``, ``cpython`` (CPython itself or code it generated), ``runtime``, a library's name,
    ``stdlib`` or ``other``."""
    found = PLACE.search(frame)
    where = found.group(1) if found else ""
    name = where.rsplit("/", 1)[-1]
    if where.startswith("builder/"):
        return "builder"
    if CPYTHON.search(name) or where.startswith(GENERATED):
        return "cpython"
    if name.startswith(RUNTIME):
        return "runtime"
    library = next((library for library, pattern in LIBRARIES if pattern.search(where)), None)
    if library:
        return library
    if PYTHON_FILE.search(where):
        top = where.split("/", 1)[0].split(":")[0].removesuffix(".py")
        return "stdlib" if top in sys.stdlib_module_names else "other"
    if where.startswith("<frozen ") or CPYTHON_MODULE.match(name):
        return "stdlib"
    return "other"


def sample_place(stack: list[str]) -> str:
    """``set-up`` or ``system calls`` if the sample is in one; else what the builder's innermost frame
    was calling: the first frame inside it that is neither CPython nor the C runtime, or ``builder``."""
    if any(frame.startswith(SETUP_FRAMES) for frame in stack):
        return "set-up"
    kinds = [frame_kind(frame) for frame in stack]
    if kinds[-1] == "runtime" and stack[-1].split(" (")[0] in SYSTEM_CALLS:
        return "system calls"
    if "builder" not in kinds:
        return "other"
    innermost = len(kinds) - 1 - kinds[::-1].index("builder")
    return next((kind for kind in kinds[innermost + 1:] if kind not in ("cpython", "runtime")), "builder")


def shares(lines: list[str]) -> Counter:
    """How many samples inside the build fell in each place (py-spy's raw format: the frames joined
    by ``;``, a space, the count)."""
    places: Counter = Counter()
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if BUILD_FRAME in stack:
            places[sample_place(stack.split(";"))] += int(count)
    return places


def is_native(lines: list[str]) -> bool:
    """Whether the profile has native frames (``record --native``): a frame in a shared library."""
    return any(re.search(r"\([^()]*\.so[.\d]*\)[; ]", line) for line in lines)


def report(places: Counter) -> list[str]:
    """The table: each place's samples and share of the per-article work, set-up apart."""
    setup = places["set-up"]
    total = sum(places.values()) - setup
    lines = [f"{total} samples inside the build, without {setup} of one-time set-up"]
    for place, count in sorted(places.items(), key=lambda item: (-item[1], item[0])):
        if place != "set-up":
            lines.append(f"{place:24s}{count:8d}  {count / total:6.1%}")
    outside = total - places["builder"]
    lines.append(f"{'all but builder':24s}{outside:8d}  {outside / total:6.1%}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path, help="a py-spy raw profile (record -f raw --native)")
    args = parser.parse_args(argv)
    lines = args.profile.read_text(encoding="utf-8").splitlines()
    if not is_native(lines):
        print(f"{args.profile}: no native frames; record the profile with py-spy record --native", file=sys.stderr)
        return 1
    places = shares(lines)
    if sum(places.values()) == places["set-up"]:
        print(f"{args.profile}: no sample inside the build (no frame '{BUILD_FRAME}...')", file=sys.stderr)
        return 1
    print("\n".join(report(places)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
