"""`newsstance evaluate`: score a model's predictions (or a spaCy pipeline) against a built dataset."""

from __future__ import annotations

import sys
from pathlib import Path

from builder import DATASET_VERSION
from builder.evaluation.tasks import TASKS
from builder.project.root import project_path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "evaluate", help="score predictions for ner, stance or cleaning against the gold of a built dataset",
        description="Score a model on one split with the package's scorer, so that numbers are comparable: "
                    "NER strict (seqeval-equal) and partial-overlap P/R/F1; stance accuracy, macro-F1 and "
                    "SemEval-2016 F_avg; cleaning character-level (LCS) P/R/F1 and exact match. Prints a table "
                    "and writes a JSON record (no timestamps) under --results-dir.",
        epilog="Prediction formats (JSONL, one object per line): "
               'ner {"article_id", "entities": [{"start", "end", "label"}]} with offsets into the cleaned text; '
               'stance {"article_id", "holder_key", "target", "label"}; cleaning {"article_id", "text"}. '
               "Missing articles or items count as misses. See benchmarks/README.md.")
    parser.add_argument("--task", required=True, choices=list(TASKS), help="what to score")
    parser.add_argument("--split", default="test", help="the split to score (default: %(default)s)")
    parser.add_argument("--data", default=str(project_path(Path("dist") / DATASET_VERSION)),
                        help="a built dataset folder or any datasets.load_dataset source such as org/name "
                             "(default: %(default)s)")
    parser.add_argument("--revision", default=None,
                        help="revision of a Hub source, e.g. the release tag v1.0.0, to pin the gold")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--predictions", type=Path, help="the predictions JSONL file")
    source.add_argument("--spacy-model", metavar="NAME_OR_PATH",
                        help="(ner only) run this installed spaCy pipeline, or pipeline folder, over the cleaned texts")
    parser.add_argument("--model-name", default=None,
                        help="name recorded with the result (default: the predictions file's stem, or the "
                             "spaCy pipeline's lang_name-version)")
    parser.add_argument("--results-dir", type=Path, default=project_path("benchmarks/results"),
                        help="where the JSON record is written (default: %(default)s)")
    parser.add_argument("--no-write", action="store_true", help="print the table only, write no record")
    parser.add_argument("--cache-dir", type=Path, default=None, help="datasets cache folder (default: datasets' own)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from builder.evaluation.evaluate import evaluate  # the scoring path: --help needs the task names only
    from builder.evaluation.results import render_table, write_result

    if args.spacy_model and args.task != "ner":
        print("newsstance evaluate: --spacy-model scores NER only; use --task ner or give --predictions",
              file=sys.stderr)
        return 2
    result = evaluate(task=args.task, data=args.data, split=args.split, revision=args.revision,
                      predictions=args.predictions, spacy_model=args.spacy_model, model_name=args.model_name,
                      cache_dir=args.cache_dir)
    print(render_table(result), end="")
    if not args.no_write:
        print(f"wrote {write_result(result, args.results_dir)}")
    return 0
