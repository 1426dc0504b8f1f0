"""`newsstance agreement`: how far the annotators agree, per article and over the corpus."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from builder.errors import InputError, problem
from builder.project.root import project_path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "agreement", help="measure inter-annotator agreement",
        description="Compare the annotators' own sets (gold excluded) of every article with two or more "
                    "annotators: exact-span entity F1 (overall and per label), Cohen's kappa on stance labels, "
                    "Krippendorff's alpha where three or more annotators labelled, and character-level "
                    "agreement on debris. Prints a table, or the JSON that the build writes to manifest.json.")
    parser.add_argument("--corpus", default=str(project_path("corpus")),
                        help="corpus folder, for the text lengths (default: %(default)s)")
    parser.add_argument("--annotations", default=str(project_path("annotations")),
                        help="annotations folder with <annotator>/<article_id>.json files (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print the JSON of manifest.json instead of the table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # imported here, so that `newsstance --help` loads none of the readers' or the coefficients' libraries
    from builder.agreement.corpus import corpus_agreement, group_by_article
    from builder.agreement.report import format_table
    from builder.sources.annotations import scan_annotations
    from builder.sources.corpus import load_corpus

    annotations_dir = Path(args.annotations)
    if not annotations_dir.is_dir():
        raise InputError([problem("E706", str(annotations_dir), path=annotations_dir)])
    sets, problems = scan_annotations(annotations_dir)
    if problems:
        print(InputError(problems), file=sys.stderr)
        print("newsstance agreement: nothing measured; run `newsstance validate` for every check", file=sys.stderr)
        return 1
    lengths = {article.id: len(article.text) for article in load_corpus(Path(args.corpus))}
    report = corpus_agreement(group_by_article(sets), lengths)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_table(report), end="")
    return 0
