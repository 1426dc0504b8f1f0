"""Agreement figures -> the report: its records, the manifest's JSON, the terminal table and the card section.

The manifest's figures have a stable key order, floats rounded to 6 decimals and undefined figures
as null. The build writes one manifest entry per article, so ``article_json_text`` writes an entry's
text straight from the figures, the same text as ``json.dumps`` of ``article_json`` (tested for any
figures).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring as json_string

from builder.agreement.coefficients import F1, Coefficient
from builder.agreement.items import KINDS

DECIMALS = 6


@dataclass(frozen=True, slots=True)
class Figures:
    articles: int  # articles compared (two or more annotators)
    pairs: int  # annotator pairs compared
    entity_f1: F1
    entity_f1_by_label: tuple[tuple[str, F1], ...]
    entity_alpha: Coefficient
    stance_kappa: Coefficient
    stance_unmatched: int
    stance_alpha: Coefficient
    debris_f1: F1
    debris_kappa: Coefficient
    disagreements: int


@dataclass(frozen=True, slots=True)
class ArticleAgreement:
    article_id: str
    annotators: tuple[str, ...]
    adjudicated: bool  # the article has a gold set, so its disagreements are resolved
    figures: Figures


@dataclass(frozen=True, slots=True)
class AgreementReport:
    corpus: Figures
    articles: tuple[ArticleAgreement, ...]  # articles with two or more annotators, by id
    single_annotator: tuple[str, ...]  # articles with one annotator: nothing to compare
    unadjudicated_disagreements: int  # disagreements in articles without a gold set

    def to_json(self) -> dict:
        """For manifest.json: stable key order, floats rounded to 6 decimals, undefined as null."""
        return {
            "articles_compared": self.corpus.articles,
            "articles_single_annotator": len(self.single_annotator),
            "unadjudicated_disagreements": self.unadjudicated_disagreements,
            "corpus": figures_json(self.corpus),
            "by_article": {a.article_id: article_json(a) for a in self.articles},
        }


def article_json(a: ArticleAgreement) -> dict:
    """An article's entry of the report's ``by_article``."""
    return {"annotators": list(a.annotators), "adjudicated": a.adjudicated, **figures_json(a.figures)}


def article_json_text(a: ArticleAgreement) -> str:
    """``json.dumps(article_json(a), indent=2, ensure_ascii=False)``, the entry as the manifest embeds
    it, written straight from the figures: the build writes one per article, and with ``indent``
    Python 3.11's json uses its pure-Python encoder (a generator per dict). tests/agreement/test_report.py
    checks that both give the same text for any figures."""
    f = a.figures
    return (
        "{\n"
        f'  "annotators": {strings_text(a.annotators, "  ")},\n'
        f'  "adjudicated": {"true" if a.adjudicated else "false"},\n'
        f'  "articles": {f.articles},\n'
        f'  "annotator_pairs": {f.pairs},\n'
        '  "entities": {\n'
        f'    "f1": {json_number(rounded(f.entity_f1.value))},\n'
        f'    "matched": {f.entity_f1.matched},\n'
        f'    "annotated": {f.entity_f1.annotated},\n'
        f'    "by_label": {by_label_text(f.entity_f1_by_label, "    ")},\n'
        f'    "alpha": {coefficient_text_json(f.entity_alpha, "    ")}\n'
        "  },\n"
        '  "stances": {\n'
        f'    "kappa": {coefficient_text_json(f.stance_kappa, "    ")},\n'
        f'    "unmatched": {f.stance_unmatched},\n'
        f'    "alpha": {coefficient_text_json(f.stance_alpha, "    ")}\n'
        "  },\n"
        '  "debris": {\n'
        f'    "char_f1": {f1_text(f.debris_f1, "    ")},\n'
        f'    "char_kappa": {coefficient_text_json(f.debris_kappa, "    ")}\n'
        "  },\n"
        f'  "disagreements": {f.disagreements}\n'
        "}")


def f1_text(f1: F1, pad: str) -> str:
    """``f1_json(f1)`` as indented JSON whose opening brace is on a line indented by ``pad``."""
    return (f'{{\n{pad}  "f1": {json_number(rounded(f1.value))},\n{pad}  "matched": {f1.matched},\n'
            f'{pad}  "annotated": {f1.annotated}\n{pad}}}')


def by_label_text(by_label: Sequence[tuple[str, F1]], pad: str) -> str:
    if not by_label:
        return "{}"
    inner = pad + "  "
    labels = dict(by_label).items()  # as figures_json makes them a dict
    return "{\n" + ",\n".join(f"{inner}{json_string(label)}: {f1_text(v, inner)}" for label, v in labels) + f"\n{pad}}}"


def coefficient_text_json(c: Coefficient, pad: str) -> str:
    """``coefficient_json(c)`` as indented JSON whose opening brace is on a line indented by ``pad``."""
    note = "null" if c.note is None else json_string(c.note)
    return (f'{{\n{pad}  "value": {json_number(rounded(c.value))},\n{pad}  "items": {c.items},\n'
            f'{pad}  "note": {note}\n{pad}}}')


def strings_text(values: Sequence[str], pad: str) -> str:
    if not values:
        return "[]"
    return "[\n" + ",\n".join(f"{pad}  {json_string(v)}" for v in values) + f"\n{pad}]"


def json_number(value: float | None) -> str:
    """A float (or None) as json writes it, NaN and the infinities by their JavaScript names."""
    if value is None:
        return "null"
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS)


def f1_json(f1: F1) -> dict:
    return {"f1": rounded(f1.value), "matched": f1.matched, "annotated": f1.annotated}


def coefficient_json(c: Coefficient) -> dict:
    return {"value": rounded(c.value), "items": c.items, "note": c.note}


def figures_json(f: Figures) -> dict:
    return {
        "articles": f.articles,
        "annotator_pairs": f.pairs,
        "entities": {**f1_json(f.entity_f1), "by_label": {label: f1_json(v) for label, v in f.entity_f1_by_label},
                     "alpha": coefficient_json(f.entity_alpha)},
        "stances": {"kappa": coefficient_json(f.stance_kappa), "unmatched": f.stance_unmatched,
                    "alpha": coefficient_json(f.stance_alpha)},
        "debris": {"char_f1": f1_json(f.debris_f1), "char_kappa": coefficient_json(f.debris_kappa)},
        "disagreements": f.disagreements,
    }


# --- text -------------------------------------------------------------------------------------

def shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def coefficient_text(c: Coefficient) -> str:
    return shown(c.value) + (f" ({c.note})" if c.note else "")


def entity_counts(f1: F1) -> str:
    return f"{f1.matched} matches, {f1.annotated} entities by the two annotators of each pair"


def figure_rows(f: Figures) -> list[tuple[str, str, str]]:
    """(figure, value, what was compared) for the table and the card."""
    rows = [("Entities: exact-span F1", shown(f.entity_f1.value), entity_counts(f.entity_f1))]
    rows += [(f"  {label}", shown(v.value), entity_counts(v)) for label, v in f.entity_f1_by_label]
    rows += [
        ("Entities: Krippendorff's alpha (spans)", coefficient_text(f.entity_alpha), f"{f.entity_alpha.items} spans"),
        ("Stances: Cohen's kappa", coefficient_text(f.stance_kappa),
         f"{f.stance_kappa.items} holder-target pairs both gave; {f.stance_unmatched} given by one only"),
        ("Stances: Krippendorff's alpha", coefficient_text(f.stance_alpha), f"{f.stance_alpha.items} holder-target items"),
        ("Debris: character F1", shown(f.debris_f1.value),
         f"{f.debris_f1.matched} characters in common, {f.debris_f1.annotated} marked by the two annotators of each pair"),
        ("Debris: character kappa", coefficient_text(f.debris_kappa), f"{f.debris_kappa.items} characters"),
    ]
    return rows


def format_table(report: AgreementReport) -> str:
    """A plain-text table for the terminal: corpus figures, then one line per article."""
    c = report.corpus
    lines = [f"Annotator agreement: {c.articles} article(s) with two or more annotators, {c.pairs} annotator "
             f"pair(s); {len(report.single_annotator)} article(s) with one annotator not compared; gold sets "
             "not included.", ""]
    if not c.pairs:  # nothing compared: no figure at all, rather than the F1 1.000 of "both marked nothing"
        return "\n".join(lines + ["n/a: one annotator. No article has two or more annotation sets to compare."]) + "\n"
    rows = [("figure", "value", "compared")] + figure_rows(c)
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    lines += [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]}".rstrip() for r in rows]
    lines += ["", f"Disagreements: {c.disagreements} place(s) where the annotators are not unanimous; "
                  f"{report.unadjudicated_disagreements} in articles without an adjudicated gold set."]
    if report.articles:
        head = ("article", "annotators", "entity F1", "stance kappa", "debris F1", "debris kappa", "disagreements")
        body = [(a.article_id, ",".join(a.annotators), shown(a.figures.entity_f1.value),
                 shown(a.figures.stance_kappa.value), shown(a.figures.debris_f1.value),
                 shown(a.figures.debris_kappa.value), str(a.figures.disagreements)) for a in report.articles]
        widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
        lines += ["", *("  ".join(f"{cell:<{w}}" for cell, w in zip(r, widths)).rstrip() for r in [head, *body])]
    return "\n".join(lines) + "\n"


MEANINGS = (
    ("Entity F1 (exact span)", "For each pair of annotators A and B, 2·|A∩B| / (|A|+|B|), where an entity "
     "matches only with the same start, end and label. 1.0 when neither marked anything."),
    ("Entity alpha", "Krippendorff's alpha (nominal) over the union of the spans any annotator marked, on articles "
     "with three or more annotators; an annotator who did not mark a span gives it the value \"no entity\"."),
    ("Stance kappa", "Cohen's kappa over the stance labels of the holder-target pairs both annotators of a pair "
     "labelled; holders are matched by Wikidata QID, else by their mention text lowercased."),
    ("Stance alpha", "Krippendorff's alpha (nominal) over the holder-target items, on articles with three or more "
     "annotators; an annotator without a stance on an item is missing."),
    ("Debris character F1", "F1 over the sets of raw character positions each annotator of a pair marks as "
     "page debris. 1.0 when neither marked any."),
    ("Debris character kappa", "Cohen's kappa over every character of the article, debris or not."),
)


def card_section(report: AgreementReport, *, heading: str = "### Annotator agreement") -> str:
    """Markdown for the dataset card's generated "Annotator agreement" section, under ``heading``
    (level 3 by default: DATASET_CARD.md puts the section inside "## Dataset creation")."""
    c = report.corpus
    intro = (f"Agreement is measured on the {c.articles} article(s) that two or more annotators labelled "
             f"independently ({c.pairs} annotator pair(s)); {len(report.single_annotator)} article(s) with one "
             "annotator are not compared, and gold sets are not part of it. Counts are summed over every pair "
             "of annotators of every article, then each figure is computed once. \"n/a\" marks a figure that "
             "is undefined, with the reason (kappa and alpha are undefined when only one label was used).")
    table = ["| Figure | Value | Compared |", "|---|---|---|"]
    table += [f"| {name} | {value} | {compared} |" for name, value, compared in figure_rows(c)
              if not name.startswith("  ")]
    labels = ["| Entity label | F1 | Compared |", "|---|---|---|"]
    labels += [f"| {label} | {shown(v.value)} | {entity_counts(v)} |" for label, v in c.entity_f1_by_label]
    meanings = "\n".join(f"- **{name}**: {text}" for name, text in MEANINGS)
    *nouns, last = (kind.noun for kind in KINDS.values())
    disagreements = (f"The annotators were not unanimous on {c.disagreements} place(s) ({', '.join(nouns)} or "
                     f"{last}); {report.unadjudicated_disagreements} of them are in articles without an "
                     "adjudicated gold set.")
    parts = [heading, intro, "\n".join(table)]
    if c.entity_f1_by_label:
        parts.append("\n".join(labels))
    parts += [meanings, disagreements]
    return "\n\n".join(parts) + "\n"
