"""Issue 20's "Done when" as a stranger runs it: `newsstance init`, then import, validate and build via the CLI.

A Label Studio 1.23 export of Nigerian Pidgin (`pcm`) news with spans inside tokenizer tokens, a brat export
with a nested pair, and the JSON-MIN export of the seed's gold each go into a fresh project and come out
of ``load_dataset`` with every span kept and its offsets as annotated.
"""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from builder.cli import main
from factories import span

FIXTURES = Path(__file__).parent / "interop" / "labelstudio" / "fixtures"
STAMP = "2026-12-01T09:12:44.518230Z"


@dataclass(frozen=True, slots=True)
class Task:
    url: str
    title: str
    source: str
    text: str
    spans: tuple[tuple[str, str], ...]  # (quoted text, label), each found in the text


PCM = (
    Task("https://www.bbc.com/pidgin/articles/c4ng1", "Arsenal beat Chelsea for Emirates", "BBC News Pidgin",
         "Arsenal don beat Chelsea 2-1 for Emirates Stadium on Sunday. For di 51'Bright Osayi-Samuel score di "
         "winner, na im coach Mikel Arteta talk say di boys try well.\n",
         (("Arsenal", "ORG"), ("Chelsea", "ORG"), ("Emirates Stadium", "FAC"), ("Sunday", "DATE"),
          ("Bright Osayi-Samuel", "PERSON"), ("Mikel Arteta", "PERSON"))),
    Task("https://www.bbc.com/pidgin/articles/c4ng2", "Senegal name dia squad", "BBC News Pidgin",
         'Senegal coach Aliou Cisse pick 2"Kalidou Koulibaly as captain. Di team go play Nigeria for Abuja. '
         "Last Chance!Habib Diallo no dey di list.\n",
         (("Senegal", "GPE"), ("Aliou Cisse", "PERSON"), ("Kalidou Koulibaly", "PERSON"), ("Nigeria", "GPE"),
          ("Abuja", "GPE"), ("Habib Diallo", "PERSON"))),
    Task("https://www.legit.ng/pidgin/road-loan", "Goment borrow money for road", "Legit Pidgin",
         "Federal Government of Nigeria don borrow $8m. from World Bank to build road for Lagos. "
         "Minister Dave Umahi talk am for Tuesday.\n",
         (("Federal Government of Nigeria", "ORG"), ("$8m", "MONEY"), ("World Bank", "ORG"), ("Lagos", "GPE"),
          ("Dave Umahi", "PERSON"), ("Tuesday", "DATE"))),
)
# in 51'Bright, 2"Kalidou, Chance!Habib and $8m. (a boundary inside each of those tokens)
INSIDE_TOKENS = {"Bright Osayi-Samuel", "Kalidou Koulibaly", "Habib Diallo", "$8m"}
SEED_FACTS = ("English", "seed article", "Brazilian", "AI agents", "us-peace-plan", "Scores on newsstance",
              "Annotations and documentation: CC-BY-4.0")  # the seed's licence of its annotations: not stated here


def labelstudio_task(n: int, task: Task) -> dict:
    """One task of a Label Studio 1.23.2 full JSON export (the fields of fixtures/make_exports.py), one annotator."""
    result = [{"value": {**span(task.text, quoted), "labels": [label]}, "id": f"t{n}r{k}",
               "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual"}
              for k, (quoted, label) in enumerate(task.spans)]
    annotation = {"id": n, "completed_by": 1, "result": result, "was_cancelled": False, "ground_truth": False,
                  "created_at": STAMP, "updated_at": STAMP, "draft_created_at": None, "lead_time": 301.2,
                  "prediction": {}, "result_count": len(result), "unique_id": f"7d2b0c4e-1a9f-4c1e-8b3a-00000000000{n}",
                  "import_id": None, "last_action": None, "bulk_created": False, "task": n, "project": 3,
                  "updated_by": 1, "parent_prediction": None, "parent_annotation": None, "last_created_by": None}
    return {"id": n, "annotations": [annotation], "file_upload": "9e1f3b2a-naija.json", "drafts": [], "predictions": [],
            "data": {"raw_text": task.text, "url": task.url, "title": task.title, "source": task.source},
            "meta": {}, "created_at": STAMP, "updated_at": STAMP, "allow_skip": True, "inner_id": n,
            "total_annotations": 1, "cancelled_annotations": 0, "total_predictions": 0, "comment_count": 0,
            "unresolved_comment_count": 0, "last_comment_updated_at": None, "project": 3, "updated_by": 1,
            "comment_authors": []}


@dataclass(frozen=True, slots=True)
class Built:
    root: Path
    export: list[dict]
    outputs: dict[str, tuple[int, str]]  # command -> (exit code, what it printed)

    @property
    def dist(self) -> Path:
        return self.root / "dist" / "1.0.0"

    def card(self) -> tuple[dict, str]:
        _, head, body = (self.dist / "README.md").read_text(encoding="utf-8").split("---\n", 2)
        return yaml.safe_load(head), body

    def manifest(self) -> dict:
        return json.loads((self.dist / "manifest.json").read_text(encoding="utf-8"))

    def documents(self) -> list[dict]:
        from datasets import load_dataset

        loaded = load_dataset(str(self.dist), "documents")
        return [row for split in loaded.values() for row in split]

    def entity_labels(self) -> list[str]:
        from datasets import load_dataset_builder

        entities = load_dataset_builder(str(self.dist), "documents").info.features["entities"]
        return entities.feature["label"].names


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(argv)
    return code, out.getvalue()


