"""`newsstance validate`: every check, all problems grouped by kind, exit 1 on any."""

from __future__ import annotations

from builder.cli.options import add_input_options


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate", help="check the corpus and every annotation file; list all problems",
        description="Run every check of corpus/ and annotations/ (metadata, checksums, encoding, JSON "
                    "Schema, offsets, quoted text, labels, overlaps, debris, holders, token alignment) "
                    "and print every problem grouped by kind with counts. Exit 1 if any problem.")
    add_input_options(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    from builder.validate import format_report, validate_inputs

    report = validate_inputs(args.corpus, args.annotations)
    print(format_report(report))
    return 0 if report.ok else 1
