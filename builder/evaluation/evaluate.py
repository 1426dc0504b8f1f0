"""Gold of a built dataset + a model's predictions -> scores, a table and a result record.

Gold is read with ``datasets.load_dataset(data, config, split=...)`` from a built folder
(``dist/<version>``, whose manifest.json gives the version) or any other ``load_dataset`` source,
pinned with ``revision``. The metric definitions are in ``metrics.py``.

Predictions are JSONL, one JSON object per line, UTF-8; blank lines are ignored, extra keys too:

``ner``       one line per article: ``{"article_id": "...", "entities": [{"start": 0, "end": 9,
              "label": "PERSON"}, ...]}``. Offsets are code points into the cleaned ``text`` of the
              ``documents`` config, end exclusive. Labels are the entity ClassLabel names.
``stance``    one line per gold item of the ``stance`` config: ``{"article_id": "...",
              "holder_key": "...", "target": "...", "label": "favor"}``, with ``holder_key`` and
              ``target`` copied from that config.
``cleaning``  one line per article: ``{"article_id": "...", "text": "the cleaned text"}``.

Every line is checked and every problem reported (file, line, article id, what, fix) before
anything is scored. A missing article or item is not an error: it counts as a miss, and the
result says how many (E608).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from builder.evaluation import metrics
from builder.evaluation.baselines import jsonl_bytes, spacy_ner_predictions
from builder.errors import InputError, Problem, problem
from builder.evaluation.metrics import PRF, CleaningScores, NerScores, Span, StanceScores

TASKS = ("ner", "stance", "cleaning")
SCORER = "newsstance-evaluate/1"  # bump when a metric definition changes
MISS_EXAMPLES = 3


@dataclass(frozen=True, slots=True)
class DataRef:
    """Which gold was scored: the source as given, its revision, the dataset version, the split."""

    source: str
    revision: str | None
    version: str
    split: str


@dataclass(frozen=True, slots=True)
class StanceItem:
    article_id: str
    holder_key: str
    target: str
    label: str


@dataclass(frozen=True, slots=True)
class Gold:
    """The gold of one task and split. ``texts`` are the cleaned texts per article id."""

    task: str
    data: DataRef
    texts: Mapping[str, str]
    raw_texts: Mapping[str, str] = field(default_factory=dict)
    entities: tuple[Span, ...] = ()
    entity_labels: tuple[str, ...] = ()
    stances: tuple[StanceItem, ...] = ()
    stance_labels: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(sorted(self.texts))


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    task: str
    model: str
    data: DataRef
    predictions_file: str | None  # the file's name, or None when predictions came from a pipeline
    predictions_sha256: str
    sizes: Mapping[str, int]
    scores: NerScores | StanceScores | CleaningScores
    warnings: tuple[Problem, ...] = ()


# --- gold ----------------------------------------------------------------------------------------

def ner_gold_spans(rows: Sequence[Mapping], tag_names: Sequence[str]) -> list[Span]:
    """Rows of the ``ner`` config -> entity spans in clean character offsets (strict IOB2)."""
    spans = []
    for row in rows:
        tags = [tag_names[t] if isinstance(t, int) else t for t in row["ner_tags"]]
        for first, end, label in metrics.iob2_spans(tags):
            spans.append(Span(row["article_id"], row["token_starts"][first], row["token_ends"][end - 1], label))
    return spans


def entity_labels_of(tag_names: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(metrics.split_tag(t)[1] for t in tag_names if t != "O"))


def dataset_version(source: str, revision: str | None) -> str:
    """The ``version`` of the source's manifest.json; the revision (or "unknown") without one."""
    folder = Path(source)
    if folder.is_dir():
        path = folder / "manifest.json"
    else:
        try:
            from huggingface_hub import hf_hub_download
            path = Path(hf_hub_download(source, "manifest.json", repo_type="dataset", revision=revision))
        except Exception:  # no manifest on the Hub: fall back to what the user pinned
            return revision or "unknown"
    try:
        return str(json.loads(path.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return revision or "unknown"


def display_source(source: str) -> str:
    """The source as recorded: as given, except an absolute local path, which is reduced to its name."""
    path = Path(source)
    return path.name if path.is_absolute() else source


def load_config(source: str, config: str, split: str, revision: str | None, cache_dir: Path | None):
    import datasets
    options = {"revision": revision} if revision else {}
    try:
        return datasets.load_dataset(source, config, split=split, cache_dir=str(cache_dir) if cache_dir else None,
                                     **options)
    except Exception as exc:  # datasets raises many types (missing split, config, file, repo)
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        raise InputError([problem("E611", source, config=config, split=split, detail=detail)]) from None


def load_gold(task: str, *, data: str, split: str = "test", revision: str | None = None,
              cache_dir: Path | None = None) -> Gold:
    """The gold of ``task`` from the ``split`` of ``data`` (a built folder or a load_dataset source)."""
    check_task(task)
    ref = DataRef(display_source(data), revision, dataset_version(data, revision), split)
    if task == "cleaning":
        rows = load_config(data, "cleaning", split, revision, cache_dir).to_list()
        return Gold(task, ref, texts={r["id"]: r["clean_text"] for r in rows},
                    raw_texts={r["id"]: r["raw_text"] for r in rows})
    documents = load_config(data, "documents", split, revision, cache_dir).select_columns(["id", "text", "raw_text"])
    rows = documents.to_list()
    texts, raw = {r["id"]: r["text"] for r in rows}, {r["id"]: r["raw_text"] for r in rows}
    if task == "ner":
        ner = load_config(data, "ner", split, revision, cache_dir)
        names = ner.features["ner_tags"].feature.names
        return Gold(task, ref, texts=texts, raw_texts=raw, entities=tuple(ner_gold_spans(ner.to_list(), names)),
                    entity_labels=entity_labels_of(names))
    stance = load_config(data, "stance", split, revision, cache_dir)
    labels, targets = stance.features["label"], stance.features["target"]
    items = tuple(sorted((StanceItem(r["article_id"], r["holder_key"], targets.int2str(r["target"]),
                                     labels.int2str(r["label"])) for r in stance.to_list()),
                         key=lambda s: (s.article_id, s.holder_key, s.target)))
    return Gold(task, ref, texts=texts, raw_texts=raw, stances=items, stance_labels=tuple(labels.names),
                targets=tuple(targets.names))


def check_task(task: str) -> None:
    if task not in TASKS:
        raise InputError([problem("E612", "evaluate", detail=f"unknown task {task!r}; known: {', '.join(TASKS)}")])


# --- predictions ---------------------------------------------------------------------------------

def read_jsonl(content: bytes, file: str) -> tuple[list[tuple[int, object]], list[Problem]]:
    """(line number, parsed object) of every non-blank line, and an E601 for each that is not JSON."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([problem("E609", file, detail=f"not UTF-8 (byte 0x{exc.object[exc.start]:02x} "
                                                       f"at byte offset {exc.start})")]) from None
    lines, problems = [], []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            lines.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            problems.append(problem("E601", file, f"line {number}", detail=f"{exc.msg} at column {exc.colno}"))
    return lines, problems


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def shape_problem(obj: object, fields: Mapping[str, type]) -> str | None:
    """What is wrong with the shape of one prediction object, or None."""
    if not isinstance(obj, dict):
        return f"expected a JSON object, got {type(obj).__name__}"
    for name, kind in fields.items():
        if name not in obj:
            return f"missing field {name!r}"
        if kind is int and not is_int(obj[name]) or kind is not int and not isinstance(obj[name], kind):
            return f"field {name!r} must be {kind.__name__}, got {type(obj[name]).__name__}"
    return None


class Checker:
    """Collects the problems of one predictions file, each with its line and article id."""

    def __init__(self, gold: Gold, file: str):
        self.gold, self.file, self.problems = gold, file, []
        self.seen: dict[object, int] = {}

    def add(self, code: str, line: int, article_id: object = None, **fields: object) -> None:
        where = f"line {line}" + (f", article {article_id!r}" if article_id is not None else "")
        self.problems.append(problem(code, self.file, where, **fields))

    def header(self, line: int, obj: object, fields: Mapping[str, type]) -> bool:
        """Shape, known article id; False when the line cannot be used."""
        article_id = obj.get("article_id") if isinstance(obj, dict) else None
        wrong = shape_problem(obj, {"article_id": str, **fields})
        if wrong:
            self.add("E602", line, article_id if isinstance(article_id, str) else None, detail=wrong, task=self.gold.task)
            return False
        if article_id not in self.gold.texts:
            self.add("E603", line, article_id, id=article_id, split=self.gold.data.split)
            return False
        return True

    def first(self, key: object, line: int, article_id: str, item: str) -> bool:
        """True the first time ``key`` is seen; an E606 afterwards."""
        if key in self.seen:
            self.add("E606", line, article_id, item=item, other=self.seen[key])
            return False
        self.seen[key] = line
        return True

    def known(self, line: int, article_id: str, kind: str, value: str, known: Sequence[str]) -> bool:
        if value in known:
            return True
        self.add("E605", line, article_id, kind=kind, value=value, known=", ".join(known))
        return False


def parse_ner(lines: Sequence[tuple[int, object]], gold: Gold, file: str) -> tuple[dict[str, list[Span]], list[Problem]]:
    check = Checker(gold, file)
    predicted: dict[str, list[Span]] = {}
    for line, obj in lines:
        if not check.header(line, obj, {"entities": list}) or not check.first(obj["article_id"], line, obj["article_id"], "this article"):
            continue
        article_id, length = obj["article_id"], len(gold.texts[obj["article_id"]])
        spans = predicted.setdefault(article_id, [])
        for index, entity in enumerate(obj["entities"]):
            wrong = shape_problem(entity, {"start": int, "end": int, "label": str})
            if wrong:
                check.add("E602", line, article_id, detail=f"entities[{index}]: {wrong}", task="ner")
                continue
            start, end, label = entity["start"], entity["end"], entity["label"]
            if not 0 <= start < end <= length:
                check.add("E604", line, article_id, start=start, end=end, length=length)
            elif check.known(line, article_id, "entity label", label, gold.entity_labels) and check.first(
                    (article_id, start, end, label), line, article_id, f"entity [{start}, {end}) {label}"):
                spans.append(Span(article_id, start, end, label))
    return predicted, check.problems


def parse_stance(lines: Sequence[tuple[int, object]], gold: Gold, file: str) -> tuple[dict[tuple[str, str, str], str], list[Problem]]:
    check = Checker(gold, file)
    keys = {(s.article_id, s.holder_key, s.target) for s in gold.stances}
    predicted: dict[tuple[str, str, str], str] = {}
    for line, obj in lines:
        if not check.header(line, obj, {"holder_key": str, "target": str, "label": str}):
            continue
        article_id, holder_key, target, label = obj["article_id"], obj["holder_key"], obj["target"], obj["label"]
        key = (article_id, holder_key, target)
        if not (check.known(line, article_id, "target", target, gold.targets)
                and check.known(line, article_id, "stance label", label, gold.stance_labels)):
            continue
        if key not in keys:
            check.add("E607", line, article_id, holder_key=holder_key, target=target)
        elif check.first(key, line, article_id, f"holder_key {holder_key!r}, target {target!r}"):
            predicted[key] = label
    return predicted, check.problems


def parse_cleaning(lines: Sequence[tuple[int, object]], gold: Gold, file: str) -> tuple[dict[str, str], list[Problem]]:
    check = Checker(gold, file)
    predicted: dict[str, str] = {}
    for line, obj in lines:
        if check.header(line, obj, {"text": str}) and check.first(obj["article_id"], line, obj["article_id"], "this article"):
            predicted[obj["article_id"]] = obj["text"]
    return predicted, check.problems


def missing_warning(file: str, kind: str, missing: Sequence[str], total: int) -> tuple[Problem, ...]:
    if not missing:
        return ()
    examples = ", ".join(missing[:MISS_EXAMPLES]) + (", ..." if len(missing) > MISS_EXAMPLES else "")
    return (problem("E608", file, count=len(missing), total=total, kind=kind, examples=examples),)


# --- scoring -------------------------------------------------------------------------------------

def score(gold: Gold, content: bytes, *, file: str, model: str) -> EvaluationResult:
    """Check every prediction of ``content`` (JSONL bytes) against ``gold``, then score them.

    Raises InputError listing every problem; missing items are counted, not raised (E608 warning).
    """
    lines, problems = read_jsonl(content, file)
    parse = {"ner": parse_ner, "stance": parse_stance, "cleaning": parse_cleaning}[gold.task]
    predicted, more = parse(lines, gold, file)
    problems += more
    if problems:
        raise InputError(problems)
    if gold.task == "ner":
        missing = [a for a in gold.articles if a not in predicted]
        spans = [s for a in sorted(predicted) for s in predicted[a]]
        scores = metrics.ner_scores(gold.entities, spans)
        sizes = {"articles": len(gold.articles), "gold_items": len(gold.entities), "predicted_items": len(spans),
                 "missing_articles": len(missing)}
        warnings = missing_warning(file, "articles", missing, len(gold.articles))
    elif gold.task == "stance":
        keys = [(s.article_id, s.holder_key, s.target) for s in gold.stances]
        scores = metrics.stance_scores([s.label for s in gold.stances], [predicted.get(k) for k in keys],
                                       gold.stance_labels)
        missing = [f"{a}/{h}/{t}" for a, h, t in keys if (a, h, t) not in predicted]
        sizes = {"articles": len(gold.articles), "gold_items": len(keys), "predicted_items": len(predicted),
                 "missing_items": len(missing)}
        warnings = missing_warning(file, "stance items", missing, len(keys))
    else:
        scores = metrics.cleaning_scores([(gold.texts[a], predicted.get(a)) for a in gold.articles])
        missing = [a for a in gold.articles if a not in predicted]
        sizes = {"articles": len(gold.articles), "gold_items": len(gold.articles), "predicted_items": len(predicted),
                 "missing_articles": len(missing)}
        warnings = missing_warning(file, "articles", missing, len(gold.articles))
    return EvaluationResult(gold.task, model, gold.data, None, hashlib.sha256(content).hexdigest(), sizes, scores,
                            warnings)


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
    check_task(task)
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
        return with_file(result, Path(predictions).name)
    pipeline = nlp if nlp is not None else load_spacy(spacy_model)
    content = jsonl_bytes(spacy_ner_predictions(pipeline, gold.texts))
    return score(gold, content, file=f"spaCy pipeline {spacy_model or 'nlp'}",
                 model=model_name or spacy_model_name(pipeline))


def with_file(result: EvaluationResult, name: str) -> EvaluationResult:
    return EvaluationResult(result.task, result.model, result.data, name, result.predictions_sha256, result.sizes,
                            result.scores, result.warnings)


# --- output --------------------------------------------------------------------------------------

def prf_json(value: PRF) -> dict:
    return {"precision": round(value.precision, 6), "recall": round(value.recall, 6), "f1": round(value.f1, 6),
            "correct": value.correct, "predicted": value.predicted, "gold": value.gold}


def scores_json(scores: NerScores | StanceScores | CleaningScores) -> dict:
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
                    "version": result.data.version, "split": result.data.split},
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


HEADLINE = {
    "ner": lambda m: f"strict F1 {pct(m['strict']['micro']['f1'])} (P {pct(m['strict']['micro']['precision'])}, "
                     f"R {pct(m['strict']['micro']['recall'])}); partial F1 {pct(m['partial']['micro']['f1'])}",
    "stance": lambda m: f"accuracy {pct(m['accuracy'])}; macro-F1 {pct(m['macro_f1'])}; F_avg {pct(m['f_avg'])}",
    "cleaning": lambda m: f"char F1 {pct(m['f1'])} (P {pct(m['precision'])}, R {pct(m['recall'])}); "
                          f"exact match {pct(m['exact_match'])}",
}


def benchmarks_section(results_dir: Path, version: str) -> str:
    """Markdown of the results on record in ``results_dir`` for dataset ``version`` (for the card)."""
    records = []
    for path in sorted(Path(results_dir).glob("*.json")) if Path(results_dir).is_dir() else []:
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("dataset", {}).get("version") == version and record.get("task") in HEADLINE:
            records.append(record)
    if not records:
        return (f"No benchmark results are on record for version {version}. "
                "Run `python benchmarks/run_baselines.py` or `newsstance evaluate` to add some.")
    records.sort(key=lambda r: (TASKS.index(r["task"]), r["dataset"]["split"], r["model"]))
    rows = [f"| {r['task']} | {r['model']} | {r['dataset']['split']} | {r['sizes']['gold_items']} | "
            f"{HEADLINE[r['task']](r['metrics'])} | `{r['predictions']['sha256'][:12]}` |" for r in records]
    return "\n".join([
        f"Scores on newsstance {version}, computed with `newsstance evaluate` (scorer {SCORER}; definitions in "
        "benchmarks/README.md). Percentages; gold items are entities, stance items or articles.",
        "",
        "| task | model | split | gold items | scores | predictions sha256 |",
        "| --- | --- | --- | --- | --- | --- |",
        *rows,
    ])
