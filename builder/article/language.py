"""An article's language code -> its ISO 639 language and the spaCy tokenizer that reads it (else ``xx``).

A code is ISO 639-1 (two letters, ``en``) or ISO 639-3 (three letters, ``pcm``), lowercase, as the
``python-iso639`` library knows it; anything else is a coded error (E020 malformed, E021 unknown or
retired). The tokenizer is spaCy's language class for the code, for its other ISO form (``yor`` reads
as spaCy's ``yo``), else spaCy's multi-language class ``xx``. Articles of a corpus may differ: each is
tokenized by its own language's tokenizer. spaCy is imported only when a tokenizer is asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from builder.errors import Problem, problem

CODE = re.compile("[a-z]{2,3}")  # matched whole (fullmatch)
MULTI_LANGUAGE = "xx"  # spaCy's language-neutral tokenizer, for languages it has no class of
CODE_FIX = ("give the article's ISO 639-1 code (two letters: 'en', 'yo') or ISO 639-3 code (three letters: 'pcm' "
            "for Nigerian Pidgin), in lowercase and without a region ('pt', not 'pt-BR'); 'mul' for several "
            "languages, 'und' when it is not known")


@dataclass(frozen=True, slots=True)
class Tokenizer:
    """Which spaCy tokenizer reads the articles of one language code."""

    code: str  # as the metadata gives it
    spacy_language: str  # spaCy's code of the class: "en", "yo", or "xx"
    spacy_class: str  # "English", "Yoruba", "MultiLanguage"


@dataclass(frozen=True, slots=True)
class IsoLanguage:
    part1: str | None
    part3: str
    name: str


@lru_cache(maxsize=None)
def iso_language(code: str) -> IsoLanguage | str:
    """The ISO 639 language of a well-formed code, or why there is none (a phrase for E021)."""
    from iso639 import Language, LanguageNotFoundError

    finder = Language.from_part1 if len(code) == 2 else Language.from_part3
    try:
        found = finder(code)
    except LanguageNotFoundError:
        return f"is not an ISO 639-{'1' if len(code) == 2 else '3'} code"
    if found.status != "A":
        instead = f"; it was replaced by {found.retire_change_to!r}" if found.retire_change_to else ""
        return f"({found.name}) was retired from ISO 639-3 on {found.retire_date}{instead}"
    return IsoLanguage(found.part1, found.part3, found.name)


def code_problems(code: object, file: str, where: str = "") -> list[Problem]:
    """E020 for a value that is not a code's shape, E021 for a code ISO 639 does not have (or retired)."""
    if not isinstance(code, str) or not CODE.fullmatch(code):
        return [problem("E020", file, where, language=code, fix_hint=CODE_FIX)]
    found = iso_language(code)
    if isinstance(found, str):
        return [problem("E021", file, where, language=code, reason=found, fix_hint=CODE_FIX)]
    return []


def spacy_class(code: str) -> type | None:
    """spaCy's language class of ``code`` (spaCy also reads some 639-3 aliases: ``eng``, ``mul``), or None."""
    import spacy.util

    try:
        return spacy.util.get_lang_class(code)
    except ImportError:  # spaCy's E048: no spacy.lang.<code>
        return None


@lru_cache(maxsize=None)
def tokenizer_of(code: str) -> Tokenizer:
    """spaCy's class for ``code`` or its other ISO form, else ``xx``; ``code`` is valid (``code_problems``)."""
    found = iso_language(code)
    candidates = [code] + ([found.part1, found.part3] if isinstance(found, IsoLanguage) else [])
    language = next((cls for c in dict.fromkeys(candidates) if c and (cls := spacy_class(c))), None)
    language = language or spacy_class(MULTI_LANGUAGE)
    return Tokenizer(code, language.lang, language.__name__)


@lru_cache(maxsize=None)
def tokenizer_error(code: str) -> str | None:
    """Why spaCy cannot make the tokenizer of ``code`` (a package it needs is missing), or None."""
    import spacy

    try:
        spacy.blank(tokenizer_of(code).spacy_language)
    except ImportError as exc:  # Japanese, Korean, Thai, Vietnamese: a segmenter package of their own
        return " ".join(str(exc).split())
    return None


def tokenizer_problems(code: str, file: str, where: str = "") -> list[Problem]:
    """E022 when the tokenizer of a valid code cannot be made on this machine."""
    reason = tokenizer_error(code)
    if reason is None:
        return []
    tokenizer = tokenizer_of(code)
    return [problem("E022", file, where, language=code, spacy_class=tokenizer.spacy_class,
                    spacy_language=tokenizer.spacy_language, reason=reason)]
