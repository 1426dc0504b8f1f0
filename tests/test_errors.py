"""Every coded message is raised somewhere in the suite with a `match=` on its code."""

import re
from pathlib import Path

import pytest

from builder.errors import MESSAGES, InputError, problem

TESTS = Path(__file__).parent


def codes_matched_in_tests() -> set[str]:
    """Codes that open a regex string (r"E105 ...") in a test module that uses pytest.raises."""
    found = set()
    for path in TESTS.rglob("test_*.py"):
        source = path.read_text(encoding="utf-8")
        if "pytest.raises" in source:
            found |= set(re.findall(r"\brf?[\"'](E\d{3})\b", source))
    return found


def test_every_code_has_a_test_with_match():
    missing = sorted(set(MESSAGES) - codes_matched_in_tests())
    assert not missing, f"codes without a pytest.raises(..., match=...) test: {missing}"


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_says_what_and_how_to_fix(code):
    what, fix = MESSAGES[code]
    assert what and fix and not fix.endswith(".")


def test_a_problem_names_file_place_excerpt_and_fix():
    p = problem("E105", "annotations/a/x.json", "article x, entities[3]", excerpt="near text",
                quoted="Kiev", start=3, end=7, actual="Kyiv")
    assert str(p) == ("E105 annotations/a/x.json: article x, entities[3]: quoted text 'Kiev' differs from the "
                      "text at [3, 7): 'Kyiv'\n    near: 'near text'\n    fix: correct the offsets or the quoted "
                      "text; offsets are code points, not bytes or UTF-16 units")


def test_input_error_lists_every_problem_and_its_codes():
    error = InputError([problem("E009", "a.txt"), problem("E102", "b.json", id="zz")])
    assert error.codes == ["E009", "E102"]
    assert str(error).startswith("2 problems:\nE009 a.txt: raw text is empty")
