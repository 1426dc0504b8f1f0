"""Gold of a built dataset + a model's predictions -> a scored result: the steps in order, nothing else.

``load_gold`` reads a task's gold (``gold.py`` says from where, the task's module what);
``score`` checks every line of a predictions file (``predictions.py``) and scores it with the
task's scorer (definitions in ``metrics.py``); ``evaluate`` does both for a predictions file or,
for NER, a spaCy pipeline. Tasks are looked up in ``TASKS`` (``tasks.py``); a result's record,
table and card section are made in ``results.py``.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from functools import partial
from pathlib import Path

from builder.errors import InputError, problem
from builder.evaluation.baselines import jsonl_bytes, spacy_ner_predictions
from builder.evaluation.gold import dataset_configs, dataset_content, dataset_version, display_source, load_config
from builder.evaluation.predictions import Checker, read_jsonl
from builder.evaluation.records import DataRef, EvaluationResult, Gold
from builder.evaluation.tasks import task_named


def load_gold(task: str, *, data: str, split: str = "test", revision: str | None = None,
              cache_dir: Path | None = None) -> Gold:
    """The gold of ``task`` from the ``split`` of ``data`` (a built folder or a load_dataset source)."""
    loader = task_named(task).load_gold
    configs = dataset_configs(data, revision)
    if configs is not None and task not in configs:  # a corpus without that layer: not a build to redo
        raise InputError([problem("E462", display_source(data), task=task, configs=", ".join(sorted(configs)))])
    ref = DataRef(display_source(data), revision, dataset_version(data, revision), split,
                  dataset_content(data, revision))
    return loader(ref, partial(load_config, data, split=split, revision=revision, cache_dir=cache_dir))


def score(gold: Gold, content: bytes, *, file: str, model: str) -> EvaluationResult:
    """Check every prediction of ``content`` (JSONL bytes) against ``gold``, then score them.

    Raises InputError listing every problem; missing items are counted, not raised (E608 warning).
    """
    task = task_named(gold.task)
    check = Checker(gold, file)
    predicted = task.parse(read_jsonl(content, check), gold, check)
    if check.problems:
        raise InputError(check.problems)
    scored = task.score(gold, predicted, file)
    return EvaluationResult(task=gold.task, model=model, data=gold.data, predictions_file=None,
                            predictions_sha256=hashlib.sha256(content).hexdigest(), sizes=scored.sizes,
                            scores=scored.scores, warnings=scored.warnings)


def load_spacy(name: str):
    import spacy
    try:
        return spacy.load(name)
    except (OSError, ValueError, ImportError) as exc:
        raise InputError([problem("E610", name, name=name, detail=str(exc).splitlines()[0])]) from None


def spacy_model_name(nlp) -> str:
    meta = nlp.meta
    return f"spacy:{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0.0.0')}"


def evaluate(*, task: str, data: str, split: str = "test", revision: str | None = None,
             predictions: Path | None = None, spacy_model: str | None = None, nlp=None,
             model_name: str | None = None, cache_dir: Path | None = None) -> EvaluationResult:
    """Score a predictions file, or (NER) a spaCy pipeline given by name/path or as ``nlp``, on gold."""
    task_named(task)
    sources = [x for x in (predictions, spacy_model, nlp) if x is not None]
    if len(sources) != 1 or (task != "ner" and predictions is None):
        raise InputError([problem("E612", "evaluate", detail="give exactly one of predictions, spacy_model or nlp; "
                                                              "spaCy pipelines are for --task ner only")])
    if predictions is not None:
        try:
            content = Path(predictions).read_bytes()
        except OSError as exc:
            raise InputError([problem("E609", str(predictions), detail=exc.strerror or str(exc))]) from None
    gold = load_gold(task, data=data, split=split, revision=revision, cache_dir=cache_dir)
    if predictions is not None:
        result = score(gold, content, file=str(predictions), model=model_name or Path(predictions).stem)
        return replace(result, predictions_file=Path(predictions).name)
    pipeline = nlp if nlp is not None else load_spacy(spacy_model)
    content = jsonl_bytes(spacy_ner_predictions(pipeline, gold.texts))
    return score(gold, content, file=f"spaCy pipeline {spacy_model or 'nlp'}",
                 model=model_name or spacy_model_name(pipeline))
