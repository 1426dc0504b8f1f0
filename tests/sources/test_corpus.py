import json
from pathlib import Path

import pytest

from builder.sources.corpus import is_safe_id, load_corpus, meta_to_json, parse_meta
from builder.errors import InputError
from factories import ARTICLE, meta, write_article


def test_loads_articles_sorted_with_verified_text(tmp_path):
    write_article(tmp_path, "b2", ARTICLE)
    write_article(tmp_path, "a1", "Second text.\n")
    articles = load_corpus(tmp_path)
    assert [a.id for a in articles] == ["a1", "b2"]
    assert articles[1].text == ARTICLE


def test_seed_article_is_in_the_corpus_byte_for_byte(repo):
    seed = repo.parent / "shared" / "seed" / "000_b81791b00934b5a0.txt"
    if not seed.exists():
        pytest.skip("shared/seed is absent")
    assert (repo / "corpus" / seed.name).read_bytes() == seed.read_bytes()
    article = load_corpus(repo / "corpus")[0]
    assert article.meta.published == "2025-11-20" and "published" in article.meta.inferred
    assert article.meta.outlet is None and "outlet" in dict(article.meta.notes)


@pytest.mark.parametrize("bad", ["../x", "a/b", "", ".hidden", "a..b", "x" * 129, "a b", "a1\n", "\na1"])
def test_unsafe_ids_are_rejected(bad):
    assert not is_safe_id(bad)


def test_unsafe_id_in_metadata_is_an_error(tmp_path):
    write_article(tmp_path, "ok", ARTICLE, id="../etc")
    with pytest.raises(InputError, match=r"E003 .*ok\.meta\.json.*'\.\./etc' is not a safe path component"):
        load_corpus(tmp_path)


def test_an_id_with_a_final_new_line_in_metadata_is_an_error(tmp_path):
    write_article(tmp_path, "a1", ARTICLE, id="a1\n")
    with pytest.raises(InputError, match=r"E003 .*a1\.meta\.json: article id 'a1\\n' is not a safe path component"):
        load_corpus(tmp_path)


def test_duplicate_ids_are_an_error_even_in_another_case(tmp_path):
    write_article(tmp_path, "a1", ARTICLE)
    write_article(tmp_path, "A1", ARTICLE)
    with pytest.raises(InputError, match=r"E004 .*duplicate article id 'a1'"):
        load_corpus(tmp_path)


def test_checksum_mismatch(tmp_path):
    write_article(tmp_path, "a1", ARTICLE)
    (tmp_path / "a1.txt").write_text(ARTICLE + "edited\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E008 .*a1\.txt: article a1: sha256 of the raw file is [0-9a-f]{64}, metadata says"):
        load_corpus(tmp_path)


def write_bytes_article(tmp_path, data: bytes):
    from builder.sources.corpus import sha256_bytes
    (tmp_path / "a1.txt").write_bytes(data)
    (tmp_path / "a1.meta.json").write_text(json.dumps(meta("a1", "", sha256=sha256_bytes(data))), encoding="utf-8")


