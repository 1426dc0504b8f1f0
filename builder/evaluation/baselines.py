"""Baselines: functions that produce prediction records in the JSONL formats of ``evaluate.py``.

- ``majority_stance_predictions``: every item gets the most frequent label of the training items.
- ``keep_everything_predictions``: the raw text as the cleaned text (recall 1, precision = share of
  content in the page).
- ``line_heuristic_predictions``: drops every line of at most ``MAX_DEBRIS_WORDS`` words that
  matches ``DEBRIS_PATTERN`` (advertising, promotion, navigation and page-furniture phrases), with
  its line break. Generic phrases only, not tuned to this corpus.
- ``spacy_ner_predictions``: the ``doc.ents`` of any spaCy pipeline run over the cleaned texts, the
  way to benchmark a spaCy model (``newsstance evaluate --task ner --spacy-model NAME``).
- ``rules_ner_pipeline``: a blank English pipeline with an EntityRuler for dates, numbers,
  ordinals, percentages and money: a transparent, weak NER baseline that needs no download.

Records are plain dicts (this is a file-format edge), sorted by article id; ``jsonl_bytes`` gives
the canonical bytes whose sha256 a result records.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

MAX_DEBRIS_WORDS = 8
DEBRIS_PATTERN = re.compile(
    r"""\b(advertis\w*|sponsored|newsletters?|subscribe\w*|sign\ ?up|free\ (tool|trial|download|e-?book)
    |download\ (the|our)\ app|read\ (more|also|next)|see\ also|related\ (articles?|news|stories|content)
    |click\ here|share\ (this|on)|follow\ us|cookies?|all\ rights\ reserved|copyright)\b|©""",
    re.IGNORECASE | re.VERBOSE)


def jsonl_bytes(records: Iterable[Mapping]) -> bytes:
    """Canonical JSONL: one object per line, keys sorted, UTF-8, final newline."""
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records).encode("utf-8")


# --- stance --------------------------------------------------------------------------------------

def majority_label(labels: Iterable[str], order: Sequence[str]) -> str:
    """The most frequent of ``labels``; ties (and no labels at all) go to the first in ``order``."""
    counts = Counter(labels)
    return max(order, key=lambda label: (counts[label], -order.index(label)))


def majority_stance_predictions(items: Iterable[tuple[str, str, str]], label: str) -> list[dict]:
    """One prediction of ``label`` per ``(article_id, holder_key, target)``."""
    return [{"article_id": a, "holder_key": h, "target": t, "label": label} for a, h, t in sorted(set(items))]


# --- cleaning ------------------------------------------------------------------------------------

def keep_everything_predictions(raw_texts: Mapping[str, str]) -> list[dict]:
    return [{"article_id": a, "text": raw_texts[a]} for a in sorted(raw_texts)]


def is_debris_line(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= MAX_DEBRIS_WORDS and DEBRIS_PATTERN.search(line) is not None


def line_heuristic_clean(raw_text: str) -> str:
    """``raw_text`` without its debris lines (each removed with its line break)."""
    return "\n".join(line for line in raw_text.split("\n") if not is_debris_line(line))


def line_heuristic_predictions(raw_texts: Mapping[str, str]) -> list[dict]:
    return [{"article_id": a, "text": line_heuristic_clean(raw_texts[a])} for a in sorted(raw_texts)]


# --- NER -----------------------------------------------------------------------------------------

def spacy_ner_predictions(nlp, texts: Mapping[str, str]) -> list[dict]:
    """The entities of ``nlp`` (any spaCy pipeline) over each cleaned text, as character offsets."""
    ids = sorted(texts)
    return [{"article_id": a, "entities": [{"start": e.start_char, "end": e.end_char, "label": e.label_}
                                           for e in sorted(doc.ents, key=lambda e: (e.start_char, e.end_char))]}
            for a, doc in zip(ids, nlp.pipe(texts[a] for a in ids))]


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
SEASONS = ["spring", "summer", "autumn", "fall", "winter", "week", "month", "year"]


def rules_ner_patterns() -> list[dict]:
    """EntityRuler patterns of the rules baseline (OntoNotes labels)."""
    number = {"LIKE_NUM": True, "LOWER": {"NOT_IN": ORDINALS}}  # English like_num also accepts "first"
    return [
        {"label": "DATE", "pattern": [{"LOWER": {"IN": WEEKDAYS}}]},
        {"label": "DATE", "pattern": [{"LOWER": {"IN": MONTHS}, "IS_TITLE": True}, {"TEXT": {"REGEX": r"^\d{1,2}$"}, "OP": "?"},
                                      {"TEXT": {"REGEX": r"^(1[89]|20)\d\d$"}, "OP": "?"}]},
        {"label": "DATE", "pattern": [{"LOWER": {"IN": ["this", "last", "next"]}}, {"LOWER": {"IN": SEASONS}}]},
        {"label": "DATE", "pattern": [{"TEXT": {"REGEX": r"^(1[89]|20)\d\d$"}}]},
        {"label": "PERCENT", "pattern": [number, {"LOWER": {"IN": ["%", "percent", "per"]}}, {"LOWER": "cent", "OP": "?"}]},
        {"label": "MONEY", "pattern": [{"TEXT": {"IN": ["$", "€", "£"]}}, number, {"LOWER": {"IN": ["million", "billion"]}, "OP": "?"}]},
        {"label": "ORDINAL", "pattern": [{"LOWER": {"IN": ORDINALS}}]},
        {"label": "ORDINAL", "pattern": [{"LOWER": {"REGEX": r"^\d+(st|nd|rd|th)$"}}]},
        {"label": "CARDINAL", "pattern": [number]},
    ]


def rules_ner_pipeline():
    """spacy.blank("en") + an EntityRuler with ``rules_ner_patterns`` (longest match wins)."""
    import spacy
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(rules_ner_patterns())
    nlp.meta["name"] = "rules_numbers_dates"
    nlp.meta["version"] = "1.0.0"
    return nlp
