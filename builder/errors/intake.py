"""Coded messages of languages and of tokenization at annotation boundaries (E02x-E03x, E21x)."""

# code -> (what is wrong, how to fix it); placeholders are filled by ``builder.errors.problem()``.
MESSAGES: dict[str, tuple[str, str]] = {
    "E020": ("language {language!r} is not an ISO 639 code: two or three lowercase letters expected",
             "{fix_hint}"),
    "E021": ("language {language!r} {reason}",
             "{fix_hint}"),
    "E022": ("spaCy's {spacy_class} tokenizer ({spacy_language!r}, for language {language!r}) cannot be made here: "
             "{reason}",
             "install the package the message names into the builder's environment, then run the command again"),
    "E023": ("--language {given!r} is not applied to article {id}: it is already in the corpus with language "
             "{language!r} (--language gives the language of new articles only)",
             "if the article is in {given!r}, set \"language\": \"{given}\" in corpus/{id}.meta.json; otherwise "
             "leave it (the annotations were imported)"),
    "E210": ("entity [{start}, {end}) {text!r} has whitespace at its {side}: no token can {side} there, so the "
             "ner config could not tag exactly this span",
             "move the {side} offset past the whitespace and quote the text without it"),
}
