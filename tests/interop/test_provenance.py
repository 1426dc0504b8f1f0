"""A task's url, title, outlet and date -> a new article's metadata, with notes that say where each came from."""

from __future__ import annotations

import pytest

from builder.errors import ConfigError, InputError
from builder.interop.provenance import MetaFields, find_provenance, new_meta, parse_meta_fields
from factories import fail_on

SOURCE = "Imported from labelstudio x.json (task 3) by `newsstance import`"


def meta_of(data, fields=MetaFields(), task=None):
    given = find_provenance(task or {"data": data}, data, fields)
    return new_meta("a1", "0" * 64, "en", "unknown", given, SOURCE, "x.json", "task 3")


def test_common_field_names_are_found_and_noted_with_their_origin():
    meta, problems = meta_of({"raw_text": "x", "url": "https://naija.example/a", "title": "Eagles win",
                              "source": "Naija News", "published_at": "2025-03-05T10:00:00Z"})
    assert problems == []
    assert (meta.url, meta.title, meta.outlet, meta.published) == ("https://naija.example/a", "Eagles win", "Naija News",
                                                                   "2025-03-05")
    assert dict(meta.notes)["url"] == f"From data.url of the task. {SOURCE}."
    assert not any("Not given" in note for note in dict(meta.notes).values())


def test_what_is_not_given_is_null_with_a_note():
    meta, _ = meta_of({"text": "x", "headline": "Eagles win"})
    assert meta.title == "Eagles win" and meta.url is None and meta.published is None
    assert dict(meta.notes)["url"].startswith("Not given by the import source.")


def test_meta_field_names_a_path_in_the_task():
    fields = parse_meta_fields(["url=data.meta.link", "outlet=data.paper"])
    meta, _ = meta_of({"meta": {"link": "https://x.example"}, "paper": "Vanguard", "url": "ignored"}, fields)
    assert (meta.url, meta.outlet) == ("https://x.example", "Vanguard")
    assert dict(meta.notes)["url"].startswith("From data.meta.link of the task")


def test_a_json_min_record_is_its_own_data():
    record = {"text": "x", "link": "https://x.example/b"}
    given = find_provenance(record, record, parse_meta_fields(["url=data.link"]), prefix="")
    assert [(g.name, g.value, g.origin) for g in given] == [("url", "https://x.example/b", "data.link")]


def test_a_date_that_is_not_iso_is_kept_out_with_a_reason():
    meta, problems = meta_of({"text": "x", "date": "5 March 2025"})
    assert meta.published is None and "Given as '5 March 2025' in data.date" in dict(meta.notes)["published"]
    with pytest.raises(InputError, match=r"E435 x\.json: task 3: metadata field published is not imported: data\.date is "
                                         r"'5 March 2025', not an ISO date"):
        fail_on(problems)


def test_a_malformed_meta_field_is_refused():
    with pytest.raises(ConfigError, match=r"E435 --meta-field: metadata field 'author=data.by' is not imported: expected "
                                          r"FIELD=data.PATH with FIELD one of url, title, outlet, published"):
        parse_meta_fields(["author=data.by"])
