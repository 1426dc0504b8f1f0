"""Arguments several subcommands share."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, default=Path("corpus"),
                        help="folder of <id>.txt + <id>.meta.json articles (default: %(default)s)")
    parser.add_argument("--annotations", type=Path, default=Path("annotations"),
                        help="folder with schema.yaml, annotators.yaml and <annotator>/<id>.json files "
                             "(default: %(default)s)")
