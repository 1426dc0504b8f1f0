from hypothesis import given
from hypothesis import strategies as st

from builder.article.clean import clean_article, cut, offset_map, removed_ranges
from builder.records import Debris
from factories import ARTICLE, span


def debris(text, quoted, reason="advertising"):
    s = span(text, quoted)
    return Debris(s["start"], s["end"], reason, quoted)


def test_whole_line_debris_takes_its_line_break_with_it():
    text = "One.\nContinues after advertising\nTwo.\n"
    removed = removed_ranges(text, [debris(text, "Continues after advertising")])
    assert removed == [(len("One.\n"), len("One.\nContinues after advertising\n"))]
    assert cut(text, removed) == "One.\nTwo.\n"


def test_debris_on_the_last_line_without_final_newline_takes_the_break_before():
    text = "One.\nContinues after advertising"
    removed = removed_ranges(text, [debris(text, "Continues after advertising")])
    assert cut(text, removed) == "One."


def test_debris_inside_a_line_leaves_the_line_break():
    text = "One. AD Two.\nThree.\n"
    assert cut(text, removed_ranges(text, [debris(text, "AD ")])) == "One. Two.\nThree.\n"


def test_adjacent_blocks_of_debris_merge():
    text = "A\nFREE TOOL\nXP simulator\nB\n"
    removed = removed_ranges(text, [debris(text, "FREE TOOL"), debris(text, "XP simulator")])
    assert removed == [(2, len("A\nFREE TOOL\nXP simulator\n"))]
    assert cut(text, removed) == "A\nB\n"


def test_seed_like_article_cleans_without_blank_lines(tmp_path):
    from builder.records import ArticleMeta, RawArticle
    article = RawArticle(ArticleMeta("a1", "a1.txt", "0" * 64, "en", None, None, None, "r"), ARTICLE, tmp_path)
    clean = clean_article(article, [debris(ARTICLE, "Continues after advertising"),
                                    debris(ARTICLE, "FREE TOOL", "promotion")])
    assert clean.text == ("President Joe Biden met Olaf Scholz in Berlin on Monday.\n"
                          "“We back the plan,” Biden said.\nThe Kremlin rejected it.\n")
    assert "\n\n" not in clean.text


# --- properties of the offset map ------------------------------------------------------------

@st.composite
def text_and_removed(draw):
    text = draw(st.text(alphabet=st.sampled_from("ab \n€😀é"), max_size=60))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    ranges = []
    for start, end in zip(cuts[::2], cuts[1::2]):
        if start < end and (not ranges or start > ranges[-1][1]):
            ranges.append((start, end))
    return text, ranges


@given(st.text(max_size=50))
def test_nothing_removed_gives_the_identity_map(text):
    offsets = offset_map(len(text), [])
    assert offsets.raw_to_clean == offsets.clean_to_raw == tuple(range(len(text) + 1))


@given(text_and_removed())
def test_round_trip_clean_to_raw_to_clean(case):
    text, removed = case
    offsets = offset_map(len(text), removed)
    clean = cut(text, removed)
    assert len(offsets.clean_to_raw) == len(clean) + 1
    for j, raw in enumerate(offsets.clean_to_raw[:-1]):
        assert text[raw] == clean[j]
        assert offsets.raw_to_clean[raw] == j


@given(text_and_removed())
def test_maps_are_monotonic_and_removed_chars_map_to_minus_one(case):
    text, removed = case
    offsets = offset_map(len(text), removed)
    kept = [c for c in offsets.raw_to_clean if c >= 0]
    assert kept == sorted(set(kept))
    assert list(offsets.clean_to_raw) == sorted(set(offsets.clean_to_raw))
    gone = {i for a, b in removed for i in range(a, b)}
    assert {i for i, c in enumerate(offsets.raw_to_clean[:-1]) if c < 0} == gone
