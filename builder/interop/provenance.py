"""Where an imported text came from: the url, title, outlet and date a tool's task carries -> article metadata.

Label Studio tasks often carry the article's provenance beside the text (``data.url``, ``data.title``,
``data.source``...). ``find_provenance`` takes the common field names by itself (``COMMON_NAMES``) and
the ones named with ``--meta-field FIELD=data.PATH``; ``new_meta`` writes what was found into a new
article's metadata, with a note saying where each value came from, and a "not given" note only for
what was not given. A value that cannot be stored (a date that is not ISO, a number for a url) is kept
out with a coded problem (E435) and a note that quotes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from builder.errors import ConfigError, Problem, problem
from builder.records import ArticleMeta
from builder.sources.corpus import is_iso_date

# metadata field -> task data names taken without being named, in order of preference
COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "url": ("url", "link", "source_url", "article_url", "permalink", "href"),
    "title": ("title", "headline", "article_title"),
    "outlet": ("outlet", "source", "publisher", "source_name", "site_name", "site", "publication", "newspaper"),
    "published": ("published", "date", "published_at", "publish_date", "published_date", "pub_date",
                  "publication_date", "datetime"),
}
NULLABLE = ("outlet", "url", "published")  # the metadata fields that need a note when null


@dataclass(frozen=True, slots=True)
class Given:
    """One metadata value as the task gave it, and where (``data.url``)."""

    name: str
    value: object
    origin: str


@dataclass(frozen=True, slots=True)
class MetaFields:
    """``--meta-field`` choices: metadata field -> path in the task (``("data", "link")``), before the common names."""

    paths: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def parse_meta_fields(specs: Sequence[str]) -> MetaFields:
    """``["url=data.link", ...]`` -> MetaFields; raises ConfigError (E435) for a malformed one."""
    paths: dict[str, tuple[str, ...]] = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        name, parts = name.strip(), tuple(p for p in path.strip().split(".") if p)
        if not sep or name not in COMMON_NAMES or not parts:
            raise ConfigError(str(problem("E435", "--meta-field", name=repr(spec),
                                          detail=f"expected FIELD=data.PATH with FIELD one of {', '.join(COMMON_NAMES)}")))
        paths[name] = parts
    return MetaFields(paths)


def lookup(task: Mapping, parts: tuple[str, ...]) -> object:
    value: object = task
    for part in parts:
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def find_provenance(task: Mapping, data: Mapping, fields: MetaFields, prefix: str = "data.") -> tuple[Given, ...]:
    """The metadata values a task carries: named paths first (from the task; a JSON-MIN record is its own
    data, so a leading ``data.`` is optional there), else the first common name present in ``data``."""
    found = []
    for name, names in COMMON_NAMES.items():
        path = fields.paths.get(name)
        if path is not None:
            value = lookup(task, path)
            if value is None and path[0] == "data":
                value = lookup(data, path[1:])
            if value is not None:
                found.append(Given(name, value, ".".join(path)))
            continue
        key = next((k for k in names if data.get(k) not in (None, "")), None)
        if key is not None:
            found.append(Given(name, data[key], f"{prefix}{key}"))
    return tuple(found)


def stored_value(given: Given) -> tuple[str | None, str | None]:
    """The value as the metadata stores it, or why it cannot be stored."""
    value = given.value
    if not isinstance(value, str) or not value.strip():
        return None, f"{given.origin} is {value!r}, not a non-empty string"
    value = value.strip()
    if given.name == "published":
        day = value[:10]
        if not is_iso_date(day) or (len(value) > 10 and value[10] not in "T "):
            return None, f"{given.origin} is {value[:40]!r}, not an ISO date (YYYY-MM-DD)"
        return day, None
    return value, None


def new_meta(article_id: str, sha256: str, language: str, rights: str, given: Sequence[Given], source: str,
             file: str, where: str) -> tuple[ArticleMeta, list[Problem]]:
    """A new article's metadata from what its task gave; ``source`` says where it was imported from."""
    values: dict[str, str | None] = {name: None for name in COMMON_NAMES}
    notes: dict[str, str] = {}
    problems = []
    for one in given:
        value, why = stored_value(one)
        if why is not None:
            problems.append(problem("E435", file, where, name=one.name, detail=why))
            notes[one.name] = f"Given as {str(one.value)[:80]!r} in {one.origin}, which is not stored: {why}. {source}."
            continue
        values[one.name] = value
        notes[one.name] = f"From {one.origin} of the task. {source}."
    for name in NULLABLE:
        notes.setdefault(name, f"Not given by the import source. {source}.")
    meta = ArticleMeta(id=article_id, file=f"{article_id}.txt", sha256=sha256, language=language,
                       outlet=values["outlet"], url=values["url"], published=values["published"], rights=rights,
                       notes=tuple(sorted(notes.items())), title=values["title"])
    return meta, problems