def init_import_build(base: Path, export_path: Path, imports: list[list[str]]) -> Built:
    """`newsstance init` in base, then from inside the project each import, validate and build."""
    outputs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(base)
        outputs["init"] = run(["init", "project", "--name", "A team's corpus"])
        patch.chdir(base / "project" / "corpus")  # any folder inside the project will do
        for n, argv in enumerate(imports):
            outputs[f"import{n}"] = run(argv)
        outputs["validate"] = run(["validate"])
        outputs["build"] = run(["build"])
    return Built(base / "project", json.loads(export_path.read_text(encoding="utf-8")) if export_path.suffix == ".json"
                 else [], outputs)


@pytest.fixture(scope="module")
def pcm(tmp_path_factory) -> Built:
    base = tmp_path_factory.mktemp("pcm")
    export = base / "project-3-at-2026-12-01.json"
    export.write_text(json.dumps([labelstudio_task(n, t) for n, t in enumerate(PCM, 1)], indent=2, ensure_ascii=False),
                      encoding="utf-8")
    return init_import_build(base, export, [["import", "labelstudio", str(export), "--text-field", "raw_text",
                                             "--new-articles", "--language", "pcm", "--annotator-kind", "human"]])


def test_the_pcm_export_imports_validates_and_builds_from_inside_the_project(pcm):
    assert {command: code for command, (code, _) in pcm.outputs.items()} == {"init": 0, "import0": 0, "validate": 0,
                                                                              "build": 0}
    assert "wrote 3 annotation file(s): 18 entities" in pcm.outputs["import0"][1]
    assert "added to annotators.yaml: ls-1" in pcm.outputs["import0"][1]
    assert "Traceback" not in "".join(text for _, text in pcm.outputs.values())


def test_every_span_arrives_in_documents_with_its_offsets_as_exported(pcm):
    exported = {(t["data"]["raw_text"], r["value"]["start"], r["value"]["end"], r["value"]["text"],
                 r["value"]["labels"][0]) for t in pcm.export for r in t["annotations"][0]["result"]}
    names = pcm.entity_labels()
    arrived = {(row["raw_text"], e["raw_start"], e["raw_end"], e["text"], names[e["label"]])
               for row in pcm.documents() for e in row["entities"]}
    assert arrived == exported and len(exported) == 18
    assert all(raw[start:end] == quoted for raw, start, end, quoted, _ in arrived)


def bio_runs(row: dict) -> set[tuple[str, int, int]]:
    """(article id, start, end) of each run of B-/I- tags of one `ner` row, in offsets of the cleaned text."""
    runs, open_run = set(), None
    for tag, start, end in zip(row["ner_tags"] + [0], row["token_starts"] + [0], row["token_ends"] + [0]):
        if open_run and (tag == 0 or tag % 2 == 1):
            runs.add((row["article_id"], *open_run))
            open_run = None
        if tag % 2 == 1:
            open_run = (start, end)
        elif tag != 0:
            open_run = (open_run[0], end)
    return runs


def test_every_span_inside_a_token_is_a_run_of_whole_tokens_in_the_ner_config(pcm):
    from datasets import load_dataset

    loaded = load_dataset(str(pcm.dist), "ner")
    runs = {run for split in loaded.values() for row in split for run in bio_runs(row)}
    assert runs == {(row["id"], e["start"], e["end"]) for row in pcm.documents() for e in row["entities"]}
    tokens = {token for split in loaded.values() for row in split for token in row["tokens"]}
    assert {"51'", "Bright", '2"', "Kalidou", "Chance!", "Habib"} <= tokens
    assert pcm.manifest()["tokenization"]["split_tokens"]["total"] == len(INSIDE_TOKENS)


def test_the_manifest_records_the_multi_language_tokenizer_for_pcm(pcm):
    assert pcm.manifest()["tokenization"]["languages"] == {"pcm": {"articles": 3, "spacy_language": "xx",
                                                                   "spacy_class": "MultiLanguage"}}


def test_url_title_and_source_of_the_tasks_are_in_the_article_metadata(pcm):
    metas = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((pcm.root / "corpus").glob("*.meta.json"))]
    assert sorted((m["url"], m["title"], m["outlet"]) for m in metas) == sorted((t.url, t.title, t.source) for t in PCM)
    assert not any("Not given" in m["notes"][field] for m in metas for field in ("url", "title", "outlet"))
    assert sorted(row["url"] for row in pcm.documents()) == sorted(t.url for t in PCM)


@pytest.mark.parametrize("name", ["README.md", "croissant.json"])
def test_the_card_names_no_seed_fact(pcm, name):
    text = (pcm.dist / name).read_text(encoding="utf-8")
    assert [fact for fact in SEED_FACTS if fact in text] == []


