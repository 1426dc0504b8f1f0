"""`newsstance stats`: counts of the corpus and its annotations."""

from __future__ import annotations

from builder.cli.options import add_input_options


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "stats", help="print counts: articles, characters, entities per label, stances, debris",
        description="Count articles, characters and, per annotator, entities per label, stances per "
                    "label and debris spans per reason. Exit 1 if the inputs have problems.")
    add_input_options(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    from builder.stats import corpus_stats, format_stats
    from builder.validate import format_report, validate_inputs

    report = validate_inputs(args.corpus, args.annotations)
    if not report.ok:
        print(format_report(report))
        return 1
    print(format_stats(corpus_stats(report.inputs)))
    return 0
