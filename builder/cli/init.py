"""`newsstance init DIR`: an empty project, ready for `newsstance import` and `newsstance build`."""

from __future__ import annotations

from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "init", help="create an empty project: corpus/, annotations/ (schema, annotators), card, changelog",
        description="Write an empty newsstance project into DIR (created if missing; refused if it holds files): "
                    "corpus/, annotations/schema.yaml, annotations/annotators.yaml, annotations/GUIDELINES.md, "
                    "DATASET_CARD.md (a datasheet template with the build's generated markers), CHANGELOG.md. "
                    "Every command then works from inside DIR.")
    parser.add_argument("folder", type=Path, metavar="DIR", help="the project folder to create")
    parser.add_argument("--name", default=None, help="the dataset's name in the card (default: DIR's name)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from builder.project.scaffold import init_project

    made = init_project(args.folder, args.name)
    print(f"created {made.root}:")
    for path in (*(f"{f}/" for f in made.folders), *made.files):
        print(f"  {path}")
    print(f"next: cd {made.root}, put articles in corpus/ (or `newsstance import ... --new-articles --language CODE`), "
          "then `newsstance validate` and `newsstance build`")
    return 0
