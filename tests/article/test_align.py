import pytest

from builder.article.align import TokenTexts, Tokens, boundary_problems, joined_sentences, line_spans, tokenize


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


def test_boundary_inside_a_token_is_reported_not_snapped():
    text = "Zelensky’s office"
    tokens = tokenize(text)
    found = boundary_problems(tokens, [(0, 5, "PERSON 'Zelen'")], text, "f.json", "article a1")
    assert len(found) == 1
    assert str(found[0]).startswith("E201 f.json: article a1, PERSON 'Zelen', clean offsets [0, 5): "
                                    "span boundary at 5 falls inside token 'Zelensky' [0, 8)")


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
