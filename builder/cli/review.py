"""`newsstance review`: a static site to look at the annotations: articles, stances, debris, disagreements."""

from __future__ import annotations

import argparse
from pathlib import Path

from builder.cli.options import add_input_options


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "review", help="write a static review site of the annotations (no server, no network)",
        description="Write DIR/index.html (corpus figures, label and agreement charts, one line per article) "
                    "and one page per article (entities marked, debris struck through, stances with their "
                    "evidence, each annotator's set beside gold with every disagreement). Open "
                    "DIR/index.html in a browser: everything is in DIR, nothing is fetched. Articles with open "
                    "decisions (drafts of `newsstance adjudicate`) come first; on an article page the keys j/k move "
                    "between disagreements. DIR is replaced only if it is empty or a site this command wrote.")
    add_input_options(parser)
    parser.add_argument("--output", type=Path, required=True, help="folder to write the site into")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from builder.review.site import write_site

    written = write_site(args.corpus, args.annotations, args.output)
    print(f"review site: {written.index} ({written.articles} article page(s)); open it in a browser")
    return 0
