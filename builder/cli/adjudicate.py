"""`newsstance adjudicate`: a draft gold set of one article, each disagreement an open decision; then apply the choices."""

from __future__ import annotations

import argparse
from pathlib import Path

from builder.project.root import project_path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "adjudicate", help="draft a gold set: agreed items kept, each disagreement an open decision",
        description="Write annotations/gold/ARTICLE.json from the annotators' sets: the items every annotator "
                    "gave, and one open decision per place `newsstance agreement` counts, listing the candidates "
                    "and who gave each. Put a candidate's 'choice' into 'decision', say why in 'reason', then run "
                    "again with --apply. `validate` refuses a gold set with an open decision. An existing gold file is "
                    "replaced only with --overwrite. The draft format: annotations/README.md, 'Adjudicating without "
                    "writing JSON by hand'.")
    parser.add_argument("article", metavar="ARTICLE", help="the article id")
    parser.add_argument("--annotators", default="", help="comma-separated annotator ids (default: every annotator)")
    parser.add_argument("--annotations", type=Path, default=project_path("annotations"),
                        help="annotations folder (default: %(default)s, the project's)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing gold file with a new draft")
    parser.add_argument("--apply", action="store_true",
                        help="take the chosen candidates of the gold file's decisions into its items")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from builder.review.drafts import apply_draft, write_draft

    folder = Path(args.annotations)
    if args.apply:
        applied = apply_draft(folder, args.article)
        print(f"applied {applied.decisions} decision(s): {applied.path}" if applied.decisions else
              f"nothing to apply (no decision has candidates): {applied.path} left as it was")
        return 0
    annotators = tuple(a for a in args.annotators.split(",") if a)
    path = write_draft(folder, args.article, annotators=annotators, overwrite=args.overwrite)
    print(f"draft gold set: {path}; fill each open decision ('decision', 'reason'), then "
          f"`newsstance adjudicate {args.article} --apply`")
    return 0
