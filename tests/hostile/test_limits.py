"""Bounded time and memory: the size limits (E801), and the checks that stay linear at 10^5 items."""

from __future__ import annotations

import json
from pathlib import Path

from factories import annotation, span, write_annotation, write_article
from hostile.running import assert_refused, dist_files, run_cli

MANY = 100_000


def identical_spans(project: Path, count: int) -> None:
    data = json.loads((project / "annotations" / "team-a" / "a1.json").read_text(encoding="utf-8"))
    one = data["entities"][0]
    data["entities"] = [{**one, "id": f"e{i}"} for i in range(count)]
    (project / "annotations" / "team-a" / "a1.json").write_text(json.dumps(data), encoding="utf-8")


def test_ten_to_the_five_identical_spans_give_each_overlap_once_in_bounded_time_and_memory(project):
    before = dist_files(project)
    identical_spans(project, MANY - 4)  # with the stances' 2 evidence spans and 2 debris spans: 10^5 spans
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E107", project, before, cpu=90, rss_mb=2500)
    assert run.stderr.count("E107 ") == MANY - 5  # each span once, against the one before it


def test_ten_to_the_six_identical_spans_are_refused_by_the_size_limit_before_reading(project):
    before = dist_files(project)
    identical_spans(project, 10 * MANY)
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E801", project, before, cpu=60, rss_mb=1000)
    assert "over the limit annotation_file_bytes = 64,000,000" in run.stderr and "--limit" in run.stderr


def test_more_spans_than_the_limit_are_refused_after_decoding(project):
    before = dist_files(project)
    identical_spans(project, 1_001)
    run = run_cli(project, "--limit", "spans_per_file=1000", "build", "--no-cache")
    assert_refused(run, "E801", project, before)
    assert "the number of spans (entities, evidence, debris) is 1,005 spans, over the limit spans_per_file" in run.stderr


