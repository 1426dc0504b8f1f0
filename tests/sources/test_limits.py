"""The limits: checked on construction, from schema.yaml's `limits:` and from `--limit`, the flag winning."""

import pytest

from builder.errors import InputError
from builder.sources import limits
from builder.sources.limits import Limits, limits_from, parse_override


def test_the_defaults_are_generous_for_real_news():
    assert Limits().article_bytes == 5_000_000 and Limits().spans_per_file == 100_000


def test_a_limit_that_is_not_a_positive_integer_is_refused():
    with pytest.raises(InputError, match=r"E807 limits: /limits/article_bytes must be a positive integer, got 0"):
        Limits(article_bytes=0)


def test_a_limits_mapping_overrides_only_what_it_names():
    assert limits_from({"spans_per_file": 10}, "schema.yaml") == Limits(spans_per_file=10)


def test_a_limits_mapping_with_unknown_names_lists_the_known_ones():
    with pytest.raises(InputError, match=r"E806 schema.yaml: unknown key\(s\) pages at /limits; known keys: "
                                         r"article_bytes, metadata_bytes"):
        limits_from({"pages": 3}, "schema.yaml")


def test_a_limits_value_that_is_not_a_mapping_is_refused():
    with pytest.raises(InputError, match=r"E807 schema.yaml: /limits must be a mapping of limit names to integers"):
        limits_from([1], "schema.yaml")


def test_a_boolean_is_no_limit():
    with pytest.raises(InputError, match=r"E807 schema.yaml: /limits/yaml_bytes must be a positive integer, got True"):
        limits_from({"yaml_bytes": True}, "schema.yaml")


def test_the_command_line_wins_over_schema_yaml(monkeypatch):
    monkeypatch.setattr(limits, "_overrides", {})
    monkeypatch.setattr(limits, "_active", [Limits()])
    limits.set_overrides({"article_bytes": 9})
    assert limits.use(Limits(article_bytes=7, spans_per_file=5)) == Limits(article_bytes=9, spans_per_file=5)


def test_an_override_names_a_known_limit():
    with pytest.raises(InputError, match=r"E818 --limit: unknown limit 'pages'; known limits: article_bytes"):
        parse_override("pages=3")


def test_an_override_gives_a_positive_integer():
    assert parse_override("article_bytes=12") == ("article_bytes", 12)
    with pytest.raises(InputError, match=r"E807 --limit: --limit article_bytes must be a positive integer, got 'x'"):
        parse_override("article_bytes=x")
