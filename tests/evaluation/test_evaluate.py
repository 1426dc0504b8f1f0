"""builder/evaluate.py and `newsstance evaluate`: gold from a built folder, predictions checked, scored.

The fixture is a small Hub-style folder written with the declared Features (``make_dataset``): two
test articles, one train article, every config the scorer reads, README.md configs and a manifest.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import spacy
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from builder.sources.annotations import load_schema
from builder.evaluation.baselines import jsonl_bytes
from builder.cli import main
from builder.errors import InputError
from builder.evaluation.evaluate import (benchmarks_section, dataset_version, display_source, evaluate, load_gold,
                              ner_gold_spans, render_table, result_path, result_record, score, write_result)
from builder.evaluation.metrics import Span
from builder.views.schema import features_for

REPO = Path(__file__).resolve().parents[2]
SCHEMA = load_schema(REPO / "annotations" / "schema.yaml")
TARGET = "us-peace-plan-2025"
VERSION = "9.9.9"
AD = "Continues after advertising\n"

# article id -> (split, cleaned text, entities as (quoted text, label, nth occurrence), stances (holder_key, label))
ARTICLES = {
    "a1": ("test", "Zelensky met Trump in Kiev on Thursday.\nEuropean countries resist the plan.",
           [("Zelensky", "PERSON", 0), ("Trump", "PERSON", 0), ("Kiev", "GPE", 0), ("Thursday", "DATE", 0),
            ("European", "NORP", 0)],
           [("Q3874799", "neutral"), ("european countries", "against")]),
    "a2": ("test", "Moscow has played down any new US initiatives.\nDmitry Peskov spoke on Wednesday in Moscow.",
           [("Moscow", "GPE", 0), ("US", "GPE", 0), ("Dmitry Peskov", "PERSON", 0), ("Wednesday", "DATE", 0),
            ("Moscow", "GPE", 1)],
           [("Q1033000", "against"), ("Q7747", "favor"), ("Q22686", "favor")]),
    "a3": ("train", "Brussels backs the plan.\nParis backs it too.",
           [("Brussels", "GPE", 0), ("Paris", "GPE", 0)],
           [("Q239", "favor"), ("Q90", "favor")]),
}


def at(text: str, quoted: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quoted, start + 1)
    return start, start + len(quoted)


def gold_spans(article_id: str) -> list[tuple[int, int, str]]:
    _, text, entities, _ = ARTICLES[article_id]
    return [(*at(text, quoted, nth), label) for quoted, label, nth in entities]


def sentences(text: str) -> list[list[tuple[str, int, int]]]:
    """One sentence per line; tokens are words and single punctuation marks."""
    out, offset = [], 0
    for line in text.split("\n"):
        out.append([(m.group(), offset + m.start(), offset + m.end()) for m in re.finditer(r"\w+|[^\w\s]", line)])
        offset += len(line) + 1
    return out


def tags_for(tokens: list[tuple[str, int, int]], spans) -> list[str]:
    tags = ["O"] * len(tokens)
    for start, end, label in spans:
        inside = [i for i, (_, a, b) in enumerate(tokens) if start <= a and b <= end]
        for k, i in enumerate(inside):
            tags[i] = f"{'B' if k == 0 else 'I'}-{label}"
    return tags


def rows_for(article_id: str) -> dict[str, list[dict]]:
    split, text, _, stances = ARTICLES[article_id]
    first, rest = text.split("\n", 1)
    raw = f"{first}\n{AD}{rest}"
    document = {"id": article_id, "language": "en", "outlet": None, "url": None, "published": None,
                "rights": "test fixture", "metadata_notes": [], "inferred_fields": [], "raw_sha256": "0" * 64,
                "text": text, "raw_text": raw, "entities": [], "stances": [], "debris": [], "gold_source": "gold",
                "annotators": []}
    ner = [{"id": f"{article_id}-{i:04d}", "article_id": article_id, "sentence_index": i,
            "tokens": [t for t, _, _ in sentence], "ner_tags": tags_for(sentence, gold_spans(article_id)),
            "token_starts": [a for _, a, _ in sentence], "token_ends": [b for _, _, b in sentence]}
           for i, sentence in enumerate(sentences(text))]
    stance = [{"id": f"{article_id}-s{i}", "article_id": article_id, "holder": key, "holder_key": key,
               "target": TARGET, "target_description": "the plan", "context": text, "evidence": [], "label": label}
              for i, (key, label) in enumerate(stances)]
    cleaning = [{"id": article_id, "raw_text": raw, "clean_text": text, "debris": []}]
    return {"documents": [document], "ner": ner, "stance": stance, "cleaning": cleaning}


def make_dataset(root: Path, version: str = VERSION) -> Path:
    """A built-folder lookalike: <config>/<split>-00000-of-00001.parquet, README.md configs, manifest.json."""
    import datasets
    by_split: dict[tuple[str, str], list[dict]] = {}
    for article_id in sorted(ARTICLES):
        for config, rows in rows_for(article_id).items():
            by_split.setdefault((config, ARTICLES[article_id][0]), []).extend(rows)
    yaml = ["---", "configs:"]
    for config in ("documents", "ner", "stance", "cleaning"):
        yaml += [f"- config_name: {config}", "  data_files:"]
        for split in ("train", "test"):
            path = root / config / f"{split}-00000-of-00001.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            datasets.Dataset.from_list(by_split[(config, split)], features=features_for(config, SCHEMA)).to_parquet(path)
            yaml += [f"  - split: {split}", f"    path: {config}/{split}-00000-of-00001.parquet"]
    (root / "README.md").write_text("\n".join(yaml + ["---", "", "# fixture", ""]), encoding="utf-8")
    (root / "manifest.json").write_text(json.dumps({"dataset": "newsstance", "version": version}), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("built"))


@pytest.fixture(scope="module")
def golds(data) -> dict:
    return {task: load_gold(task, data=str(data)) for task in ("ner", "stance", "cleaning")}


def write(path: Path, lines) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
                    encoding="utf-8")
    return path


def ner_line(article_id: str, spans) -> dict:
    return {"article_id": article_id, "entities": [{"start": a, "end": b, "label": label} for a, b, label in spans]}


def problems_of(exc: pytest.ExceptionInfo) -> str:
    return str(exc.value)


# --- gold ----------------------------------------------------------------------------------------

def test_ner_gold_comes_from_the_ner_config_in_clean_offsets(golds):
    gold = golds["ner"]
    assert gold.articles == ("a1", "a2")
    expected = {Span(a, s, e, label) for a in ("a1", "a2") for s, e, label in gold_spans(a)}
    assert set(gold.entities) == expected and len(gold.entities) == 10
    for span in gold.entities:
        assert gold.texts[span.article_id][span.start:span.end] in {"Zelensky", "Trump", "Kiev", "Thursday", "European",
                                                                    "Moscow", "US", "Dmitry Peskov", "Wednesday"}
    assert gold.entity_labels[:3] == ("PERSON", "NORP", "FAC")


def test_ner_gold_spans_read_stray_inside_tags_strictly():
    rows = [{"article_id": "a", "ner_tags": ["I-PERSON", "O", "B-GPE", "I-GPE"], "token_starts": [0, 5, 9, 14],
             "token_ends": [4, 8, 13, 18]}]
    assert ner_gold_spans(rows, ["O"]) == [Span("a", 9, 18, "GPE")]


def test_gold_records_the_version_of_the_manifest(golds, data):
    assert golds["stance"].data.version == VERSION
    assert golds["stance"].data.split == "test"
    assert golds["stance"].data.source == data.name  # an absolute path is reduced to its name
    assert display_source("dist/1.0.0") == "dist/1.0.0"


def test_version_falls_back_to_the_revision_without_a_manifest(tmp_path):
    assert dataset_version(str(tmp_path), "v2.0.0") == "v2.0.0"
    assert dataset_version(str(tmp_path), None) == "unknown"


def test_version_of_a_hub_source_comes_from_its_manifest(tmp_path, monkeypatch):
    import huggingface_hub
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"version": "1.2.3"}', encoding="utf-8")
    seen = {}

    def fake_download(repo_id, filename, repo_type, revision):
        seen.update(repo_id=repo_id, filename=filename, repo_type=repo_type, revision=revision)
        return str(manifest)

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", fake_download)
    assert dataset_version("org/newsstance-does-not-exist", "v1.2.3") == "1.2.3"
    assert seen == {"repo_id": "org/newsstance-does-not-exist", "filename": "manifest.json", "repo_type": "dataset",
                    "revision": "v1.2.3"}


def test_stance_gold_has_label_and_target_names(golds):
    gold = golds["stance"]
    assert [(s.article_id, s.holder_key, s.label) for s in gold.stances][:2] == [
        ("a1", "Q3874799", "neutral"), ("a1", "european countries", "against")]
    assert {s.target for s in gold.stances} == {TARGET}
    assert gold.stance_labels == ("favor", "against", "neutral")


def test_a_missing_split_is_reported(data):
    with pytest.raises(InputError, match=r"E611 .*cannot load the gold 'documents' config, split 'validation': .*Unknown split"):
        load_gold("stance", data=str(data), split="validation")


def test_an_unknown_task_is_reported(data):
    with pytest.raises(InputError, match=r"E612 .*unknown task 'pos'; known: ner, stance, cleaning"):
        load_gold("pos", data=str(data))


# --- NER against seqeval, through the whole harness ----------------------------------------------

def seqeval_of(gold, predicted: dict[str, list[tuple[int, int, str]]]) -> dict:
    """seqeval's strict IOB2 report over the fixture's sentences, predictions tagged on its tokens."""
    y_true, y_pred = [], []
    for article_id in gold.articles:
        for sentence in sentences(gold.texts[article_id]):
            y_true.append(tags_for(sentence, gold_spans(article_id)))
            y_pred.append(tags_for(sentence, predicted.get(article_id, [])))
    return classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)


PREDICTIONS = {
    "perfect": lambda: {a: gold_spans(a) for a in ("a1", "a2")},
    "one article missing": lambda: {"a1": gold_spans("a1")},
    "label errors": lambda: {a: [(s, e, "ORG" if label == "GPE" else label) for s, e, label in gold_spans(a)]
                             for a in ("a1", "a2")},
    "boundary error": lambda: {"a2": [(*at(ARTICLES["a2"][1], "Dmitry"), "PERSON"), *gold_spans("a2")[:2]]},
    "extra entities": lambda: {"a1": [*gold_spans("a1"), (*at(ARTICLES["a1"][1], "plan"), "LAW"),
                                      (*at(ARTICLES["a1"][1], "countries"), "NORP")]},
    "nothing": lambda: {"a1": [], "a2": []},
    "multi-token prediction": lambda: {"a1": [(*at(ARTICLES["a1"][1], "European countries"), "NORP"),
                                              (*at(ARTICLES["a1"][1], "Kiev on Thursday"), "DATE")]},
}


@pytest.mark.parametrize("case", sorted(PREDICTIONS))
def test_ner_scores_equal_seqeval_strict(case, golds, tmp_path):
    predicted = PREDICTIONS[case]()
    path = write(tmp_path / "p.jsonl", [ner_line(a, spans) for a, spans in sorted(predicted.items())])
    result = score(golds["ner"], path.read_bytes(), file=str(path), model="m")
    theirs = seqeval_of(golds["ner"], predicted)
    ours = result.scores
    assert ours.strict.precision == pytest.approx(theirs["micro avg"]["precision"])
    assert ours.strict.recall == pytest.approx(theirs["micro avg"]["recall"])
    assert ours.strict.f1 == pytest.approx(theirs["micro avg"]["f1-score"])
    assert ours.strict.gold == theirs["micro avg"]["support"] == 10
    for label, value in ours.strict_per_label:
        assert (value.precision, value.recall, value.gold) == (
            pytest.approx(theirs[label]["precision"]), pytest.approx(theirs[label]["recall"]), theirs[label]["support"])
        assert value.f1 == pytest.approx(theirs[label]["f1-score"])


def test_ner_partial_view_credits_boundary_errors(golds, tmp_path):
    text = ARTICLES["a1"][1]
    path = write(tmp_path / "p.jsonl", [ner_line("a1", [(*at(text, "Zelensky met"), "PERSON"),
                                                         (*at(text, "Kiev on"), "GPE")])])
    scores = score(golds["ner"], path.read_bytes(), file="p.jsonl", model="m").scores
    assert scores.strict.correct == 0
    assert (scores.partial.correct, scores.partial.predicted, scores.partial.gold) == (2, 2, 10)


def test_missing_articles_count_as_misses_and_are_reported(golds, tmp_path):
    path = write(tmp_path / "p.jsonl", [ner_line("a1", gold_spans("a1"))])
    result = score(golds["ner"], path.read_bytes(), file=str(path), model="m")
    assert result.scores.strict.recall == pytest.approx(5 / 10)
    assert result.sizes["missing_articles"] == 1
    assert [w.code for w in result.warnings] == ["E608"]
    assert re.search(r"E608 .*p\.jsonl: 1 of 2 gold articles have no prediction \(first: a2\); they count as misses",
                     str(result.warnings[0]))
    assert "1 of 2 gold articles have no prediction" in render_table(result)


# --- stance and cleaning, hand-computed -----------------------------------------------------------

def stance_line(article_id, holder_key, label, target=TARGET) -> dict:
    return {"article_id": article_id, "holder_key": holder_key, "target": target, "label": label}


def test_stance_scores_hand_computed(golds, tmp_path):
    # gold: a1 neutral, against; a2 against, favor, favor
    path = write(tmp_path / "p.jsonl", [
        stance_line("a1", "Q3874799", "neutral"), stance_line("a1", "european countries", "favor"),
        stance_line("a2", "Q1033000", "against"), stance_line("a2", "Q7747", "favor")])  # Q22686 missing
    result = score(golds["stance"], path.read_bytes(), file="p.jsonl", model="m")
    s = result.scores
    assert s.accuracy == pytest.approx(3 / 5)
    by_label = dict(s.per_label)
    assert (by_label["favor"].precision, by_label["favor"].recall) == (pytest.approx(1 / 2), pytest.approx(1 / 2))
    assert (by_label["against"].precision, by_label["against"].recall) == (1.0, pytest.approx(1 / 2))
    assert by_label["neutral"].f1 == 1.0
    assert s.f_avg == pytest.approx((0.5 + 2 / 3) / 2)
    assert s.macro_f1 == pytest.approx((0.5 + 2 / 3 + 1) / 3)
    assert s.confusion == ((1, 0, 0, 1), (1, 1, 0, 0), (0, 0, 1, 0))
    assert result.sizes == {"articles": 2, "gold_items": 5, "predicted_items": 4, "missing_items": 1}
    assert "a2/Q22686/us-peace-plan-2025" in str(result.warnings[0])


def test_cleaning_scores(golds, tmp_path):
    a1, a2 = ARTICLES["a1"][1], ARTICLES["a2"][1]
    raw_a2 = golds["cleaning"].raw_texts["a2"]
    path = write(tmp_path / "p.jsonl", [{"article_id": "a1", "text": a1}, {"article_id": "a2", "text": raw_a2}])
    s = score(golds["cleaning"], path.read_bytes(), file="p.jsonl", model="m").scores
    assert s.recall == 1.0
    assert s.precision == pytest.approx((len(a1) + len(a2)) / (len(a1) + len(raw_a2)))
    assert s.exact_match == 0.5


# --- malformed predictions: every check, all problems at once -------------------------------------

BAD = {
    "E601": (["{not json"], r"E601 .*p\.jsonl: line 1: line is not valid JSON"),
    "E602": ([{"article_id": "a1"}], r"E602 .*line 1, article 'a1': prediction is malformed: missing field 'entities'"),
    "E602 entity": ([{"article_id": "a1", "entities": [{"start": "0", "end": 3, "label": "PERSON"}]}],
                    r"E602 .*entities\[0\]: field 'start' must be int, got str"),
    "E602 not an object": (["[1, 2]"], r"E602 .*line 1: prediction is malformed: expected a JSON object, got list"),
    "E603": ([ner_line("zz", [])], r"E603 .*line 1, article 'zz': unknown article id 'zz': not an article of the 'test' split"),
    "E603 train article": ([ner_line("a3", [])], r"E603 .*unknown article id 'a3'"),
    "E604": ([ner_line("a1", [(70, 90, "PERSON")])],
             r"E604 .*line 1, article 'a1': entity offsets \[70, 90\) do not fit the cleaned text of 75 characters"),
    "E604 empty": ([ner_line("a1", [(3, 3, "PERSON")])], r"E604 .*entity offsets \[3, 3\)"),
    "E605": ([ner_line("a1", [(0, 8, "PER")])], r"E605 .*unknown entity label 'PER'; known: PERSON, NORP"),
    "E606": ([ner_line("a1", []), ner_line("a1", [])], r"E606 .*line 2, article 'a1': duplicate prediction for this article \(first on line 1\)"),
    "E606 entity": ([ner_line("a1", [(0, 8, "PERSON"), (0, 8, "PERSON")])],
                    r"E606 .*duplicate prediction for entity \[0, 8\) PERSON \(first on line 1\)"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_ner_predictions(case, golds, tmp_path):
    lines, message = BAD[case]
    path = write(tmp_path / "p.jsonl", lines)
    with pytest.raises(InputError, match=message) as exc:
        score(golds["ner"], path.read_bytes(), file=str(path), model="m")
    assert "fix:" in problems_of(exc)


@pytest.mark.parametrize("line, message", [
    (stance_line("a1", "Q3874799", "pro"), r"E605 .*line 1, article 'a1': unknown stance label 'pro'; known: favor, against, neutral"),
    (stance_line("a1", "Q3874799", "favor", target="nato"), r"E605 .*unknown target 'nato'; known: us-peace-plan-2025"),
    (stance_line("a1", "q3874799", "favor"),
     r"E607 .*line 1, article 'a1': no gold stance for holder_key 'q3874799' and target 'us-peace-plan-2025'"),
    ({"article_id": "a1", "holder_key": "Q3874799", "target": TARGET}, r"E602 .*missing field 'label'"),
])
def test_malformed_stance_predictions(line, message, golds, tmp_path):
    path = write(tmp_path / "p.jsonl", [line])
    with pytest.raises(InputError, match=message):
        score(golds["stance"], path.read_bytes(), file=str(path), model="m")


def test_duplicate_stance_prediction(golds, tmp_path):
    path = write(tmp_path / "p.jsonl", [stance_line("a1", "Q3874799", "favor"), "", stance_line("a1", "Q3874799", "against")])
    with pytest.raises(InputError, match=r"E606 .*line 3, article 'a1': duplicate prediction for holder_key 'Q3874799', "
                                         r"target 'us-peace-plan-2025' \(first on line 1\)"):
        score(golds["stance"], path.read_bytes(), file=str(path), model="m")


def test_cleaning_prediction_needs_text(golds, tmp_path):
    path = write(tmp_path / "p.jsonl", [{"article_id": "a1", "text": None}])
    with pytest.raises(InputError, match=r"E602 .*field 'text' must be str, got NoneType"):
        score(golds["cleaning"], path.read_bytes(), file=str(path), model="m")


def test_every_problem_is_reported_at_once(golds, tmp_path):
    path = write(tmp_path / "p.jsonl", ["{", ner_line("zz", []), ner_line("a1", [(0, 999, "PERSON"), (0, 8, "PER")])])
    with pytest.raises(InputError, match=r"^4 problems:") as exc:
        score(golds["ner"], path.read_bytes(), file=str(path), model="m")
    assert exc.value.codes == ["E601", "E603", "E604", "E605"]


def test_predictions_that_are_not_utf8(golds):
    with pytest.raises(InputError, match=r"E609 .*p\.jsonl: cannot read the predictions: not UTF-8 \(byte 0xff"):
        score(golds["ner"], b'{"article_id": "a1"}\n\xff\n', file="p.jsonl", model="m")


def test_a_missing_predictions_file(data, tmp_path):
    with pytest.raises(InputError, match=r"E609 .*nope\.jsonl: cannot read the predictions: No such file"):
        evaluate(task="ner", data=str(data), predictions=tmp_path / "nope.jsonl")


@pytest.mark.parametrize("options", [{}, {"predictions": Path("p.jsonl"), "spacy_model": "x"},
                                     {"task": "stance", "spacy_model": "en_core_web_sm"}])
def test_evaluate_needs_exactly_one_source(options, data):
    options = {"task": "ner", **options}
    with pytest.raises(InputError, match=r"E612 .*give exactly one of predictions, spacy_model or nlp"):
        evaluate(data=str(data), **options)


# --- spaCy pipelines ------------------------------------------------------------------------------

def gazetteer() -> spacy.language.Language:
    """A small rule-based pipeline: it knows most, not all, gold entities, and one wrong label."""
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([
        {"label": "PERSON", "pattern": "Zelensky"}, {"label": "PERSON", "pattern": "Trump"},
        {"label": "GPE", "pattern": "Kiev"}, {"label": "GPE", "pattern": "Moscow"},
        {"label": "DATE", "pattern": [{"LOWER": {"IN": ["thursday", "wednesday"]}}]},
        {"label": "ORG", "pattern": "US"}, {"label": "PERSON", "pattern": "Peskov"}])
    nlp.meta["name"] = "gazetteer"
    return nlp


def test_a_spacy_pipeline_object_is_scored(data):
    result = evaluate(task="ner", data=str(data), nlp=gazetteer())
    s = result.scores
    # predicted 9: Zelensky Trump Kiev Thursday | Moscow US(ORG) Peskov Wednesday Moscow; correct 7 of gold 10
    assert (s.strict.correct, s.strict.predicted, s.strict.gold) == (7, 9, 10)
    assert s.partial.correct == 8  # Peskov overlaps Dmitry Peskov
    assert result.model == "spacy:en_gazetteer-0.0.0"
    assert result.predictions_file is None


def test_a_spacy_pipeline_is_loaded_from_a_path(data, tmp_path):
    gazetteer().to_disk(tmp_path / "pipeline")
    result = evaluate(task="ner", data=str(data), spacy_model=str(tmp_path / "pipeline"), model_name="gaz")
    assert (result.scores.strict.correct, result.model) == (7, "gaz")


def test_a_spacy_pipeline_that_cannot_be_loaded(data):
    with pytest.raises(InputError, match=r"E610 .*cannot load the spaCy pipeline 'xx_no_such_pipeline_sm'"):
        evaluate(task="ner", data=str(data), spacy_model="xx_no_such_pipeline_sm")


# --- records, tables and the card section ---------------------------------------------------------

def test_result_record_is_deterministic(data, tmp_path):
    path = write(tmp_path / "preds.jsonl", [stance_line("a1", "Q3874799", "neutral")])
    first = write_result(evaluate(task="stance", data=str(data), predictions=path, model_name="My Model 1"),
                         tmp_path / "results")
    content = first.read_bytes()
    second = write_result(evaluate(task="stance", data=str(data), predictions=path, model_name="My Model 1"),
                          tmp_path / "results")
    assert first == second and second.read_bytes() == content
    assert first.name == f"{VERSION}__stance__test__my-model-1.json"
    record = json.loads(content)
    assert list(record) == sorted(record)
    assert record["predictions"] == {"file": "preds.jsonl",
                                     "sha256": __import__("hashlib").sha256(path.read_bytes()).hexdigest()}
    assert record["dataset"] == {"source": data.name, "revision": None, "version": VERSION, "split": "test"}
    assert record["sizes"]["missing_items"] == 4
    assert re.search(rb"20\d\d-\d\d-\d\d", content) is None  # no timestamps


def test_record_of_each_task(golds, tmp_path):
    ner = score(golds["ner"], jsonl_bytes([ner_line("a1", gold_spans("a1"))]), file="p", model="m")
    assert result_record(ner)["metrics"]["strict"]["per_label"]["PERSON"]["f1"] == pytest.approx(0.8)  # P 2/2, R 2/3
    assert result_path(tmp_path, ner).name == f"{VERSION}__ner__test__m.json"
    cleaning = score(golds["cleaning"], jsonl_bytes([{"article_id": "a1", "text": ARTICLES["a1"][1]}]), file="p", model="m")
    metrics = result_record(cleaning)["metrics"]
    assert metrics["exact_match"] == 0.5 and metrics["kept_chars"] == len(ARTICLES["a1"][1])


def test_render_table_lists_labels_and_provenance(golds):
    result = score(golds["ner"], jsonl_bytes([ner_line("a1", gold_spans("a1"))]), file="p", model="m")
    table = render_table(result)
    assert "task ner, model m" in table and f"version {VERSION}" in table
    assert re.search(r"PERSON\s+100\.0\s+66\.7\s+80\.0", table)
    stance = score(golds["stance"], jsonl_bytes([stance_line("a1", "Q3874799", "neutral")]), file="p", model="m")
    assert "F_avg(favor, against)" in render_table(stance) and "MISSING" in render_table(stance)
    cleaning = score(golds["cleaning"], b"", file="p", model="m")
    assert "exact match" in render_table(cleaning)


def test_benchmarks_section_lists_the_results_of_the_version(golds, tmp_path):
    results = tmp_path / "results"
    for model in ("b-model", "a-model"):
        write_result(score(golds["stance"], jsonl_bytes([stance_line("a1", "Q3874799", "neutral")]), file="p",
                           model=model), results)
    write_result(score(golds["ner"], b"", file="p", model="z"), results)
    (results / "other.json").write_text(json.dumps({"task": "ner", "dataset": {"version": "0.0.1"}}), encoding="utf-8")
    section = benchmarks_section(results, VERSION)
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert [row.split(" | ")[:2] for row in rows] == [["| ner", "z"], ["| stance", "a-model"], ["| stance", "b-model"]]
    assert "accuracy 20.0; macro-F1" in rows[1]
    assert benchmarks_section(results, VERSION) == section


def test_benchmarks_section_without_results(tmp_path):
    assert benchmarks_section(tmp_path / "none", "1.0.0").startswith("No benchmark results are on record for version 1.0.0")


# --- the command line -----------------------------------------------------------------------------

def test_cli_evaluates_and_writes_a_record(data, tmp_path, capsys):
    path = write(tmp_path / "preds.jsonl", [ner_line("a1", gold_spans("a1")), ner_line("a2", gold_spans("a2"))])
    code = main(["evaluate", "--task", "ner", "--data", str(data), "--predictions", str(path),
                 "--results-dir", str(tmp_path / "results")])
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"micro\s+100\.0\s+100\.0\s+100\.0", out)
    record = json.loads((tmp_path / "results" / f"{VERSION}__ner__test__preds.json").read_text(encoding="utf-8"))
    assert record["metrics"]["strict"]["micro"]["f1"] == 1.0


def test_cli_reports_problems_with_exit_1(data, tmp_path, capsys):
    path = write(tmp_path / "preds.jsonl", [ner_line("nope", [])])
    code = main(["evaluate", "--task", "ner", "--data", str(data), "--predictions", str(path), "--no-write"])
    assert code == 1
    assert "E603" in capsys.readouterr().err


def test_cli_spacy_model_is_for_ner_only(data, capsys):
    assert main(["evaluate", "--task", "stance", "--data", str(data), "--spacy-model", "x"]) == 2
    assert "--spacy-model scores NER only" in capsys.readouterr().err


def test_cli_scores_a_spacy_pipeline_folder(data, tmp_path, capsys):
    gazetteer().to_disk(tmp_path / "pipeline")
    code = main(["evaluate", "--task", "ner", "--data", str(data), "--spacy-model", str(tmp_path / "pipeline"),
                 "--results-dir", str(tmp_path / "results")])
    assert code == 0
    assert "model spacy:en_gazetteer-0.0.0" in capsys.readouterr().out
    assert [p.name for p in (tmp_path / "results").iterdir()] == [f"{VERSION}__ner__test__spacy-en_gazetteer-0.0.0.json"]


def test_cli_needs_predictions_or_a_model(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["evaluate", "--task", "ner"])
    assert exc.value.code == 2


# --- a real build ---------------------------------------------------------------------------------

def test_scores_gold_of_a_real_build(tmp_path):
    from factories import make_project

    from builder.config import BuildConfig
    from builder.pipeline import build

    root = make_project(tmp_path / "project", split="test")
    built = build(BuildConfig(corpus_dir=root / "corpus", annotations_dir=root / "annotations", output_dir=root / "out",
                              card_path=root / "DATASET_CARD.md", benchmarks_dir=root / "no-results"))
    gold = load_gold("ner", data=str(built))
    perfect = jsonl_bytes([ner_line(a, [(s.start, s.end, s.label) for s in gold.entities if s.article_id == a])
                           for a in gold.articles])
    result = score(gold, perfect, file="p", model="gold")
    assert result.scores.strict.f1 == 1.0 and result.scores.strict.gold == 6
    assert {gold.texts["a1"][s.start:s.end] for s in gold.entities} == {"Joe Biden", "Olaf Scholz", "Berlin",
                                                                      "Monday", "Biden", "Kremlin"}
    stance = load_gold("stance", data=str(built))
    lines = [stance_line(s.article_id, s.holder_key, s.label) for s in stance.stances]
    assert score(stance, jsonl_bytes(lines), file="p", model="gold").scores.accuracy == 1.0
