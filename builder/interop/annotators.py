"""New annotator ids of an import -> entries of ``annotations/annotators.yaml``, of the kind the user gave.

``validate`` refuses a set whose annotator ``annotators.yaml`` does not list (E111). An import that
writes sets of a new annotator adds it, with the kind the user gave (``--annotator-kind``, or the
answer to a question on a terminal) and a description that says where the sets came from; without a
kind it adds nothing and says so (E436). Entries are appended to the file's text, so its comments and
the order of the others stay as they are; the result is read back to make sure it says what was meant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from builder.errors import InputError, Problem, problem
from builder.records import Annotator
from builder.sources.annotations import load_annotators

KINDS = ("human", "model", "project-team", "project-team-assistant", "adjudication")
FILE = "annotators.yaml"


@dataclass(frozen=True, slots=True)
class Registration:
    """New annotators of an import: those added to annotators.yaml, those left out (no kind), and why."""

    added: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()


def check_kind(kind: str | None) -> str | None:
    if kind is not None and kind not in KINDS:
        raise InputError([problem("E428", "import options", name="annotator-kind", value=kind, choices=", ".join(KINDS))])
    return kind


def known_annotators(annotations_dir: Path) -> dict[str, Annotator]:
    """The annotators ``annotators.yaml`` lists; {} when there is no such file yet."""
    path = Path(annotations_dir) / FILE
    return load_annotators(path) if path.is_file() else {}


def description(kind: str, sources: Sequence[str]) -> str:
    return (f"Annotation sets imported by `newsstance import` from {', '.join(sources)}; kind '{kind}' as told at "
            f"import. Replace this text with who made them and how (annotations/annotators.yaml).")


def entry_text(entry: Annotator) -> str:
    return yaml.safe_dump([{"id": entry.id, "kind": entry.kind, "description": entry.description}],
                          allow_unicode=True, sort_keys=False, width=100, indent=2)


def append_annotators(annotations_dir: Path, entries: Sequence[Annotator]) -> Path:
    """Append ``entries`` to annotators.yaml (made when missing); the file is rewritten whole only when
    appending would not give the list it should (its last key is not ``annotators``)."""
    path = Path(annotations_dir) / FILE
    before = path.read_text(encoding="utf-8") if path.is_file() else "annotators:\n"
    added = "".join("  " + line if line.strip() else line
                    for e in entries for line in entry_text(e).splitlines(keepends=True))
    text = before + ("" if before.endswith("\n") else "\n") + added
    wanted = {**known_annotators(annotations_dir), **{e.id: e for e in entries}}
    try:
        fits = {e["id"]: e for e in yaml.safe_load(text)["annotators"]}.keys() == wanted.keys()
    except (yaml.YAMLError, TypeError, KeyError):
        fits = False
    if not fits:
        data = yaml.safe_load(before) if path.is_file() else {}
        data = data if isinstance(data, dict) else {}
        data["annotators"] = [{"id": a.id, "kind": a.kind, "description": a.description} for a in wanted.values()]
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def register_annotators(annotations_dir: Path, written: Sequence[Path], sources: Sequence[str],
                        kind_of: Callable[[str], str | None] | None) -> Registration:
    """Add the annotators of the written annotation files that annotators.yaml does not list, each with
    the kind ``kind_of`` gives; one without a kind is left out with an E436."""
    try:
        known = known_annotators(annotations_dir)
    except InputError:  # an unreadable annotators.yaml: validate's checks after the import word it
        return Registration()
    new = sorted({Path(p).parent.name for p in written} - known.keys())
    entries, left_out = [], []
    for annotator in new:
        kind = check_kind(kind_of(annotator) if kind_of is not None else None)
        if kind is None:
            left_out.append(annotator)
        else:
            entries.append(Annotator(annotator, kind, description(kind, sources)))
    if entries:
        append_annotators(annotations_dir, entries)
    path = Path(annotations_dir) / FILE
    return Registration(tuple(e.id for e in entries), tuple(left_out),
                        tuple(problem("E436", path, annotator=a, path=path, detail="no kind was given for it")
                              for a in left_out))
