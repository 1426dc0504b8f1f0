"""`newsstance verify`: rebuild from this checkout and compare every file with a published version."""

from __future__ import annotations

from pathlib import Path

from builder.cli.options import add_build_inputs, add_input_options, add_repo_id, build_config


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "verify", help="check that a published version rebuilds byte for byte from this checkout",
        description="Fetch manifest.json of the published revision, rebuild the dataset from this checkout "
                    "(or take --against), compare every file's sha256 and list each difference: missing "
                    "(published, not rebuilt), extra (rebuilt, not published), changed. Exit 1 if "
                    "anything differs.")
    add_repo_id(parser)
    parser.add_argument("--revision", required=True, metavar="REV",
                        help="the published version's tag, e.g. v1.0.0 (a branch or commit id works too)")
    parser.add_argument("--against", type=Path, default=None, metavar="FOLDER",
                        help="compare this build folder instead of rebuilding")
    add_input_options(parser)
    add_build_inputs(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    from builder.publish.verify import report_lines, verify

    config = build_config(args) if args.against is None else None
    result = verify(repo_id=args.repo_id, revision=args.revision, against=args.against, config=config)
    print("\n".join(report_lines(result)))
    return 0 if result.ok else 1
