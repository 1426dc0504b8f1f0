"""`newsstance import FORMAT`: annotation-tool files -> one annotation file per (article, annotator).

The formats are ``builder.interop.IMPORTERS``; each one's arguments are added by ``ARGUMENTS[name]``,
which also sets ``keywords``: the function from the parsed arguments to that importer's own keywords.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from builder.cli.options import add_input_options
from builder.interop import IMPORTERS
from builder.interop.annotators import KINDS as ANNOTATOR_KINDS
from builder.interop.labelstudio.options import OFFSET_MODES, SOURCES
from builder.interop.overlaps import POLICIES as OVERLAP_POLICIES

SCHEMA_HINT = "give --schema FILE, or run the command in the project folder (or pass --annotations DIR)"
DEFAULT_RIGHTS = "Not established: imported from an annotation tool export; check the source's terms before publishing."


def add_common(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser)
    parser.add_argument("--schema", type=Path, default=None, metavar="FILE",
                        help="label schema to check labels against (default: <annotations>/schema.yaml)")
    parser.add_argument("--label-map", type=Path, default=None, metavar="FILE",
                        help="YAML mapping of the tool's entity labels to schema labels (e.g. 'PER: PERSON'); "
                             "map a label to null to skip it (skips are still listed)")
    parser.add_argument("--keep-unknown-labels", action="store_true",
                        help="keep labels that are not in schema.yaml instead of refusing them (a scratch import: "
                             "use a scratch --annotations folder; `newsstance validate` lists them)")
    parser.add_argument("--new-articles", action="store_true",
                        help="write texts that match no article into --corpus as new articles (metadata unknowns "
                             "are null with notes); needs --language")
    parser.add_argument("--language", default=None,
                        help="ISO 639-1 or 639-3 code of the language of new articles, e.g. en, yo, pcm "
                             "(with --new-articles)")
    parser.add_argument("--rights", default=DEFAULT_RIGHTS, help="the 'rights' metadata of new articles")
    parser.add_argument("--overwrite", action="store_true", help="replace annotation files that already exist")
    parser.add_argument("--strict", action="store_true",
                        help="write nothing at all if any item cannot be imported")
    parser.add_argument("--overlaps", choices=OVERLAP_POLICIES, default="refuse",
                        help="overlapping or nested entity spans: refuse lists every pair and writes nothing of that "
                             "document; keep-outer keeps the longest span, keep-inner the shortest, and the report "
                             "counts what was dropped (default: %(default)s)")
    parser.add_argument("--annotator-kind", choices=ANNOTATOR_KINDS, default=None,
                        help="kind of a new annotator, added to annotators.yaml (asked on a terminal when not given)")


def labelstudio_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, metavar="EXPORT.json", help="the exported JSON file")
    add_common(parser)
    parser.add_argument("--annotator", default=None,
                        help="annotator id for every imported annotation (default: from completed_by via "
                             "--annotator-map, else ls-<user id> / ls-<e-mail name>)")
    parser.add_argument("--annotator-map", type=Path, default=None, metavar="FILE",
                        help="YAML mapping of Label Studio users (id or e-mail) or model versions to annotator ids")
    parser.add_argument("--from", dest="source", choices=SOURCES, default="annotations",
                        help="read the tasks' annotations (default) or their predictions (as written by "
                             "`newsstance export labelstudio`)")
    parser.add_argument("--offsets", choices=OFFSET_MODES, default="auto",
                        help="how the tool counted offsets; auto takes the reading that gives the quoted text "
                             "(default: %(default)s)")
    parser.add_argument("--text-field", default="text", help="task data field with the text (default: %(default)s)")
    parser.add_argument("--id-field", default="article_id",
                        help="task data field with the corpus article id, if any (default: %(default)s)")
    parser.add_argument("--meta-field", action="append", default=[], metavar="FIELD=data.PATH",
                        help="where a new article's url, title, outlet or published date is in the task (e.g. "
                             "url=data.link); common names (url, link, title, headline, source, publisher, date, "
                             "published_at...) are found without it; repeatable")
    parser.set_defaults(keywords=labelstudio_keywords)


def labelstudio_keywords(args: argparse.Namespace, labels) -> dict:
    from builder.interop.labelstudio.options import LabelStudioOptions
    from builder.interop.policies import AnnotatorPolicy, load_annotator_map
    from builder.interop.provenance import parse_meta_fields

    annotators = AnnotatorPolicy(args.annotator, load_annotator_map(args.annotator_map) if args.annotator_map else {})
    return {"options": LabelStudioOptions(labels=labels, annotators=annotators, source=args.source,
                                          offsets=args.offsets, text_field=args.text_field, id_field=args.id_field,
                                          meta_fields=parse_meta_fields(args.meta_field))}


def brat_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, metavar="DIR",
                        help="folder with <doc>.txt + <doc>.ann pairs (searched recursively)")
    add_common(parser)
    parser.add_argument("--annotator", required=True, help="annotator id of the imported sets")
    parser.set_defaults(keywords=brat_keywords)


def brat_keywords(args: argparse.Namespace, labels) -> dict:
    return {"annotator": args.annotator, "labels": labels}


ARGUMENTS = {"labelstudio": labelstudio_arguments, "brat": brat_arguments}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import", help="import annotations from Label Studio or brat",
        description="Read annotations made in an annotation tool and write one newsstance annotation file "
                    "per (article, annotator). Every item that cannot be imported is listed with its place "
                    "and reason, with a count per reason; exit 1 if there is any (the rest is still written "
                    "unless --strict).")
    tools = parser.add_subparsers(dest="tool", metavar="TOOL", required=True)
    for name, importer in IMPORTERS.items():
        ARGUMENTS[name](tools.add_parser(name, help=importer.help, description=importer.description))
    parser.set_defaults(func=run)


def language_problems(code: str) -> list:
    """E020/E021 for a code that is not ISO 639-1 or 639-3, else E022 when spaCy cannot make its tokenizer here."""
    from builder.article.language import code_problems, tokenizer_problems

    return code_problems(code, "--language") or tokenizer_problems(code, "--language")


def run(args) -> int:
    from builder.errors import problem
    from builder.interop.matching import NewArticles
    from builder.interop.policies import LabelPolicy, load_mapping
    from builder.interop.report import format_import_report
    from builder.sources.annotations import load_schema

    if args.new_articles and not args.language:
        print("newsstance import: --new-articles needs --language (the articles' ISO 639-1 or 639-3 code)",
              file=sys.stderr)
        return 2
    if args.language is not None and (found := language_problems(args.language)):
        print("\n".join(str(p) for p in found), file=sys.stderr)
        return 2
    schema_path = args.schema or args.annotations / "schema.yaml"
    if not schema_path.is_file():
        print(f"newsstance import: {problem('E430', schema_path, what='label schema', path=schema_path, hint=SCHEMA_HINT)}",
              file=sys.stderr)
        return 2
    labels = LabelPolicy(schema=load_schema(schema_path),
                         label_map=load_mapping(args.label_map, "label map") if args.label_map else {},
                         keep_unknown=args.keep_unknown_labels)
    new = NewArticles(args.language, args.rights, f"{args.tool} {args.path}") if args.new_articles else None
    report = IMPORTERS[args.tool].load()(args.path, corpus_dir=args.corpus, annotations_dir=args.annotations,
                                         new_articles=new, overwrite=args.overwrite, strict=args.strict,
                                         overlaps=args.overlaps, annotator_kind=kind_of(args),
                                         **args.keywords(args, labels))
    print(format_import_report(report))
    return 0 if report.ok else 1


def kind_of(args: argparse.Namespace):
    """A new annotator's kind: --annotator-kind, else the answer on a terminal, else None (not added)."""
    def ask(annotator: str) -> str | None:
        if args.annotator_kind is not None:
            return args.annotator_kind
        if not sys.stdin.isatty():
            return None
        while True:
            answer = input(f"new annotator {annotator!r}: which kind ({', '.join(ANNOTATOR_KINDS)}; empty to skip)? ")
            if answer.strip() in ANNOTATOR_KINDS or not answer.strip():
                return answer.strip() or None
    return ask
