"""A key twice in one JSON object: the cheap test never misses one, the slow pass names each."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.errors import InputError
from builder.sources.strict_json import duplicate_keys, may_repeat_keys


def test_a_text_without_a_key_twice_passes_the_cheap_test():
    assert not may_repeat_keys(b'{"a": "x:y", "b": [{"c": 1}, {"c": 2}]}')


def test_a_key_twice_fails_the_cheap_test():
    assert may_repeat_keys(b'{"label": "PERSON", "label": "ORG"}')


def test_an_escaped_colon_sends_the_text_to_the_slow_pass():
    assert may_repeat_keys(b'{"a": "\\u003a"}')


@given(st.recursive(st.none() | st.integers() | st.text(), lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=3), inner, max_size=3), max_leaves=8),
       st.text(max_size=3))
def test_the_cheap_test_never_misses_a_key_given_twice(document, key):
    text = json.dumps({"k": document, key: 1}, ensure_ascii=False)
    doubled = text[:-1] + f", {json.dumps(key, ensure_ascii=False)}: 2}}"
    assert may_repeat_keys(doubled.encode("utf-8", "surrogatepass"))


def test_each_key_given_twice_is_named_at_its_pointer():
    text = '{"entities": [{"id": "e1", "label": "PERSON", "label": "ORG"}], "id": 1, "id": 2}'
    with pytest.raises(InputError, match=r"(?s)E808 x.json: key 'id' given twice in one object, at /id .*"
                                         r"E808 x.json: key 'label' given twice .* at /entities/0/label"):
        raise InputError(duplicate_keys(text, "x.json"))
