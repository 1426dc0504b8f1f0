"""`newsstance export FORMAT`: annotations to annotation tools, the built dataset to training formats.

The formats are ``builder.interop.EXPORTERS``; each one's arguments are added by ``ARGUMENTS[name]``,
which also sets ``keywords`` (the parsed arguments -> the exporter's keywords) and ``done`` (the line
printed after writing, or None for one line per split written).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from builder import DATASET_VERSION
from builder.cli.options import add_input_options
from builder.interop import EXPORTERS
from builder.project.root import project_path


def add_dataset(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", type=Path, default=project_path(Path("dist") / DATASET_VERSION),
                        help="built dataset folder, the output of `newsstance build` (default: %(default)s)")
    parser.add_argument("--output", type=Path, required=True, help="folder for one file per split")
    parser.set_defaults(done=None)


def dataset_keywords(args: argparse.Namespace) -> dict:
    return {"dataset_dir": args.dataset, "output_dir": args.output}


def labelstudio_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser)
    parser.add_argument("--annotator", action="append", default=None, metavar="ID",
                        help="export only this annotator's sets (repeatable; default: all, gold included)")
    parser.add_argument("--no-predictions", action="store_true",
                        help="blank tasks, for an independent annotation that must not see anyone's labels")
    parser.add_argument("--offsets", choices=("codepoints", "utf16"), default="codepoints",
                        help="code points (current Label Studio, default) or UTF-16 units (old versions that count "
                             "in the browser)")
    parser.add_argument("--output", type=Path, required=True, help="the tasks JSON file to write")
    parser.set_defaults(done="wrote {count} task(s) -> {output}", keywords=labelstudio_keywords)


def labelstudio_keywords(args: argparse.Namespace) -> dict:
    return {"corpus_dir": args.corpus, "annotations_dir": args.annotations, "output": args.output,
            "annotators": () if args.no_predictions else args.annotator, "offsets": args.offsets}


def brat_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser)
    parser.add_argument("--annotator", required=True, help="whose sets to export (e.g. gold)")
    parser.add_argument("--schema", type=Path, default=None, metavar="FILE",
                        help="label schema for annotation.conf (default: <annotations>/schema.yaml)")
    parser.add_argument("--output", type=Path, required=True, help="folder to write (a brat collection)")
    parser.set_defaults(done="wrote {count} document(s) and annotation.conf -> {output}", keywords=brat_keywords)


def brat_keywords(args: argparse.Namespace) -> dict:
    from builder.sources.annotations import load_schema

    return {"corpus_dir": args.corpus, "annotations_dir": args.annotations, "output_dir": args.output,
            "annotator": args.annotator, "schema": load_schema(args.schema or args.annotations / "schema.yaml")}


def spacy_arguments(parser: argparse.ArgumentParser) -> None:
    add_dataset(parser)
    parser.add_argument("--language", default=None,
                        help="spaCy language of the tokenizer for every article (default: each article's own, "
                             "as the build tokenized it)")
    parser.set_defaults(keywords=lambda args: {**dataset_keywords(args), "language": args.language})


def conll_arguments(parser: argparse.ArgumentParser) -> None:
    add_dataset(parser)
    parser.set_defaults(keywords=dataset_keywords)


ARGUMENTS = {"labelstudio": labelstudio_arguments, "brat": brat_arguments, "spacy": spacy_arguments,
             "conll": conll_arguments}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export", help="export annotations to Label Studio or brat, or the built dataset to spaCy or CoNLL",
        description="labelstudio and brat write the current annotations for annotating in those tools (and "
                    "`newsstance import` reads them back unchanged); spacy and conll write the gold entities "
                    "of a built dataset for training.")
    formats = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    for name, exporter in EXPORTERS.items():
        ARGUMENTS[name](formats.add_parser(name, help=exporter.help, description=exporter.description))
    parser.set_defaults(func=run)


def run(args) -> int:
    written = EXPORTERS[args.format].load()(**args.keywords(args))
    if args.done is None:  # one file per split
        for split, path in written.items():
            print(f"{split:<12} -> {path}")
    else:
        print(args.done.format(count=written, output=args.output))
    return 0
