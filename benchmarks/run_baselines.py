"""Run the baselines of builder/evaluation/baselines.py on a built dataset; write their predictions and results.

    .venv/bin/python benchmarks/run_baselines.py --data dist/1.0.0 --split test

It imports ``builder`` as installed in .venv (``.venv/bin/pip install -e '.[test]'``, see README.md).

Predictions go to --predictions-dir (default benchmarks/_work/predictions/<version>/, not committed:
they are regenerated from code, and each result records their sha256); results go to --results-dir
(default benchmarks/results/, committed, listed in the dataset card).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from builder import DATASET_VERSION
from builder.errors import InputError, NewsstanceError
from builder.evaluation.baselines import (jsonl_bytes, keep_everything_predictions, line_heuristic_predictions,
                                          majority_label, majority_stance_predictions, rules_ner_pipeline,
                                          spacy_ner_predictions)
from builder.evaluation.evaluate import evaluate, load_gold
from builder.evaluation.gold import dataset_configs, dataset_version
from builder.evaluation.results import render_table, write_result


def training_labels(data: str, revision: str | None, cache_dir: Path | None) -> list[str]:
    """Gold stance labels of the train split, or none when the dataset has no train stance items."""
    try:
        return [s.label for s in load_gold("stance", data=data, split="train", revision=revision,
                                           cache_dir=cache_dir).stances]
    except InputError:
        return []


def built_tasks(data: str, revision: str | None) -> tuple[str, ...]:
    """The tasks whose config the dataset has (each task reads the config of its name): a corpus without
    stances has no ``stance`` config. Without a manifest every task is tried."""
    configs = dataset_configs(data, revision)
    return tuple(task for task in BASELINES if configs is None or task in configs)


def stance_runs(data: str, split: str, revision: str | None, cache_dir: Path | None) -> dict[str, list[dict]]:
    stance = load_gold("stance", data=data, split=split, revision=revision, cache_dir=cache_dir)
    train = training_labels(data, revision, cache_dir)
    source = train or [s.label for s in stance.stances]
    name = "majority-class (train)" if train else f"majority-class ({split} labels: no train items)"
    items = ((s.article_id, s.holder_key, s.target) for s in stance.stances)
    return {name: majority_stance_predictions(items, majority_label(source, stance.stance_labels))}


def cleaning_runs(data: str, split: str, revision: str | None, cache_dir: Path | None) -> dict[str, list[dict]]:
    cleaning = load_gold("cleaning", data=data, split=split, revision=revision, cache_dir=cache_dir)
    if cleaning.raw_texts == cleaning.texts:
        print(f"skipped cleaning: no debris is marked in split {split!r} (every cleaned text is its raw text)")
        return {}
    return {"keep-everything": keep_everything_predictions(cleaning.raw_texts),
            "line-heuristic": line_heuristic_predictions(cleaning.raw_texts)}


def ner_runs(data: str, split: str, revision: str | None, cache_dir: Path | None) -> dict[str, list[dict]]:
    ner = load_gold("ner", data=data, split=split, revision=revision, cache_dir=cache_dir)
    return {"rules-numbers-dates": spacy_ner_predictions(rules_ner_pipeline(), ner.texts)}


BASELINES = {"stance": stance_runs, "cleaning": cleaning_runs, "ner": ner_runs}  # task -> its baselines' predictions


def baseline_predictions(data: str, split: str, revision: str | None, cache_dir: Path | None,
                         tasks: tuple[str, ...] = tuple(BASELINES)) -> dict[tuple[str, str], list[dict]]:
    """(task, model name) -> prediction records of every baseline of ``tasks``."""
    return {(task, model): records for task in tasks
            for model, records in BASELINES[task](data, split, revision, cache_dir).items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=f"dist/{DATASET_VERSION}", help="built dataset folder or load_dataset source")
    parser.add_argument("--split", default="test")
    parser.add_argument("--revision", default=None)
    parser.add_argument("--results-dir", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--predictions-dir", type=Path, default=None,
                        help="default: benchmarks/_work/predictions/<version>")
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        tasks = built_tasks(args.data, args.revision)
        for task in BASELINES:
            if task not in tasks:
                print(f"skipped {task}: the dataset has no {task!r} config (nothing of that layer was annotated)")
        runs = baseline_predictions(args.data, args.split, args.revision, args.cache_dir, tasks)
        folder = args.predictions_dir or Path("benchmarks/_work/predictions") / dataset_version(args.data, args.revision)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for (task, model), records in runs.items():
            path = folder / f"{task}-{model.split(' ')[0]}.jsonl"
            path.write_bytes(jsonl_bytes(records))
            result = evaluate(task=task, data=args.data, split=args.split, revision=args.revision, predictions=path,
                              model_name=model, cache_dir=args.cache_dir)
            print(render_table(result))
            written.append(write_result(result, args.results_dir))
    except NewsstanceError as exc:
        print(f"run_baselines: {exc}", file=sys.stderr)
        return 1
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