def test_the_card_lists_no_stance_task_or_config(pcm):
    head, body = pcm.card()
    assert [c["config_name"] for c in head["configs"]] == ["documents", "ner", "cleaning", "annotations"]
    assert head["task_ids"] == ["named-entity-recognition"] and "text-classification" not in head["task_categories"]
    assert "`stance`" not in body and "Stance detection" not in body


def test_the_card_says_pcm(pcm):
    head, body = pcm.card()
    assert head["language"] == ["pcm"]
    assert "`pcm` (3 articles)" in body and "`MultiLanguage` (`xx`)" in body


def test_the_card_shows_no_agreement_figure_for_one_annotator(pcm):
    _, body = pcm.card()
    agreement = body.split("### Annotator agreement", 1)[1].split("\n## ", 1)[0]
    assert "n/a: one annotator" in agreement and "1.000" not in body and "0 matches" not in body


def test_the_card_counts_the_tokens_split_at_annotation_boundaries(pcm):
    assert "that token was split there: 4 token(s) in 3 article(s). Offsets are as annotated" in pcm.card()[1]


def brat_export(folder: Path) -> int:
    """A brat export of one news text with a nested pair ([United States [Navy]]); returns its span count."""
    text = "The United States Navy sent two ships to Manila on Friday, officials in Washington said.\n"
    spans = [("United States Navy", "Organization"), ("Navy", "Organization"), ("Manila", "Location"),
             ("Friday", "Date"), ("Washington", "Location")]
    folder.mkdir()
    (folder / "wikinews-1.txt").write_text(text, encoding="utf-8")
    lines = [f"T{n}\t{label} {s['start']} {s['end']}\t{quoted}"
             for n, (quoted, label) in enumerate(spans, 1) for s in [span(text, quoted)]]
    (folder / "wikinews-1.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(spans)


def test_a_brat_export_with_a_nested_pair_imports_with_keep_outer_and_builds(tmp_path):
    spans = brat_export(tmp_path / "brat")
    (tmp_path / "labels.yaml").write_text("Organization: ORG\nLocation: GPE\nDate: DATE\n", encoding="utf-8")
    argv = ["import", "brat", str(tmp_path / "brat"), "--annotator", "wikinews-team", "--annotator-kind", "human",
            "--label-map", str(tmp_path / "labels.yaml"), "--new-articles", "--language", "en"]
    built = init_import_build(tmp_path, tmp_path / "brat", [argv, argv + ["--overlaps", "keep-outer"]])
    refused, kept = built.outputs["import0"], built.outputs["import1"]
    assert refused[0] == 1 and "E432" in refused[1] and "'United States Navy'" in refused[1]
    assert kept[0] == 0 and "--overlaps keep-outer dropped 1 entity in 1 document(s)" in kept[1]
    assert built.outputs["validate"][0] == 0 and built.outputs["build"][0] == 0
    [row] = built.documents()
    assert sorted(e["text"] for e in row["entities"]) == ["Friday", "Manila", "United States Navy", "Washington"]
    assert len(row["entities"]) == spans - 1


def test_the_json_min_export_of_the_seed_gold_keeps_every_span_and_refuses_the_rest_naming_json(tmp_path):
    export = FIXTURES / "seed-gold-1.23-json-min.json"
    tasks = json.loads(export.read_text(encoding="utf-8"))
    entities = sum(len(t.get("entity", [])) for t in tasks)
    debris = sum(len(t.get("debris", [])) for t in tasks)
    argv = ["import", "labelstudio", str(export), "--annotator", "gold-min", "--annotator-kind", "project-team",
            "--new-articles", "--language", "en", "--keep-unknown-labels"]
    built = init_import_build(tmp_path, export, [argv])
    code, text = built.outputs["import0"]
    assert code == 1 and "JSON-MIN drops the link between a QID and its span" in text and "export as JSON" in text
    assert f"{entities} entities" in text and f"{debris} debris spans" in text
    assert built.outputs["build"][0] == 0, built.outputs["validate"][1]
    assert sum(len(row["entities"]) for row in built.documents()) == entities


def test_croissant_shows_no_agreement_figure_and_no_second_annotator_for_one_annotator(pcm):
    croissant = json.loads((pcm.dist / "croissant.json").read_text(encoding="utf-8"))
    assert croissant["rai:dataAnnotationAnalysis"].startswith("Inter-annotator agreement: n/a: one annotator")
    assert croissant["rai:annotationsPerItem"].startswith("3 article(s) with 1 annotator set(s); gold sets by origin: "
                                                          "3 single.")


def test_croissant_says_pcm(pcm):
    assert json.loads((pcm.dist / "croissant.json").read_text(encoding="utf-8"))["inLanguage"] == ["pcm"]


def test_croissant_is_named_as_the_card_of_the_project(pcm):
    croissant = json.loads((pcm.dist / "croissant.json").read_text(encoding="utf-8"))
    assert croissant["name"] == croissant["description"] == croissant["citeAs"] == "A team's corpus"
