from hypothesis import given
from hypothesis import strategies as st

from builder.clean import offset_map
from builder.project import holder_key, project_span, unproject_span
from test_clean import text_and_removed


def test_span_before_and_after_removed_text_projects():
    offsets = offset_map(len("ab--cd"), [(2, 4)])
    assert project_span(offsets, 0, 2) == (0, 2)
    assert project_span(offsets, 4, 6) == (2, 4)


def test_span_touching_removed_text_does_not_project():
    offsets = offset_map(len("ab--cd"), [(2, 4)])
    assert project_span(offsets, 1, 3) is None
    assert project_span(offsets, 1, 5) is None  # crosses the removed range: never trimmed
    assert project_span(offsets, 2, 4) is None


def test_holder_key_prefers_the_qid():
    assert holder_key("Q30", "Washington") == "Q30"
    assert holder_key(None, "The  Kremlin") == "the kremlin"


@given(text_and_removed(), st.data())
def test_projection_round_trips_through_the_raw_text(case, data):
    text, removed = case
    offsets = offset_map(len(text), removed)
    clean_length = len(offsets.clean_to_raw) - 1
    if clean_length == 0:
        return
    start = data.draw(st.integers(0, clean_length - 1))
    end = data.draw(st.integers(start + 1, clean_length))
    raw_start, raw_end = unproject_span(offsets, start, end)
    projected = project_span(offsets, raw_start, raw_end)
    if projected is not None:  # contiguous in the raw text: must come back exactly
        assert projected == (start, end)
    else:  # the clean span straddles removed text
        assert any(raw_start < b and a < raw_end for a, b in removed)
