"""check_article: one article's files, read once, checked in full; sets with the same cleaning share its work."""

from pathlib import Path

import pytest

from builder.article.checks import CheckedArticle, article_from, check_article, read_article
from builder.article.clean import clean_article
from builder.article.language import tokenizer_error
from builder.records import Debris
from builder.sources.annotations import load_annotators, load_schema
from builder.sources.listing import index_inputs, read_files
from builder.validate import validate_inputs
from factories import ARTICLE, annotation, default_entities, default_stances, make_project, span, write_annotation


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path, annotators=("team-a",), gold=False)


def rewrite(project, change, annotator="team-a", text=ARTICLE):
    """The set ``make_project`` wrote for ``annotator``, written again with ``change`` applied to it."""
    data = annotation("a1", text, annotator, entities=default_entities(text), stances=default_stances(text))
    change(data)
    write_annotation(project / "annotations", data)


# --- items checked once per article: a set that passed lends its items to the next sets ----------

def three_sets(tmp_path, change_gold=None, change_others=None):
    """make_project's team-a, team-b and gold, ``change_gold`` applied to gold and ``change_others`` to the two teams."""
    project = make_project(tmp_path)
    for annotator, change in (("gold", change_gold), ("team-a", change_others), ("team-b", change_others)):
        if change is not None:
            rewrite(project, change, annotator)
    return validate_inputs(project / "corpus", project / "annotations").problems


def test_an_item_wrong_in_every_set_is_reported_in_every_file(tmp_path):
    def misquote(data):
        data["entities"][2]["text"] = "Berlim"
    problems = three_sets(tmp_path, misquote, misquote)
    assert [(p.code, Path(p.file).parent.name) for p in problems] == [
        ("E105", "gold"), ("E105", "team-a"), ("E105", "team-b")]
    assert len({p.where for p in problems}) == 1  # the same item, worded alike in each file


def test_an_entity_the_gold_passed_is_checked_against_the_debris_of_another_set(tmp_path):
    def monday_is_debris(data):
        data["cleaning"].append(dict(span(ARTICLE, "Monday"), reason="promotion"))
    problems = three_sets(tmp_path, change_others=monday_is_debris)
    assert [(p.code, Path(p.file).parent.name, p.where) for p in problems] == [
        ("E108", team, f"article a1, entities[3], offsets [{ARTICLE.index('Monday')}, "
                       f"{ARTICLE.index('Monday') + len('Monday')}) (id e4)") for team in ("team-a", "team-b")]


def test_an_entity_in_a_word_another_set_glues_by_cleaning_is_no_problem(tmp_path):
    """team-a removes " AD " and reads "Smithson": its "Smith" ends inside that word, where the build splits it."""
    text = ARTICLE + "Smith AD son said.\n"
    project = make_project(tmp_path, annotators=("team-a",), text=text)
    smith = dict(span(text, "Smith"), id="e7", label="PERSON")
    rewrite(project, lambda d: d["entities"].append(smith), "gold", text)
    rewrite(project, lambda d: (d["entities"].append(smith),
                                d["cleaning"].append(dict(span(text, " AD "), reason="advertising"))), text=text)
    assert validate_inputs(project / "corpus", project / "annotations").problems == ()


def test_an_entity_with_whitespace_at_an_edge_is_reported_at_each_edge(tmp_path):
    project = make_project(tmp_path, annotators=("team-a",), gold=False)
    rewrite(project, lambda d: d["entities"][5].update(span(ARTICLE, " Kremlin ")))
    problems = validate_inputs(project / "corpus", project / "annotations").problems
    assert [(p.code, p.where) for p in problems] == [("E210", "article a1, entities[5] ORG (id e6)")] * 2
    assert "has whitespace at its start" in problems[0].what and "at its end" in problems[1].what