def test_non_utf8_raw_file(tmp_path):
    write_bytes_article(tmp_path, "Caf\xe9 story\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"E005 .*a1\.txt: article a1: raw text is not valid UTF-8: byte 0xe9 at byte offset 3"):
        load_corpus(tmp_path)


def test_byte_order_mark_is_refused(tmp_path):
    write_bytes_article(tmp_path, b"\xef\xbb\xbfText\n")
    with pytest.raises(InputError, match=r"E006 .*byte-order mark"):
        load_corpus(tmp_path)


def test_crlf_is_refused(tmp_path):
    write_bytes_article(tmp_path, b"Line one\r\nLine two\r\n")
    with pytest.raises(InputError, match=r"E007 .*CRLF line endings \(first at character 8\)"):
        load_corpus(tmp_path)


def test_empty_article(tmp_path):
    write_bytes_article(tmp_path, b" \n\n")
    with pytest.raises(InputError, match=r"E009 .*raw text is empty"):
        load_corpus(tmp_path)


def test_malformed_metadata_json_names_the_line(tmp_path):
    (tmp_path / "a1.txt").write_text("x\n", encoding="utf-8")
    (tmp_path / "a1.meta.json").write_text('{\n  "id": "a1",\n  "file": \n}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"E001 .*a1\.meta\.json: malformed JSON \(Expecting value\) at line 4"):
        load_corpus(tmp_path)


def test_an_integer_too_long_for_python_is_a_problem_at_its_pointer(tmp_path):
    write_article(tmp_path, "a1", ARTICLE)
    path = tmp_path / "a1.meta.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"split": null', '"split": ' + "9" * 5000), encoding="utf-8")
    with pytest.raises(InputError, match=r"E012 .*a1\.meta\.json: article a1: integer of 5000 digits \(at /split\) "
                                         r"is longer than Python reads \(4300 digits\)"):
        load_corpus(tmp_path)


def test_a_lone_surrogate_is_a_problem_at_its_pointer(tmp_path):
    write_article(tmp_path, "a1", ARTICLE, outlet="Test \udfff Outlet", notes={"url": "paywalled \ud83d\ude00"})
    with pytest.raises(InputError, match=r"E013 .*a1\.meta\.json: article a1: lone surrogate \\udfff at character 5 "
                                         r"of the string at /outlet") as caught:
        load_corpus(tmp_path)
    assert caught.value.codes == ["E013"]  # the pair in the note is one character


def test_json_nested_deeper_than_python_reads_is_a_problem_not_a_recursion_error(tmp_path):
    write_article(tmp_path, "a1", ARTICLE)
    path = tmp_path / "a1.meta.json"
    path.write_text('{\n  "notes": ' + "[" * 5000 + "]" * 5000 + "\n}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E014 .*a1\.meta\.json: JSON nested 5001 levels deep \(the deepest at line 2, "
                                         r"column 5011\), deeper than Python reads"):
        load_corpus(tmp_path)


def test_null_without_note_and_inferred_without_note(tmp_path):
    write_article(tmp_path, "a1", ARTICLE, outlet=None, inferred=["published"])
    with pytest.raises(InputError, match=r"E010 .*'outlet' is null without a note") as caught:
        load_corpus(tmp_path)
    assert "every field in 'inferred' needs a note" in str(caught.value)


@pytest.mark.parametrize("published", ["2025-13-01", "2025-02-30", "\u0662\u0660\u0662\u0665-11-20", "20251120",
                                       "2025-W47-4", "2025-11-20\n"])
def test_a_published_date_is_yyyy_mm_dd_in_ascii_digits_and_a_real_date(tmp_path, published):
    write_article(tmp_path, "a1", ARTICLE, published=published)
    with pytest.raises(InputError, match=r"E010 .*'published' must be an ISO date YYYY-MM-DD"):
        load_corpus(tmp_path)


def test_missing_raw_file(tmp_path):
    write_article(tmp_path, "a1", ARTICLE)
    (tmp_path / "a1.txt").unlink()
    with pytest.raises(InputError, match=r"E011 .*raw file 'a1\.txt' named in the metadata does not exist"):
        load_corpus(tmp_path)


def test_empty_corpus_folder(tmp_path):
    with pytest.raises(InputError, match=r"E304 .*no articles found"):
        load_corpus(tmp_path)


def test_all_problems_are_reported_at_once(tmp_path):
    write_article(tmp_path, "a1", ARTICLE, id="../x")
    write_article(tmp_path, "b1", ARTICLE)
    (tmp_path / "b1.txt").write_text("changed\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_corpus(tmp_path)
    assert caught.value.codes == ["E003", "E008"]


def test_meta_round_trip(tmp_path):
    write_article(tmp_path, "a1", ARTICLE)
    article = load_corpus(tmp_path)[0]
    meta_back, problems = parse_meta(json.loads(meta_to_json(article.meta)), tmp_path / "a1.meta.json")
    assert problems == [] and meta_back == article.meta


def test_an_optional_title_round_trips_and_must_be_a_string(tmp_path):
    write_article(tmp_path, "a1", ARTICLE, title="Biden met Scholz")
    article = load_corpus(tmp_path)[0]
    assert article.meta.title == "Biden met Scholz"
    assert parse_meta(json.loads(meta_to_json(article.meta)), tmp_path / "a1.meta.json")[0] == article.meta
    write_article(tmp_path, "a1", ARTICLE, title=["not", "a", "string"])
    with pytest.raises(InputError, match=r"E010 .*'title' must be a string or null"):
        load_corpus(tmp_path)


def test_a_meta_without_title_is_written_without_it(tmp_path):
    write_article(tmp_path, "a1", ARTICLE)
    assert "title" not in json.loads(meta_to_json(load_corpus(tmp_path)[0].meta))


@pytest.mark.parametrize("language", ["en", "pcm", "yo", "ig", "ha", "yor", "mul", "und"])
def test_iso_639_1_and_639_3_codes_are_accepted(tmp_path, language):
    write_article(tmp_path, "a1", ARTICLE, language=language)
    assert load_corpus(tmp_path)[0].meta.language == language


@pytest.mark.parametrize("language", ["EN", "en-GB", "pt_BR", "e", "engl", "English", 7])
def test_a_language_that_is_not_a_code_is_an_error(tmp_path, language):
    write_article(tmp_path, "a1", ARTICLE, language=language)
    pattern = r"E010 .*'language' must be a non-empty string" if language == 7 else (
        r"E020 .*a1\.meta\.json: article a1: language .* is not an ISO 639 code: two or three lowercase letters "
        r"expected\n    fix: give the article's ISO 639-1 code \(two letters: 'en', 'yo'\) or ISO 639-3 code")
    with pytest.raises(InputError, match=pattern):
        load_corpus(tmp_path)


@pytest.mark.parametrize("language, reason", [("xx", "is not an ISO 639-1 code"), ("zzz", "is not an ISO 639-3 code"),
                                              ("mol", r"\(Moldavian\) was retired from ISO 639-3 on 2008-11-03; it "
                                                      r"was replaced by 'ron'")])
def test_a_code_iso_639_does_not_have_is_an_error(tmp_path, language, reason):
    write_article(tmp_path, "a1", ARTICLE, language=language)
    with pytest.raises(InputError, match=rf"E021 .*a1\.meta\.json: article a1: language '{language}' {reason}"):
        load_corpus(tmp_path)


@pytest.mark.parametrize("licence", ["CC-BY-4.0", None])
def test_the_licence_is_an_spdx_id_or_null_and_round_trips(tmp_path, licence):
    write_article(tmp_path, "a1", ARTICLE, license=licence)
    article = load_corpus(tmp_path)[0]
    assert article.meta.license == licence
    assert json.loads(meta_to_json(article.meta))["license"] == licence


def test_a_missing_licence_is_null():
    assert parse_meta(meta("a1", ARTICLE), Path("a1.meta.json"))[0].license is None


@pytest.mark.parametrize("licence", ["CC BY 4.0", 4, ""])
def test_a_licence_that_is_not_an_spdx_id_is_refused(tmp_path, licence):
    write_article(tmp_path, "a1", ARTICLE, license=licence)
    with pytest.raises(InputError, match=r"E010 .*'license' must be an SPDX id \(CC-BY-4\.0\) or null"):
        load_corpus(tmp_path)
