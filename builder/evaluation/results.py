"""A result -> its JSON record, its file, its printed table; the records on file -> the card's section.

Records have sorted keys and no timestamps, one file per (version, task, split, model), so that
re-running a baseline rewrites the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from pathlib import Path

from builder.evaluation import metrics
from builder.evaluation.metrics import PRF, NerScores, StanceScores
from builder.evaluation.records import EvaluationResult, Scores
from builder.errors import InputError, problem
from builder.output.escape import code, inline
from builder.sources.safe_files import read_input

SCORER = "newsstance-evaluate/1"  # bump when a metric definition changes


def prf_json(value: PRF) -> dict:
    return {"precision": round(value.precision, 6), "recall": round(value.recall, 6), "f1": round(value.f1, 6),
            "correct": value.correct, "predicted": value.predicted, "gold": value.gold}


def scores_json(scores: Scores) -> dict:
    if isinstance(scores, NerScores):
        return {view: {"micro": prf_json(getattr(scores, view)),
                       "per_label": {label: prf_json(v) for label, v in getattr(scores, f"{view}_per_label")}}
                for view in ("strict", "partial")}
    if isinstance(scores, StanceScores):
        return {"accuracy": round(scores.accuracy, 6), "macro_f1": round(scores.macro_f1, 6),
                "f_avg": None if scores.f_avg is None else round(scores.f_avg, 6),
                "per_label": {label: prf_json(v) for label, v in scores.per_label},
                "confusion": {"rows_gold": list(scores.labels), "columns_predicted": [*scores.labels, metrics.MISSING],
                              "matrix": [list(row) for row in scores.confusion]}}
    return {name: round(value, 6) if isinstance(value, float) else value
            for name, value in ((f, getattr(scores, f)) for f in scores.__dataclass_fields__)
            if name not in ("articles", "missing")}


def result_record(result: EvaluationResult) -> dict:
    """The JSON record of a result: no timestamps, keys sorted when written."""
    return {
        "scorer": SCORER,
        "task": result.task,
        "model": result.model,
        "dataset": {"source": result.data.source, "revision": result.data.revision,
                    "version": result.data.version, "split": result.data.split,
                    "content_sha256": result.data.content_sha256},
        "predictions": {"file": result.predictions_file, "sha256": result.predictions_sha256},
        "sizes": dict(result.sizes),
        "metrics": scores_json(result.scores),
    }


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._]+", "-", text.lower()).strip("-.") or "model"


def result_path(results_dir: Path, result: EvaluationResult) -> Path:
    """``<results_dir>/<version>__<task>__<split>__<model>.json``: one file per (version, task, split, model)."""
    name = "__".join((slug(result.data.version), result.task, slug(result.data.split), slug(result.model)))
    return Path(results_dir) / f"{name}.json"


def write_result(result: EvaluationResult, results_dir: Path) -> Path:
    path = result_path(results_dir, result)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result_record(result), indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def load_record(path: Path) -> dict:
    """The JSON object of a result file, or E815."""
    try:
        record = json.loads(read_input(path, path.parent, None).decode("utf-8"))  # a link out of it: E802
    except (OSError, ValueError) as exc:  # ValueError: not UTF-8, not JSON
        raise InputError([problem("E815", path, detail=f"it cannot be read as JSON ({exc})")]) from None
    if not isinstance(record, dict) or not isinstance(record.get("dataset", {}), dict):
        raise InputError([problem("E815", path, detail="it must hold one JSON object with a 'dataset' object")])
    return record


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"


def text_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [list(map(str, header))] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
             for row in cells]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def render_table(result: EvaluationResult) -> str:
    """A readable report of one result (percentages), with its provenance and warnings."""
    d, s = result.data, result.scores
    head = [f"newsstance evaluate: task {result.task}, model {result.model}",
            f"gold: {d.source} version {d.version}{f' revision {d.revision}' if d.revision else ''}, split {d.split}; "
            + ", ".join(f"{k} {v}" for k, v in result.sizes.items()),
            f"predictions sha256 {result.predictions_sha256}", ""]
    if isinstance(s, NerScores):
        strict, partial = dict(s.strict_per_label), dict(s.partial_per_label)
        rows = [(label, pct(strict[label].precision), pct(strict[label].recall), pct(strict[label].f1),
                 pct(partial[label].f1), strict[label].gold, strict[label].predicted) for label in strict]
        rows.append(("micro", pct(s.strict.precision), pct(s.strict.recall), pct(s.strict.f1), pct(s.partial.f1),
                     s.strict.gold, s.strict.predicted))
        body = "strict: exact span and label (seqeval strict IOB2); partial: same label, any overlap; in %\n"
        body += text_table(("label", "P", "R", "F1", "partial F1", "gold", "predicted"), rows)
        body += f"\npartial (same label, any overlap): P {pct(s.partial.precision)}  R {pct(s.partial.recall)}  F1 {pct(s.partial.f1)}"
    elif isinstance(s, StanceScores):
        rows = [(label, pct(v.precision), pct(v.recall), pct(v.f1), v.gold, v.predicted) for label, v in s.per_label]
        body = text_table(("label", "P", "R", "F1", "gold", "predicted"), rows)
        body += f"\naccuracy {pct(s.accuracy)}  macro-F1 {pct(s.macro_f1)}  F_avg(favor, against) {pct(s.f_avg)}\n\n"
        body += text_table(("gold \\ predicted", *s.labels, metrics.MISSING),
                           [(label, *row) for label, row in zip(s.labels, s.confusion)])
    else:
        body = text_table(("characters", "P", "R", "F1", "mean F1", "exact match"),
                          [("LCS", pct(s.precision), pct(s.recall), pct(s.f1), pct(s.f1_mean), pct(s.exact_match))])
        body += f"\nkept {s.kept_chars} of {s.predicted_chars} predicted and {s.gold_chars} gold characters"
    notes = [f"\nwarning: {w}" for w in result.warnings]
    return "\n".join(head) + body + "".join(notes) + "\n"


# task -> one line of a record's metrics, in the order the card lists the tasks
HEADLINE = {
    "ner": lambda m: f"strict F1 {pct(m['strict']['micro']['f1'])} (P {pct(m['strict']['micro']['precision'])}, "
                     f"R {pct(m['strict']['micro']['recall'])}); partial F1 {pct(m['partial']['micro']['f1'])}",
    "stance": lambda m: f"accuracy {pct(m['accuracy'])}; macro-F1 {pct(m['macro_f1'])}; F_avg {pct(m['f_avg'])}",
    "cleaning": lambda m: f"char F1 {pct(m['f1'])} (P {pct(m['precision'])}, R {pct(m['recall'])}); "
                          f"exact match {pct(m['exact_match'])}",
}


def scored_this_build(record: dict, content_sha256: str, tasks: Collection[str]) -> bool:
    """Whether a result record scored one of ``tasks`` on the very Parquet files of the build whose content
    hash is given (not merely a build with the same version string)."""
    dataset = record.get("dataset")
    return isinstance(dataset, dict) and dataset.get("content_sha256") == content_sha256 and record.get("task") in tasks


def table_row(r: dict, path: Path) -> tuple[int, str, str, str]:
    """(task order, split, model, the card's table row) of a result record; E815 if a field is missing."""
    try:
        return (list(HEADLINE).index(r["task"]), str(r["dataset"]["split"]), str(r["model"]),
                f"| {r['task']} | {inline(r['model'])} | {inline(r['dataset']['split'])} | "
                f"{int(r['sizes']['gold_items'])} | {HEADLINE[r['task']](r['metrics'])} | "
                f"{code(str(r['predictions']['sha256'])[:12])} |")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError([problem("E815", path, detail=f"a field is missing or of the wrong type ({exc!r})")]) from None


def benchmarks_section(results_dir: Path, content_sha256: str, tasks: Collection[str] = tuple(HEADLINE)) -> str:
    """Markdown of the results on record in ``results_dir`` computed on the build of ``content_sha256``, for the
    ``tasks`` whose layer the build has (for the card). A file that is not a usable record is E815, and every
    field from a file is escaped (``output.escape``)."""
    tasks = [task for task in tasks if task in HEADLINE]
    rows = []  # every record's row is made, so that a file missing a field is E815 whichever build it scored
    for path in sorted(Path(results_dir).glob("*.json")) if Path(results_dir).is_dir() else []:
        record = load_record(path)
        if record.get("task") not in HEADLINE:
            continue
        row = table_row(record, path)
        if scored_this_build(record, content_sha256, tasks):
            rows.append(row)
    if not rows:
        return (f"No benchmark results on record were computed on this build (content sha256 `{content_sha256[:12]}`): "
                "results are listed only for the very data they scored. Run `python benchmarks/run_baselines.py` "
                "or `newsstance evaluate` on this build to add some.")
    rows = [row for *_, row in sorted(rows)]
    return "\n".join([
        f"Scores on this build (content sha256 `{content_sha256[:12]}`, as in manifest.json), computed with "
        f"`newsstance evaluate` (scorer {SCORER}; definitions in the newsstance builder's "
        "benchmarks/README.md). Percentages; gold items are entities, stance items or articles.",
        "",
        "| task | model | split | gold items | scores | predictions sha256 |",
        "| --- | --- | --- | --- | --- | --- |",
        *rows,
    ])
