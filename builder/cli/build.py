"""`newsstance build`: corpus/ + annotations/ -> dist/<version>/ (Parquet, card, manifest)."""

from __future__ import annotations

from pathlib import Path

from builder import DATASET_VERSION
from builder.cli.options import add_build_inputs, add_input_options
from builder.project.root import project_path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "build", help="build the dataset folder (Parquet per config and split, README.md card, manifest.json)",
        description="Validate everything, then write a Hub-ready folder: <config>/<split>-00000-of-00001.parquet, "
                    "README.md (the dataset card) and manifest.json. The folder is replaced only when the "
                    "whole build succeeded; the same inputs always give byte-identical files.")
    add_input_options(parser)
    parser.add_argument("--output", type=Path, default=project_path(Path("dist") / DATASET_VERSION),
                        help="output folder (default: %(default)s)")
    add_build_inputs(parser)
    parser.add_argument("--allow-unadjudicated", action="store_true",
                        help="build articles whose annotators disagree and that have no gold set, keeping "
                             "only agreed items; recorded in the manifest and the card")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes for the per-article stages; the output does not depend on it (default: 1)")
    parser.add_argument("--cache", type=Path, default=project_path(".newsstance-cache"),
                        help="folder of per-article results and row groups of earlier builds, so that a rebuild "
                             "redoes only the articles whose inputs changed; the output does not depend on it "
                             "(default: %(default)s)")
    parser.add_argument("--no-cache", action="store_true", help="build everything from the inputs, read and write no cache")
    parser.add_argument("--release", choices=("full", "public"), default="full",
                        help="full: every text (for the team's own use); public: the texts whose licence does not "
                             "allow redistribution are withheld (null), everything else kept, so that users hydrate "
                             "them with `newsstance hydrate` (default: %(default)s)")
    parser.add_argument("--include-restricted-texts", action="store_true",
                        help="with --release full: record that this build is meant to be published with the texts "
                             "whose licence does not allow redistribution (stated in the manifest and the card)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args) -> int:
    import json
    import logging
    import sys
    import time

    from builder.config import BuildConfig
    from builder.output.manifest import MANIFEST
    from builder.pipeline import build

    config = BuildConfig(corpus_dir=args.corpus, annotations_dir=args.annotations, output_dir=args.output,
                         card_path=args.card, benchmarks_dir=args.benchmarks,
                         allow_unadjudicated=args.allow_unadjudicated, workers=args.workers,
                         progress=not args.no_progress, cache_dir=None if args.no_cache else args.cache,
                         release=args.release, include_restricted_texts=args.include_restricted_texts)
    log = logging.getLogger("builder.pipeline")  # its one line: how many articles were built, how many cached
    handler = logging.StreamHandler(sys.stderr)
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    started = time.perf_counter()
    try:
        output = build(config)
    finally:
        log.removeHandler(handler)  # a command run twice in one process (tests) never writes to an old stream
    seconds = time.perf_counter() - started
    manifest = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    print(f"built newsstance {manifest['version']} in {seconds:.2f} s -> {output}")
    for name, entry in manifest["outputs"].items():
        rows = f"{entry['rows']:>7} rows" if "rows" in entry else " " * 12
        print(f"  {name:<45} {rows} {entry['size']:>10} bytes")
    return 0
