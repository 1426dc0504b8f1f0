"""``newsstance init DIR``: write an empty project (corpus/, annotations/ with its schema and annotators, card, changelog)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from builder.errors import InputError, problem
from builder.project.templates import FOLDERS, TEMPLATES


@dataclass(frozen=True, slots=True)
class NewProject:
    """What ``init_project`` wrote."""

    root: Path
    files: tuple[str, ...]  # relative to root, in the order written
    folders: tuple[str, ...]


def project_files(name: str) -> dict[str, str]:
    """Each file of a new project named ``name``, by its path in the project."""
    # the name goes into the card's YAML front matter: a JSON string is a valid YAML scalar whatever it holds
    return {path: text.replace("pretty_name: {name}", f"pretty_name: {json.dumps(name, ensure_ascii=False)}")
            .replace("{name}", name) for path, text in TEMPLATES.items()}


def init_project(root: Path, name: str | None = None) -> NewProject:
    """Write an empty project into ``root`` (created if missing); refuse a folder that already holds files."""
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise InputError([problem("E460", root, found="a file, not a folder")])
    if root.is_dir() and any(root.iterdir()):
        present = sorted(p.name for p in root.iterdir())
        shown = ", ".join(present[:5]) + (f" and {len(present) - 5} more" if len(present) > 5 else "")
        raise InputError([problem("E460", root, found=f"a folder that already holds {shown}")])
    files = project_files(name or root.absolute().name)
    for folder in FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return NewProject(root, tuple(files), FOLDERS)
