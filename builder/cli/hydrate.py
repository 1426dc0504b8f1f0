"""`newsstance hydrate`: a public release + your own copies of the withheld texts -> the full release."""

from __future__ import annotations

from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "hydrate", help="put the withheld texts back into a public release, verified by sha256",
        description="Take a public release (a folder, or a Hub dataset id with --revision) and your own copies of "
                    "the texts it withholds (files named <article id>.txt, or any name: they are also found by "
                    "sha256), check every copy against the sha256 the release records, and write the full release: "
                    "its Parquet files byte-identical to the team's full build. A copy that differs (other bytes, "
                    "CRLF line endings, a byte-order mark) or is missing is reported with what differs, and nothing "
                    "is written. Offsets are never shifted to fit another text.")
    parser.add_argument("release", help="the public release: a folder, or a Hub dataset id (ORG/NAME)")
    parser.add_argument("--revision", default=None,
                        help="with a Hub id: the tag, branch or commit to hydrate (e.g. v1.0.0; default: main)")
    parser.add_argument("--texts", type=Path, required=True, help="folder of your copies of the raw texts")
    parser.add_argument("--output", type=Path, required=True, help="folder to write the full release into")
    parser.add_argument("--skip-missing", action="store_true",
                        help="hydrate the articles whose copy you have and leave the others withheld (listed); "
                             "copies that differ are still refused")
    parser.set_defaults(func=run)


def run(args) -> int:
    import tempfile

    from builder.release.hydrate import hydrate_folder, release_folder

    with tempfile.TemporaryDirectory(prefix="newsstance-hydrate-") as tmp:
        folder = release_folder(args.release, args.revision, Path(tmp) / "release")
        result = hydrate_folder(folder, args.texts, args.output, skip_missing=args.skip_missing)
    print(f"hydrated {len(result.hydrated)} article(s) -> {result.output}")
    if result.left_out:
        print(f"left out (no copy; their texts stay withheld): {', '.join(result.left_out)}")
    return 0
