import pytest

from builder.article.align import TokenTexts, Tokens, joined_sentences, line_spans, tokenize, tokenize_by_line


def test_each_line_is_tokenized_on_its_own():
    tokens = tokenize("difficult moment\nThe acceleration of US diplomacy. Parliament acted.\n")
    sentences = {}
    for t in tokens:
        sentences.setdefault(t.sentence, []).append(t.text)
    assert sentences[0] == ["difficult", "moment"]
    assert sentences[1][:2] == ["The", "acceleration"] and sentences[2] == ["Parliament", "acted", "."]


def test_token_offsets_index_the_text():
    text = "A\n“We are ready,” he said of Ukraine’s US-drafted plan.\n"
    for t in tokenize(text):
        assert text[t.start:t.end] == t.text
    assert [t.text for t in tokenize("Ukraine’s US-drafted")] == ["Ukraine", "’s", "US", "-", "drafted"]


def test_line_spans_skip_blank_lines():
    assert line_spans("a\n\n  \nbc\n") == [(0, 1), (6, 8)]


def test_a_boundary_inside_a_token_splits_it_there():
    text = "Goal: 51'Bright scored."
    bright = text.index("Bright")
    assert "51'Bright" in tokenize(text).texts and tokenize(text).split == 0
    tokens = tokenize(text, boundaries=[bright, bright + len("Bright")])
    assert list(tokens.texts) == ["Goal", ":", "51'", "Bright", "scored", "."]
    assert (tokens.starts[3], tokens.ends[3]) == (bright, bright + len("Bright")) and tokens.split == 1


def test_a_boundary_before_a_final_period_splits_the_period_off():
    text = "They paid $8m."
    tokens = tokenize(text, boundaries=[text.index("$"), text.index("$") + len("$8m")])
    assert list(tokens.texts)[-4:] == ["$", "8", "m", "."] and tokens.split == 1  # spaCy reads "$", "8", "m."


def test_several_boundaries_in_one_token_count_it_once():
    text = "Chance!Habib"
    tokens = tokenize(text, boundaries=[len("Chance"), len("Chance!")])
    assert list(tokens.texts) == ["Chance", "!", "Habib"] and tokens.split == 1


def test_a_split_token_takes_part_in_sentence_segmentation():
    text = "It was Chance!Habib then scored."
    cut = [text.index("!"), text.index("Habib")]
    assert len(set(tokenize(text).sentences)) == 1  # one token, "Chance!Habib": no sentence break
    tokens = tokenize(text, boundaries=cut)
    assert tokens.sentences[tokens.texts.index("Habib")] == 1  # "!" is now a token of its own
    assert tokens == tokenize_by_line(text, boundaries=cut)  # as the real sentencizer cuts the split Doc


@pytest.mark.parametrize("boundaries", [[0], [2], [3], [4], [9], [100], [-1]])
def test_a_boundary_at_a_token_edge_in_whitespace_or_outside_the_text_splits_nothing(boundaries):
    text = "He  left."
    assert tokenize(text, boundaries=boundaries) == tokenize(text) and tokenize(text, boundaries=boundaries).split == 0


def test_a_boundary_where_debris_was_cut_out_splits_the_glued_words():
    text = "Smithson said so."  # the cleaned text of "Smith AD son said so."
    tokens = tokenize(text, boundaries=[len("Smith")])
    assert list(tokens.texts)[:2] == ["Smith", "son"] and tokens.split == 1


def test_a_language_without_a_spacy_class_is_read_by_the_multi_language_tokenizer():
    text = "Di goal wey 51'Bright score na di best."
    tokens = tokenize(text, "pcm", boundaries=[text.index("Bright")])
    assert "Bright" in tokens.texts and tokens.split == 1
    for t in tokens:
        assert text[t.start:t.end] == t.text


def test_entity_across_a_sentence_break_joins_the_sentences():
    text = "He met Mr. Smith. Jr. today."
    tokens = tokenize(text)
    assert len({t.sentence for t in tokens}) > 1
    start = text.index("Smith")
    joined = joined_sentences(tokens, [(start, text.index("Jr.") + 3)])
    assert joined[tokens.starts.index(start)] == joined[tokens.texts.index("Jr.")]


def test_joined_sentences_ignore_spans_off_token_boundaries():
    #                  He . She . Go .
    tokens = Tokens(["He", ".", "She", ".", "Go", "."], [0, 2, 4, 7, 9, 11], [2, 3, 7, 8, 11, 12], [0, 0, 1, 1, 2, 2])
    assert joined_sentences(tokens, [(0, len("He. She"))]) == [0, 0, 0, 0, 1, 1]
    assert joined_sentences(tokens, [(1, len("He. She")), (4, 99), (99, 100)]) == tokens.sentences
    assert joined_sentences(tokens, [(len("He. "), len("He. She. Go."))]) == [0, 0, 1, 1, 1, 1]


def test_token_texts_are_cut_from_the_text_on_first_use():
    text = "Zoë met 李明 🙂."
    tokens = tokenize(text)
    assert isinstance(tokens.texts, TokenTexts) and tokens.texts._list is None
    expected = [text[a:b] for a, b in zip(tokens.starts, tokens.ends)]
    assert len(tokens.texts) == len(expected) and tokens.texts._list is None  # the length needs no strings
    assert tokens.texts == expected and expected == tokens.texts and tokens.texts[1:3] == expected[1:3]
    assert list(tokens.texts) == expected and tokens.texts.index("🙂") == expected.index("🙂")
    assert tokens == Tokens(expected, tokens.starts, tokens.ends, tokens.sentences)
    assert tokens.texts != expected[:-1]


def test_numpy_columns_are_the_lists():
    for tokens in (tokenize("He left. She stayed.\nThen rain."),
                   Tokens(["a", "b"], [0, 2], [1, 3], [0, 1])):  # kept by tokenize, or made once
        starts, ends, sentences = tokens.numpy()
        assert starts.tolist() == tokens.starts and ends.tolist() == tokens.ends
        assert sentences.tolist() == tokens.sentences and tokens.numpy()[0] is starts
    assert [a.tolist() for a in tokenize("").numpy()] == [[], [], []]