def test_the_tokenizer_of_the_article_language_is_checked_once(tmp_path):
    project = make_project(tmp_path)  # three sets: the language's tokenizer is one problem, not three
    meta = project / "corpus" / "a1.meta.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace('"language": "en"', '"language": "th"'), encoding="utf-8")
    if tokenizer_error("th") is None:
        pytest.skip("pythainlp is installed: spaCy's Thai tokenizer can be made here")
    problems = validate_inputs(project / "corpus", project / "annotations").problems
    assert [p.code for p in problems] == ["E022"] and "PyThaiNLP" in problems[0].what


# --- the metadata parsed and the raw text hashed once per article ------------------------------

@pytest.mark.parametrize("change", [
    None,
    lambda meta, raw: meta.write_bytes(b"{not json"),
    lambda meta, raw: meta.write_bytes(b"\xff\xfe"),
    lambda meta, raw: meta.write_text("null", encoding="utf-8"),
    lambda meta, raw: raw.write_bytes(raw.read_bytes() + b" changed"),
    lambda meta, raw: raw.unlink(),
    lambda meta, raw: meta.write_text(meta.read_text(encoding="utf-8").replace('"a1.txt"', '"../a1.txt"'), encoding="utf-8"),
])
def test_article_from_the_bytes_read_once_equals_read_article(project, change):
    meta, raw = project / "corpus" / "a1.meta.json", project / "corpus" / "a1.txt"
    if change is not None:
        change(meta, raw)
    (files,) = index_inputs(project / "corpus", project / "annotations")
    data = read_files(files)
    expected = read_article(meta, data.meta, data.raw)
    assert article_from(meta, data.document, data.raw, data.raw_sha256) == expected
    assert (expected[0] is None) == (change is not None)


def test_sets_with_the_same_debris_share_one_cleaning(tmp_path):
    project = make_project(tmp_path)  # team-a, team-b and gold, with the same cleaning
    (files,) = index_inputs(project / "corpus", project / "annotations")
    checked = check_article(read_files(files), load_schema(project / "annotations" / "schema.yaml"),
                            load_annotators(project / "annotations" / "annotators.yaml"))
    assert not checked.problems and len(checked.sets) == 3 and not checked.cleaned  # checking needs no cleaned text
    first = checked.cleaned_text(checked.sets[0].cleaning)
    assert all(checked.cleaned_text(s.cleaning) is first for s in checked.sets) and len(checked.cleaned) == 1
    fresh = CheckedArticle(checked.article, checked.sets, [], checked.counts)
    for aset in checked.sets:  # the shared result is what the debris of each set gives on its own
        clean, tokens = fresh.clean_and_tokens(aset.cleaning)
        assert clean == first[0] == clean_article(checked.article, aset.cleaning)
        assert tokens == checked.clean_and_tokens(aset.cleaning)[1]
    other = checked.sets[0].cleaning[1:]
    assert checked.cleaned_text(other)[0] == clean_article(checked.article, other) != first[0]


def test_tokens_are_split_where_cleaning_cut_text_out_and_at_the_spans_given(tmp_path):
    text = ARTICLE + "Smith AD son said.\n"
    project = make_project(tmp_path, annotators=(), text=text)
    (files,) = index_inputs(project / "corpus", project / "annotations")
    checked = check_article(read_files(files), load_schema(project / "annotations" / "schema.yaml"),
                            load_annotators(project / "annotations" / "annotators.yaml"))
    debris = (*checked.sets[0].cleaning, Debris(text.index(" AD "), text.index(" AD ") + 4, "advertising", " AD "))
    clean, tokens = checked.clean_and_tokens(debris)
    assert "Smithson" in clean.text and ["Smith", "son"] == tokens.texts[-4:-2] and tokens.split == 1
    kremlin = clean.text.index("Kremlin")
    _, tokens = checked.clean_and_tokens(debris, [(kremlin, kremlin + len("Krem"))])
    assert "Krem" in tokens.texts and "lin" in tokens.texts and tokens.split == 2
