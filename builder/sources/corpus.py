"""corpus/ -> raw articles, sorted by id, with ids checked and checksums verified.

Layout: ``corpus/<id>.txt`` holds the raw bytes exactly as received; ``corpus/<id>.meta.json`` holds
the metadata (see corpus/README.md). The raw text must be UTF-8 without a byte-order mark and with LF
line endings, because annotation offsets are code points of exactly that text.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from builder.article.language import code_problems
from builder.errors import InputError, Problem, problem
from builder.records import ArticleMeta, RawArticle
from builder.sources.safe_files import read_input
from builder.sources.strict_json import read_json

ARTICLE_ID = "[A-Za-z0-9][A-Za-z0-9_.-]{0,127}"  # also the annotation schema's article_id pattern
SAFE_ID = re.compile(ARTICLE_ID)  # whole ids only (fullmatch: "$" would let a final new line pass)
META_SUFFIX = ".meta.json"
SPLITS = ("train", "validation", "test")
REQUIRED_FIELDS = ("id", "file", "sha256", "language", "outlet", "url", "published", "rights")
OPTIONAL_FIELDS = ("split", "notes", "inferred", "title", "license")
SPDX_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]{0,99}")  # CC-BY-4.0, CC0-1.0, LicenseRef-x: whole ids only


def is_safe_id(article_id: str) -> bool:
    return SAFE_ID.fullmatch(article_id) is not None and ".." not in article_id


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_iso_date(value: str) -> bool:
    """YYYY-MM-DD in ASCII digits, a real date (``\\d`` would take other digits, ``fromisoformat`` other forms)."""
    try:
        return re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) is not None and bool(date.fromisoformat(value))
    except ValueError:
        return False


def parse_meta(data: object, path: Path) -> tuple[ArticleMeta | None, list[Problem]]:
    """Metadata dict -> ArticleMeta, or the problems that stop it."""
    if not isinstance(data, dict):
        return None, [problem("E010", path, detail="the file must hold one JSON object")]
    missing = [name for name in REQUIRED_FIELDS if name not in data]
    unknown = sorted(set(data) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    found: list[Problem] = []
    if missing:
        found.append(problem("E010", path, detail=f"missing field(s) {', '.join(missing)} (use null with a note when unknown)"))
    if unknown:
        found.append(problem("E010", path, detail=f"unknown field(s) {', '.join(unknown)}"))
    if found:
        return None, found
    article_id = data["id"]
    if not isinstance(article_id, str) or not is_safe_id(article_id):
        return None, [problem("E003", path, id=article_id)]
    where = f"article {article_id}"
    notes = data.get("notes") or {}
    inferred = data.get("inferred") or []
    for name in ("sha256", "file", "language", "rights"):
        if not isinstance(data[name], str) or not data[name]:
            found.append(problem("E010", path, where, detail=f"{name!r} must be a non-empty string"))
    for name in ("outlet", "url", "published"):
        if data[name] is None and name not in notes:
            found.append(problem("E010", path, where, detail=f"{name!r} is null without a note saying why"))
        elif data[name] is not None and not isinstance(data[name], str):
            found.append(problem("E010", path, where, detail=f"{name!r} must be a string or null"))
    if isinstance(data["language"], str) and data["language"]:
        found += code_problems(data["language"], path, where)  # ISO 639-1 or 639-3 (E020, E021)
    if isinstance(data["published"], str) and not is_iso_date(data["published"]):
        found.append(problem("E010", path, where, detail="'published' must be an ISO date YYYY-MM-DD"))
    if data.get("title") is not None and not isinstance(data["title"], str):
        found.append(problem("E010", path, where, detail="'title' must be a string or null"))
    if data.get("split") not in (None, *SPLITS):
        found.append(problem("E010", path, where, detail=f"'split' must be one of {', '.join(SPLITS)} or null"))
    if not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values()):
        found.append(problem("E010", path, where, detail="'notes' must map field names to strings"))
    if not isinstance(inferred, list) or any(name not in REQUIRED_FIELDS for name in inferred):
        found.append(problem("E010", path, where, detail="'inferred' must list metadata field names"))
    elif any(name not in notes for name in inferred):
        found.append(problem("E010", path, where, detail="every field in 'inferred' needs a note saying how it was inferred"))
    if data.get("license") is not None and not (isinstance(data["license"], str) and SPDX_ID.fullmatch(data["license"])):
        found.append(problem("E010", path, where, detail="'license' must be an SPDX id (CC-BY-4.0) or null (unknown)"))
    if found:
        return None, found
    return ArticleMeta(
        id=article_id, file=data["file"], sha256=data["sha256"], language=data["language"],
        outlet=data["outlet"], url=data["url"], published=data["published"], rights=data["rights"],
        split=data.get("split"), notes=tuple(sorted(notes.items())), inferred=tuple(sorted(inferred)),
        title=data.get("title"),
        license=data.get("license"),
    ), []


def meta_where(data: object, parts: tuple) -> str:
    """The article a metadata document names, for a problem at a JSON pointer in it."""
    article_id = data.get("id") if isinstance(data, dict) else None
    return f"article {article_id}" if isinstance(article_id, str) and is_safe_id(article_id) else ""


def decode_raw(data: bytes, path: Path, where: str) -> tuple[str | None, list[Problem]]:
    """Raw bytes -> text, refusing what would make offsets ambiguous."""
    if data.startswith(b"\xef\xbb\xbf"):
        return None, [problem("E006", path, where)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [problem("E005", path, where, byte=data[exc.start], offset=exc.start)]
    if not text.strip():
        return None, [problem("E009", path, where)]
    crlf = text.find("\r\n")
    if crlf >= 0:
        return None, [problem("E007", path, where, offset=crlf)]
    return text, []


def load_article(meta_path: Path) -> tuple[RawArticle | None, list[Problem]]:
    problems: list[Problem] = []
    data = read_json(meta_path, problems, meta_where, root=meta_path.parent, limit="metadata_bytes")
    if data is None:
        return None, problems
    meta, problems = parse_meta(data, meta_path)
    if meta is None:
        return None, problems
    where = f"article {meta.id}"
    raw_path = meta_path.parent / meta.file
    if not is_safe_id(Path(meta.file).stem) or Path(meta.file).name != meta.file:
        return None, [problem("E010", meta_path, where, detail="'file' must be a plain file name in corpus/")]
    try:
        data_bytes = read_input(raw_path, meta_path.parent, "article_bytes")
    except InputError as exc:  # a link out of corpus/, not a regular file, over its limit
        return None, [replace(p, where=p.where or where) for p in exc.problems]
    except (OSError, ValueError) as exc:  # ValueError: a name the system cannot take (a NUL character)
        if isinstance(exc, ValueError) or not raw_path.exists():
            return None, [problem("E011", meta_path, where, name=meta.file)]
        return None, [problem("E015", raw_path, where, name=meta.file, detail=exc.strerror or str(exc))]
    actual = sha256_bytes(data_bytes)
    if actual != meta.sha256:
        return None, [problem("E008", raw_path, where, actual=actual, expected=meta.sha256)]
    text, problems = decode_raw(data_bytes, raw_path, where)
    if text is None:
        return None, problems
    return RawArticle(meta=meta, text=text, path=raw_path), []


def load_corpus(corpus_dir: Path) -> list[RawArticle]:
    """Every article of ``corpus_dir`` sorted by id; raises InputError listing all problems."""
    articles, problems = scan_corpus(corpus_dir)
    if problems:
        raise InputError(problems)
    return articles


def scan_corpus(corpus_dir: Path) -> tuple[list[RawArticle], list[Problem]]:
    """Like load_corpus, but returns the problems instead of raising (for `validate`)."""
    corpus_dir = Path(corpus_dir)
    meta_paths = sorted(corpus_dir.glob(f"*{META_SUFFIX}"))
    if not meta_paths:
        return [], [problem("E304", corpus_dir, path=corpus_dir)]
    articles: dict[str, RawArticle] = {}  # keyed by casefolded id: ids differing only in case collide on some file systems
    problems: list[Problem] = []
    for meta_path in meta_paths:
        article, found = load_article(meta_path)
        problems.extend(found)
        if article is None:
            continue
        key = article.id.casefold()
        if key in articles:
            problems.append(problem("E004", meta_path, id=article.id, other=articles[key].path))
            continue
        articles[key] = article
    return sorted(articles.values(), key=lambda a: a.id), problems


def meta_to_json(meta: ArticleMeta) -> str:
    """ArticleMeta -> the text of its .meta.json file (stable key order, trailing newline)."""
    data = {
        "id": meta.id, "file": meta.file, "sha256": meta.sha256, "language": meta.language,
        "outlet": meta.outlet, "url": meta.url, "published": meta.published, "rights": meta.rights,
        "license": meta.license, "split": meta.split, "notes": dict(meta.notes), "inferred": list(meta.inferred),
    }
    if meta.title is not None:
        data["title"] = meta.title
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
