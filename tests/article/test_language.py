"""builder/article/language.py: an ISO 639 code -> the spaCy tokenizer of its articles."""

import pytest

from builder.article.language import Tokenizer, code_problems, tokenizer_error, tokenizer_of, tokenizer_problems
from builder.errors import InputError
from factories import fail_on


@pytest.mark.parametrize("code, spacy_language, spacy_class", [
    ("en", "en", "English"), ("eng", "en", "English"),  # 639-3 read through its 639-1 form
    ("yo", "yo", "Yoruba"), ("yor", "yo", "Yoruba"),
    ("pcm", "xx", "MultiLanguage"), ("ig", "xx", "MultiLanguage"), ("ha", "xx", "MultiLanguage"),
    ("hsb", "hsb", "UpperSorbian"),  # spaCy's own 639-3 class
    ("mul", "xx", "MultiLanguage"),
])
def test_spacy_class_of_the_code_else_the_multi_language_one(code, spacy_language, spacy_class):
    assert tokenizer_of(code) == Tokenizer(code, spacy_language, spacy_class)


def test_valid_codes_have_no_problems():
    assert [code_problems(code, "m.json") for code in ("pcm", "yo", "ig", "ha", "en")] == [[]] * 5


def test_a_code_in_upper_case_is_malformed():
    with pytest.raises(InputError, match=r"E020 m\.json: article a: language 'PCM' is not an ISO 639 code"):
        fail_on(code_problems("PCM", "m.json", "article a"))


def test_spacy_s_own_multi_language_code_is_not_an_iso_code():
    with pytest.raises(InputError, match=r"E021 m\.json: language 'xx' is not an ISO 639-1 code\n"
                                         r"    fix: .*'mul' for several languages, 'und' when it is not known"):
        fail_on(code_problems("xx", "m.json"))


def test_a_tokenizer_that_needs_a_missing_package_is_a_problem_not_a_traceback():
    if tokenizer_error("ja") is None:
        pytest.skip("SudachiPy is installed: spaCy's Japanese tokenizer can be made here")
    with pytest.raises(InputError, match=r"E022 m\.json: spaCy's Japanese tokenizer \('ja', for language 'jpn'\) "
                                         r"cannot be made here: Japanese support requires SudachiPy"):
        fail_on(tokenizer_problems("jpn", "m.json"))
    assert tokenizer_problems("pcm", "m.json") == []
