"""`newsstance export labelstudio|brat|spacy|conll`: annotations to annotation tools, the built dataset
to training formats."""

from __future__ import annotations

from pathlib import Path

from builder import DATASET_VERSION
from builder.sources.annotations import load_schema
from builder.interop.brat import export_brat
from builder.interop.conll import export_conll
from builder.interop.docbin import export_spacy
from builder.interop.labelstudio_export import export_labelstudio
from builder.cli.options import add_input_options


def add_dataset(parser) -> None:
    parser.add_argument("--dataset", type=Path, default=Path("dist") / DATASET_VERSION,
                        help="built dataset folder, the output of `newsstance build` (default: %(default)s)")
    parser.add_argument("--output", type=Path, required=True, help="folder for one file per split")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export", help="export annotations to Label Studio or brat, or the built dataset to spaCy or CoNLL",
        description="labelstudio and brat write the current annotations for annotating in those tools (and "
                    "`newsstance import` reads them back unchanged); spacy and conll write the gold entities "
                    "of a built dataset for training.")
    formats = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)

    ls = formats.add_parser(
        "labelstudio", help="Label Studio tasks (one per article) with the annotations as predictions",
        description="Write a JSON list of Label Studio tasks: data.text is the raw article text, data.article_id "
                    "its id; each annotator's set is a prediction with model_version = annotator id. Import it "
                    "into a project labelled with annotations/labelstudio/config.xml.")
    add_input_options(ls)
    ls.add_argument("--annotator", action="append", default=None, metavar="ID",
                    help="export only this annotator's sets (repeatable; default: all, gold included)")
    ls.add_argument("--no-predictions", action="store_true",
                    help="blank tasks, for an independent annotation that must not see anyone's labels")
    ls.add_argument("--offsets", choices=("codepoints", "utf16"), default="codepoints",
                    help="code points (current Label Studio, default) or UTF-16 units (old versions that count "
                         "in the browser)")
    ls.add_argument("--output", type=Path, required=True, help="the tasks JSON file to write")
    ls.set_defaults(func=run)

    brat = formats.add_parser(
        "brat", help="brat standoff .txt + .ann pairs of one annotator, with annotation.conf",
        description="Write <id>.txt (the raw bytes) and <id>.ann for every article the annotator annotated, "
                    "and annotation.conf; see annotations/brat/README.md.")
    add_input_options(brat)
    brat.add_argument("--annotator", required=True, help="whose sets to export (e.g. gold)")
    brat.add_argument("--schema", type=Path, default=None, metavar="FILE",
                      help="label schema for annotation.conf (default: <annotations>/schema.yaml)")
    brat.add_argument("--output", type=Path, required=True, help="folder to write (a brat collection)")
    brat.set_defaults(func=run)

    spacy_parser = formats.add_parser(
        "spacy", help="spaCy DocBin per split (gold entities over the cleaned text)",
        description="Write <split>.spacy from the built documents config, for `spacy train` "
                    "(--paths.train train.spacy --paths.dev validation.spacy). Every entity is placed strictly "
                    "on token boundaries; one that does not fit stops the export (spaCy would drop it, W030).")
    add_dataset(spacy_parser)
    spacy_parser.add_argument("--language", default="en", help="spaCy language of the tokenizer (default: %(default)s)")
    spacy_parser.set_defaults(func=run)

    conll = formats.add_parser(
        "conll", help="CoNLL-2003-style files per split (token, _, _, IOB2 tag)",
        description="Write <split>.conll from the built ner config, readable by the `datasets` conll builder "
                    "with column_names tokens, pos_tags, chunk_tags, ner_tags.")
    add_dataset(conll)
    conll.set_defaults(func=run)


def run(args) -> int:
    if args.format == "labelstudio":
        annotators = () if args.no_predictions else args.annotator
        count = export_labelstudio(args.corpus, args.annotations, args.output, annotators=annotators,
                                   offsets=args.offsets)
        print(f"wrote {count} task(s) -> {args.output}")
    elif args.format == "brat":
        count = export_brat(args.corpus, args.annotations, args.output, annotator=args.annotator,
                            schema=load_schema(args.schema or args.annotations / "schema.yaml"))
        print(f"wrote {count} document(s) and annotation.conf -> {args.output}")
    else:
        export = export_spacy if args.format == "spacy" else export_conll
        extra = {"language": args.language} if args.format == "spacy" else {}
        paths = export(args.dataset, args.output, **extra)
        for split, path in paths.items():
            print(f"{split:<12} -> {path}")
    return 0
