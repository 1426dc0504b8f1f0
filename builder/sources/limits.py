"""The size limits of the inputs: frozen and checked, from the defaults, `limits:` in schema.yaml and `--limit`.

The limits in force are the process's (``active()``): the readers of files sit deep below the build, the
checks and the importers, and the build's worker processes are forked after the limits are set, so they
inherit them. ``--limit NAME=N`` (``set_overrides``) wins over schema.yaml, which wins over the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from builder.errors import InputError, problem


@dataclass(frozen=True, slots=True)
class Limits:
    """Generous for real news; each bounds the time and memory one hostile or mistaken file can take."""

    article_bytes: int = 5_000_000  # one raw article (corpus/<id>.txt)
    metadata_bytes: int = 1_000_000  # one metadata file (corpus/<id>.meta.json)
    annotation_file_bytes: int = 64_000_000  # one annotation file
    yaml_bytes: int = 1_000_000  # schema.yaml, annotators.yaml, an importer's label or annotator map
    spans_per_file: int = 100_000  # entities + stance evidence + debris spans of one annotation file
    sets_per_import: int = 1_000_000  # annotation sets of one import (a Label Studio task gives one per annotation)
    import_file_bytes: int = 256_000_000  # one export file an importer parses whole (Label Studio JSON)
    card_bytes: int = 10_000_000  # DATASET_CARD.md (rendered, its front matter parsed, whole in memory)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if type(value) is not int or value < 1:
                raise InputError([problem("E807", "limits", pointer=f"/limits/{f.name}",
                                          expected="a positive integer", got=repr(value))])


NAMES = tuple(f.name for f in fields(Limits))
UNITS = {"spans_per_file": "spans", "sets_per_import": "sets"}  # the others count bytes


def limits_from(data: object, file: str, base: Limits | None = None) -> Limits:
    """``base`` (the defaults) with the values of a ``limits:`` mapping; unknown names and values that are
    not positive integers are coded errors, all listed."""
    base = Limits() if base is None else base
    if data is None:
        return base
    if not isinstance(data, Mapping):
        raise InputError([problem("E807", file, pointer="/limits", expected="a mapping of limit names to integers",
                                  got=type(data).__name__)])
    found = []
    unknown = sorted(str(k) for k in data if k not in NAMES)
    if unknown:
        found.append(problem("E806", file, unknown=", ".join(unknown), pointer="/limits", known=", ".join(NAMES)))
    for name in NAMES:
        value = data.get(name)
        if name in data and (type(value) is not int or value < 1):
            found.append(problem("E807", file, pointer=f"/limits/{name}", expected="a positive integer",
                                 got=repr(value)))
    if found:
        raise InputError(found)
    return replace(base, **{name: data[name] for name in NAMES if name in data})


def parse_override(text: str) -> tuple[str, int]:
    """``NAME=N`` of ``--limit`` -> (name, N), or E818 / E807."""
    name, _, value = text.partition("=")
    if name not in NAMES:
        raise InputError([problem("E818", "--limit", name=name, known=", ".join(NAMES))])
    if not value.isdigit() or int(value) < 1:
        raise InputError([problem("E807", "--limit", pointer=f"--limit {name}", expected="a positive integer",
                                  got=repr(value))])
    return name, int(value)


_overrides: dict[str, int] = {}
_active: list[Limits] = [Limits()]


def set_overrides(values: Mapping[str, int]) -> None:
    """The limits given on the command line: they win over schema.yaml's."""
    _overrides.clear()
    _overrides.update(values)
    use(Limits())


def use(limits: Limits) -> Limits:
    """Make ``limits`` (with the command line's overrides on top) the limits in force; give them."""
    _active[0] = replace(limits, **_overrides)
    return _active[0]


def active() -> Limits:
    return _active[0]


def overrides() -> dict[str, int]:
    """The limits the command line set (``--limit``), by name."""
    return dict(sorted(_overrides.items()))


def breach(file: str, what: str, value: int, name: str, where: str = ""):
    """The E801 problem of ``value`` over the limit ``name`` in force."""
    return problem("E801", file, where, what=what, value=value, unit=UNITS.get(name, "bytes"), name=name,
                   limit=getattr(active(), name))
