"""Arguments several subcommands share."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from builder.project.root import project_path

REPO_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*")  # matched whole (fullmatch)


def add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, default=project_path("corpus"),
                        help="folder of <id>.txt + <id>.meta.json articles (default: %(default)s)")
    parser.add_argument("--annotations", type=Path, default=project_path("annotations"),
                        help="folder with schema.yaml, annotators.yaml and <annotator>/<id>.json files "
                             "(default: %(default)s)")


def add_build_inputs(parser: argparse.ArgumentParser) -> None:
    """The build's inputs besides corpus and annotations, as `newsstance build` names them."""
    parser.add_argument("--card", type=Path, default=project_path("DATASET_CARD.md"),
                        help="the human-written card prose (default: %(default)s)")
    parser.add_argument("--benchmarks", type=Path, default=project_path("benchmarks/results"),
                        help="benchmark results listed in the card (default: %(default)s)")


def build_config(args: argparse.Namespace, output: Path | None = None):
    """The BuildConfig of the input and build-input options."""
    from builder.config import BuildConfig

    from builder import DATASET_VERSION

    return BuildConfig(corpus_dir=args.corpus, annotations_dir=args.annotations, card_path=args.card,
                       benchmarks_dir=args.benchmarks,
                       output_dir=output if output is not None else project_path(Path("dist") / DATASET_VERSION))


def repo_id(value: str) -> str:
    if not REPO_ID.fullmatch(value) or ".." in value or value.endswith((".git", ".")):
        raise argparse.ArgumentTypeError(f"{value!r} is not ORG/NAME (letters, digits, '-', '_', '.')")
    return value


def add_repo_id(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo-id", type=repo_id, required=True, metavar="ORG/NAME",
                        help="the dataset repo on the Hub, e.g. my-org/newsstance")
