"""A user's own copies of the withheld texts: found by name or by sha256, verified, every difference told.

A copy is taken only when its bytes have the sha256 the release recorded. Otherwise the copy named
``<article id>.txt`` is examined to say what differs: a byte-order mark (E902), CRLF line endings (E903,
and whether the LF text would match), other bytes (E904, with the lengths and the first block of
``block_chars`` characters whose hash differs), bytes that are not UTF-8 (E905); no copy at all is E901.
Every article is examined before anything is reported, so all problems come at once.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from builder.errors import InputError, Problem, excerpt_around, problem
from builder.release.withhold import BLOCK_CHARS, block_hashes
from builder.sources.safe_files import read_input

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Expected:
    """What the release records of a withheld article's raw text (an entry of hydration.json)."""

    article_id: str
    url: str | None
    raw_sha256: str
    raw_length: int
    blocks: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.article_id}.txt"

    @classmethod
    def of(cls, entry: Mapping) -> Expected:
        return cls(entry["id"], entry.get("url"), entry["raw_sha256"], entry["raw_length"], tuple(entry["block_sha256"]))


@dataclass(frozen=True, slots=True)
class Copies:
    """The verified texts by article id, the articles with no copy, and the problems of the others."""

    texts: dict[str, str]
    missing: tuple[str, ...]
    problems: tuple[Problem, ...] = field(default=())


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_copy(path: Path, folder: Path) -> bytes:
    """The bytes of a copy: a regular file inside ``folder`` of at most ``article_bytes`` (else InputError
    E801-E804, which names neither the content nor the hash of what a link leads to)."""
    return read_input(path, folder, "article_bytes")


def by_sha256(folder: Path) -> dict[str, Path]:
    """Every readable copy under ``folder`` by the sha256 of its bytes (the first in name order wins); a link
    out of the folder, a FIFO, a device or a file over the limit is passed over (``<id>.txt`` is then told)."""
    found: dict[str, Path] = {}
    for path in sorted(Path(folder).rglob("*")):
        try:
            found.setdefault(sha256_of(read_copy(path, folder)), path)
        except (InputError, OSError):
            continue
    return found


def matches(data: bytes, expected: Expected, changed: str) -> str:
    """What the message adds when ``data`` (the copy, ``changed``) has the recorded sha256."""
    return f" ({changed}, the copy is the right text)" if sha256_of(data) == expected.raw_sha256 else ""


def first_difference(text: str, expected: Expected) -> tuple[int, int]:
    """The block of characters ``[start, end)`` where ``text`` first differs from the recorded text."""
    ours = block_hashes(text)
    for i, (mine, theirs) in enumerate(zip(ours, expected.blocks)):
        if mine != theirs:
            return i * BLOCK_CHARS, min((i + 1) * BLOCK_CHARS, max(len(text), expected.raw_length))
    return min(len(ours), len(expected.blocks)) * BLOCK_CHARS, max(len(text), expected.raw_length)  # one is longer


def diagnosis(data: bytes, path: Path, expected: Expected) -> Problem:
    """Why the copy at ``path`` is not the recorded text."""
    where = f"article {expected.article_id}"
    if data.startswith(BOM):
        return problem("E902", path, where, article=expected.article_id, matches=matches(data[len(BOM):], expected, "without it"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return problem("E905", path, where, article=expected.article_id, byte=data[exc.start], offset=exc.start)
    if (crlf := text.find("\r\n")) >= 0:
        as_lf = text.replace("\r\n", "\n").encode("utf-8")
        return problem("E903", path, where, article=expected.article_id, count=text.count("\r\n"), offset=crlf,
                       name=path.name, matches=matches(as_lf, expected, "with LF line endings"))
    start, end = first_difference(text, expected)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    length = (f"both are {len(text)} characters long" if len(text) == expected.raw_length
              else f"the copy has {len(text)} characters, the text {expected.raw_length}")
    return problem("E904", path, where, excerpt=excerpt_around(text, start, min(end, len(text))),
                   article=expected.article_id, actual=sha256_of(data), expected=expected.raw_sha256, length=length,
                   start=start, end=end, line=line, column=column, url=expected.url or "the url column")


def find_copies(folder: Path, wanted: Sequence[Expected]) -> Copies:
    """The copy of each wanted text in ``folder``: by sha256 first, else ``<id>.txt`` examined."""
    folder = Path(folder)
    index = by_sha256(folder) if folder.is_dir() else {}
    texts, missing, problems = {}, [], []
    for expected in wanted:
        path = index.get(expected.raw_sha256)
        if path is not None:
            texts[expected.article_id] = read_copy(path, folder).decode("utf-8")
            continue
        named = folder / expected.name
        if os.path.lexists(named):
            try:
                problems.append(diagnosis(read_copy(named, folder), named, expected))
            except InputError as exc:  # a link out of the folder, a FIFO, a device, over the limit
                problems.extend(exc.problems)
        else:
            missing.append(expected.article_id)
    return Copies(texts, tuple(missing), tuple(problems))


def missing_problems(folder: Path, wanted: Sequence[Expected], missing: Sequence[str]) -> list[Problem]:
    by_id = {e.article_id: e for e in wanted}
    return [problem("E901", folder, f"article {a}", article=a, texts=folder, name=by_id[a].name,
                    sha256=by_id[a].raw_sha256, url=by_id[a].url or "see the rights column") for a in missing]