def many_entities_project(project: Path, bad_label: bool) -> None:
    text = "Anna " * MANY
    write_article(project / "corpus", "b1", text, split="train")
    entities = [dict(start=5 * i, end=5 * i + 4, text="Anna", id=f"e{i}", label="PERSON") for i in range(MANY)]
    if bad_label:
        entities[MANY // 2]["label"] = "NOPE"
    write_annotation(project / "annotations", annotation("b1", text, "team-a", entities=entities, cleaning=[]))


def test_ten_to_the_five_entities_with_one_bad_label_take_about_as_long_as_without(project):
    runs = {}
    for bad_label in (False, True):
        many_entities_project(project, bad_label)
        runs[bad_label] = run = run_cli(project, "validate")
        assert run.code == int(bad_label) and "Traceback" not in run.stderr, run.stdout[-2000:] + run.stderr
        assert ("E106" in run.stdout) is bad_label
        assert run.cpu_seconds < 60 and run.peak_rss_mb < 2500, (run.cpu_seconds, run.peak_rss_mb)
    assert runs[True].cpu_seconds < 2 * runs[False].cpu_seconds + 3, (runs[True].cpu_seconds, runs[False].cpu_seconds)


def test_ten_to_the_five_entities_inside_tokens_build_in_linear_time(project):
    text = "Anna " * MANY
    write_article(project / "corpus", "b1", text, split="train")
    entities = [dict(start=5 * i, end=5 * i + 3, text="Ann", id=f"e{i}", label="PERSON") for i in range(MANY)]
    write_annotation(project / "annotations", annotation("b1", text, "team-a", entities=entities, cleaning=[]))
    run = run_cli(project, "build", "--no-cache")
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr[-2000:]
    manifest = json.loads((project / "dist" / "1.0.0" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tokenization"]["split_tokens"]["by_article"]["b1"] == MANY  # every "Anna" cut after "Ann"
    assert run.cpu_seconds < 120 and run.peak_rss_mb < 2500, (run.cpu_seconds, run.peak_rss_mb)


BOMB = "".join(f"x{i}: &a{i} [{', '.join([f'*a{i - 1}' if i else 'lol'] * 10)}]\n" for i in range(9))


def test_a_yaml_alias_bomb_in_an_annotators_description_is_refused_at_once(project):
    before = dist_files(project)
    (project / "annotations" / "annotators.yaml").write_text(
        BOMB + "annotators:\n  - {id: team-a, kind: k, description: *a8}\n", encoding="utf-8")
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E805", project, before, cpu=30, rss_mb=800)
    assert "YAML anchor at line 1" in run.stderr


def test_a_yaml_alias_bomb_in_a_target_description_is_refused_at_once(project):
    before = dist_files(project)
    schema = project / "annotations" / "schema.yaml"
    text = schema.read_text(encoding="utf-8")
    schema.write_text(BOMB + text.replace("targets:\n", "targets:\n  bomb: *a8\n"), encoding="utf-8")
    assert_refused(run_cli(project, "build", "--no-cache"), "E805", project, before, cpu=30, rss_mb=800)


def big_article(project: Path, size: int) -> None:
    """corpus/big.txt of ``size`` bytes (sparse: no disk used), with metadata that names it."""
    with open(project / "corpus" / "big.txt", "wb") as handle:
        handle.truncate(size)
    write_article(project / "corpus", "big", "x")
    (project / "corpus" / "big.txt").unlink()
    with open(project / "corpus" / "big.txt", "wb") as handle:
        handle.truncate(size)


def test_a_200_mb_article_is_refused_before_it_is_read(project):
    before = dist_files(project)
    big_article(project, 200_000_000)
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E801", project, before, cpu=30, rss_mb=800)
    assert "the file is 200,000,000 bytes, over the limit article_bytes = 5,000,000" in run.stderr


def test_the_limit_is_raised_by_the_flag(project):
    before = dist_files(project)
    big_article(project, 6_000_000)
    run = run_cli(project, "--limit", "article_bytes=7000000", "build", "--no-cache")
    assert_refused(run, "E008", project, before)  # read now: its sha256 is not the metadata's
    assert "E801" not in run.stderr


def test_the_limit_is_raised_in_schema_yaml(project):
    before = dist_files(project)
    big_article(project, 6_000_000)
    schema = project / "annotations" / "schema.yaml"
    schema.write_text(schema.read_text(encoding="utf-8") + "limits:\n  article_bytes: 7000000\n", encoding="utf-8")
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E008", project, before)
    assert "E801" not in run.stderr


def test_limits_in_schema_yaml_are_type_checked(project):
    before = dist_files(project)
    schema = project / "annotations" / "schema.yaml"
    schema.write_text(schema.read_text(encoding="utf-8") + "limits:\n  article_bytes: lots\n  pages: 3\n",
                      encoding="utf-8")
    run = run_cli(project, "build", "--no-cache")
    assert_refused(run, "E807", project, before)
    assert "/limits/article_bytes must be a positive integer, got 'lots'" in run.stderr
    assert "E806" in run.stderr and "unknown key(s) pages at /limits" in run.stderr


def test_an_unknown_limit_on_the_command_line_is_refused(project):
    before = dist_files(project)
    run = run_cli(project, "--limit", "pages=3", "build", "--no-cache")
    assert_refused(run, "E818", project, before)


def label_studio_export(path: Path, count: int) -> None:
    text = "President Joe Biden met Olaf Scholz in Berlin, task {}.\n"
    tasks = []
    for i in range(count):
        s = span(text.format(i), "Berlin")
        tasks.append({"id": i, "data": {"text": text.format(i)}, "annotations": [{"id": i, "completed_by": 2, "result": [
            {"id": f"r{i}", "from_name": "entity", "to_name": "text", "type": "labels",
             "value": {"start": s["start"], "end": s["end"], "text": "Berlin", "labels": ["GPE"]}}]}]})
    path.write_text(json.dumps(tasks), encoding="utf-8")


def test_a_label_studio_export_of_ten_to_the_five_tasks_is_matched_in_linear_time(project):
    label_studio_export(project / "export.json", MANY)
    run = run_cli(project, "import", "labelstudio", "export.json", "--annotator", "team-d")
    assert run.code == 1 and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert run.stderr.count("E409") + run.stdout.count("E409") >= MANY  # no text is in the corpus: none written
    assert run.cpu_seconds < 120 and run.peak_rss_mb < 3000, (run.cpu_seconds, run.peak_rss_mb)
    assert not (project / "annotations" / "team-d").exists()


def test_more_imported_sets_than_the_limit_are_refused(project):
    label_studio_export(project / "export.json", 20)
    run = run_cli(project, "--limit", "sets_per_import=10", "import", "labelstudio", "export.json",
                  "--annotator", "team-d")
    assert run.code == 1 and "E801" in run.stderr + run.stdout and "Traceback" not in run.stderr
    assert "the number of annotation sets (one per annotation of a task) is 20 sets" in run.stderr + run.stdout
