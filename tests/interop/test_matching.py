"""Matching imported sets to corpus articles, and new articles."""

from __future__ import annotations

import pytest

from builder.sources.corpus import load_corpus
from builder.errors import InputError
from builder.interop.matching import ImportedSet, NewArticles, match_articles
from builder.interop.writing import write_import
from builder.records import Entity
from factories import ARTICLE, fail_on, sha, write_article




def imported_set(text=ARTICLE, annotator="team-c", hint=None, where="task 1"):
    return ImportedSet(file="export.json", where=where, text=text, article_hint=hint, annotator=annotator,
                       entities=(Entity("e1", 0, 9, "ORG", text[:9]),))


def test_sets_are_matched_by_article_id_or_by_sha256(tmp_path):
    write_article(tmp_path / "corpus", "a1", ARTICLE)
    articles = load_corpus(tmp_path / "corpus")
    sets, new, problems = match_articles([imported_set(hint="a1"), imported_set(annotator="team-d")], articles)
    assert [(s.article_id, s.annotator, s.raw_sha256) for s in sets] == [("a1", "team-c", sha(ARTICLE)), ("a1", "team-d", sha(ARTICLE))]
    assert new == [] and problems == []


def test_unknown_or_changed_texts_are_reported(tmp_path):
    write_article(tmp_path / "corpus", "a1", ARTICLE)
    articles = load_corpus(tmp_path / "corpus")
    _, _, problems = match_articles([imported_set(text=ARTICLE + "x", hint="a1"), imported_set(text="other")], articles)
    with pytest.raises(InputError, match=rf"E410 export\.json: task 1: the text differs from corpus article 'a1' \(sha256 .*, {len(ARTICLE) + 1} vs {len(ARTICLE)} characters\)"):
        fail_on(problems[:1])
    with pytest.raises(InputError, match=r"E409 export\.json: task 1: no corpus article has this text \(sha256 [0-9a-f]{64}\)"):
        fail_on(problems[1:])


def test_two_annotations_of_one_article_by_one_annotator_are_both_refused(tmp_path):
    write_article(tmp_path / "corpus", "a1", ARTICLE)
    sets, _, problems = match_articles([imported_set(where="task 1"), imported_set(where="task 2")], load_corpus(tmp_path / "corpus"))
    assert sets == []
    with pytest.raises(InputError, match=r"E412 .*task 2: 2 annotation sets map to \(article a1, annotator team-c\); none of them is imported"):
        fail_on(problems)


def test_new_articles_get_null_metadata_with_notes(tmp_path):
    options = NewArticles(language="nl", rights="unknown", origin="labelstudio export.json")
    sets, new, problems = match_articles([imported_set(text="Tekst één.\n", hint="doc 1"),
                                          imported_set(text="Tekst één.\n", annotator="team-d")], [], options)
    assert problems == [] and len(new) == 1 and {s.article_id for s in sets} == {new[0].id}
    report = write_import(sets, new, [], corpus_dir=tmp_path / "corpus", annotations_dir=tmp_path / "annotations")
    (article,) = load_corpus(tmp_path / "corpus")
    assert article.id.startswith("import-") and article.meta.outlet is None and article.meta.language == "nl"
    assert "labelstudio export.json (task 1)" in dict(article.meta.notes)["url"]
    assert len(report.written) == 2


def test_a_new_article_with_crlf_is_refused():
    options = NewArticles(language="en", rights="unknown", origin="x")
    _, new, problems = match_articles([imported_set(text="a\r\nb", hint="doc1")], [], options)
    assert new == []
    with pytest.raises(InputError, match=r"E420 .*new article 'doc1' cannot be added: the text has CRLF line endings \(first at character 1\)"):
        fail_on(problems)


def test_an_existing_article_in_another_language_than_language_is_said_once_and_still_matched(tmp_path):
    write_article(tmp_path / "corpus", "a1", ARTICLE, language="en")
    articles = load_corpus(tmp_path / "corpus")
    sets, new, problems = match_articles([imported_set(), imported_set(annotator="team-d", where="task 2")], articles,
                                         NewArticles("pcm", "unknown", "labelstudio export.json"))
    assert [s.article_id for s in sets] == ["a1", "a1"] and new == [] and len(problems) == 1
    with pytest.raises(InputError, match=r"E023 export\.json: task 1: --language 'pcm' is not applied to article a1: "
                                         r"it is already in the corpus with language 'en'.*\n.*fix: if the article is "
                                         r"in 'pcm', set \"language\": \"pcm\" in corpus/a1\.meta\.json"):
        fail_on(problems)
