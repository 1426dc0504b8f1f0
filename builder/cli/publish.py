"""`newsstance publish`: the build of the current version -> one commit on the Hub, then the tag v<version>."""

from __future__ import annotations

from pathlib import Path

from builder import DATASET_VERSION
from builder.cli.options import add_build_inputs, add_input_options, add_repo_id, build_config


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "publish", help="push the build to a Hugging Face dataset repo as one commit, then tag it v<version>",
        description="Build the current version (or take --folder), push the whole folder to the dataset "
                    "repo as one commit (new and changed files uploaded, files of the previous version "
                    "deleted), then create the tag v<version>. Publishing identical content again does "
                    "nothing; different content under an existing tag is refused (bump the version). "
                    "If anything fails, no tag is created and running the command again completes it. "
                    "The token comes from HF_TOKEN or the saved login (`hf auth login`) and is never printed.")
    add_repo_id(parser)
    parser.add_argument("--folder", type=Path, default=None,
                        help="publish this build folder as it is instead of building "
                             f"(e.g. dist/{DATASET_VERSION}); its manifest decides the version and tag")
    add_input_options(parser)
    add_build_inputs(parser)
    parser.add_argument("--dry-run", action="store_true",
                        help="print what would be uploaded and deleted and the commit message; change nothing "
                             "on the Hub (the build goes to a temporary folder)")
    parser.add_argument("--include-restricted-texts", action="store_true",
                        help="publish the full release, with the texts whose licence does not allow redistribution "
                             "(default: the public release, which withholds them); with --folder, the folder must "
                             "have been built with `newsstance build --release full --include-restricted-texts`")
    parser.add_argument("--private", action="store_true",
                        help="create the repo private (refused if it already exists and is public)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from builder.publish.publish import publish
    from builder.publish.report import report_lines

    include = args.include_restricted_texts
    if args.folder is not None:
        outcome = publish(args.folder, repo_id=args.repo_id, private=args.private, dry_run=args.dry_run,
                          include_restricted_texts=include)
    else:
        import tempfile
        from dataclasses import replace

        from builder.pipeline import build

        with tempfile.TemporaryDirectory(prefix="newsstance-publish-") as tmp:
            public = Path("dist") / f"{DATASET_VERSION}-public"  # beside the team's full build, never over it
            config = build_config(args, Path(tmp) / "build" if args.dry_run else (None if include else public))
            folder = build(replace(config, release="full" if include else "public", include_restricted_texts=include))
            outcome = publish(folder, repo_id=args.repo_id, private=args.private, dry_run=args.dry_run,
                              include_restricted_texts=include)
    print("\n".join(report_lines(outcome)))
    return 0
