"""The Responsible-AI fields of croissant.json (Croissant RAI 1.0), from what the build already knows.

Prose comes from the sections of DATASET_CARD.md (by heading, without its generated markers), who annotated
from annotators.yaml (told as it is written there), the agreement figures from the build's agreement report,
and the licences from the release step. Nothing here is invented: a missing card section gives no field.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from builder.records import Annotator
from builder.release.record import licence_details
from builder.release.withhold import ReleaseStep

HEADING = re.compile(r"^(#{2,3}) (.+)$", re.MULTILINE)
MARKER = re.compile(r"<!-- generated: [a-z_]+ -->\n?")
# RAI property -> the card sections its text is taken from
# (the seed card's headings, then those of the card `newsstance init` writes)
FROM_CARD = {
    "rai:dataCollection": ("Source data", "Collection process"),
    "rai:dataAnnotationProtocol": ("Annotation process", "Annotation"),
    "rai:personalSensitiveInformation": ("Personal and sensitive information",),
    "rai:dataLimitations": ("Biases and limitations", "Limitations and biases"),
    "rai:dataBiases": ("Biases and limitations", "Limitations and biases"),
    "rai:dataUseCases": ("Supported tasks", "Uses"),
}
PLATFORM = ("Annotation files in the newsstance JSON format (annotations/<annotator>/<article>.json), written by "
            "hand or imported from Label Studio or brat exports with `newsstance import`; checked by "
            "`newsstance validate` against annotations/schema.yaml and annotations/GUIDELINES.md.")


def card_sections(prose: str) -> dict[str, str]:
    """Each ``##``/``###`` section of the card by its heading: its text up to the next heading, markers removed."""
    found = list(HEADING.finditer(prose))
    sections = {}
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(prose)
        text = MARKER.sub("", prose[match.end():end]).strip()
        if text:
            sections[match.group(2).strip()] = text
    return sections


def answered_sections(prose: str) -> dict[str, str]:
    """The card's sections without those still as ``newsstance init`` wrote them: a question is no answer."""
    from builder.project.templates import CARD

    template = card_sections(CARD)
    return {heading: text for heading, text in card_sections(prose).items() if template.get(heading) != text}


UNMEASURED = ("Inter-annotator agreement: n/a: one annotator. No article has two or more independent annotation "
              "sets, so no agreement figure is computed.")


def agreement_summary(agreement: Mapping) -> str:
    """The corpus figures of the agreement report in one paragraph (none when nothing was compared)."""
    corpus = agreement.get("corpus") or {}
    if not corpus.get("annotator_pairs"):
        return UNMEASURED
    entities, stances, debris = (corpus.get(k) or {} for k in ("entities", "stances", "debris"))
    parts = [f"{corpus.get('articles', 0)} article(s) compared, {corpus.get('annotator_pairs', 0)} annotator pair(s)"]
    if entities:
        parts.append(f"entity F1 (exact span) {entities.get('f1')}, Krippendorff's alpha "
                     f"{(entities.get('alpha') or {}).get('value')}")
    if stances:
        parts.append(f"stance Cohen's kappa {(stances.get('kappa') or {}).get('value')}, "
                     f"alpha {(stances.get('alpha') or {}).get('value')}")
    if debris:
        parts.append(f"debris character F1 {(debris.get('char_f1') or {}).get('f1')}, "
                     f"kappa {(debris.get('char_kappa') or {}).get('value')}")
    return "Inter-annotator agreement of the annotators' own sets (never gold): " + "; ".join(parts) + "."


@dataclass(frozen=True, slots=True)
class CorpusFacts:
    """What the documents config says of the articles: their languages, annotator sets and gold sources."""

    languages: tuple[str, ...]  # ISO 639 codes, sorted
    sets_per_article: Counter  # number of annotator sets -> articles
    gold_sources: Counter  # gold source -> articles


def annotations_per_item(corpus: CorpusFacts) -> str:
    sets = ", ".join(f"{n} article(s) with {k} annotator set(s)" for k, n in sorted(corpus.sets_per_article.items()))
    gold = ", ".join(f"{n} {source}" for source, n in sorted(corpus.gold_sources.items()))
    return (f"{sets}; gold sets by origin: {gold}. The annotations config has one row per (article, annotator), "
            f"the documents config the gold set.")


def rai_fields(prose: str, annotators: Mapping[str, Annotator], agreement: Mapping, release: ReleaseStep,
               corpus: CorpusFacts) -> dict:
    sections = answered_sections(prose)
    fields = {key: "\n\n".join(sections[name] for name in names if name in sections)
              for key, names in FROM_CARD.items()}
    fields = {key: text for key, text in fields.items() if text}
    fields["rai:dataAnnotationPlatform"] = PLATFORM
    fields["rai:dataAnnotationAnalysis"] = agreement_summary(agreement)
    fields["rai:annotatorDemographics"] = [f"{a.id} ({a.kind}): {a.description}" for a in annotators.values()]
    fields["rai:annotationsPerItem"] = annotations_per_item(corpus)
    fields["rai:machineAnnotationTools"] = ["spaCy tokenizer and sentencizer (token and sentence boundaries only; "
                                            "no label is predicted)"] + [
        f"{a.id} (a model): {a.description}" for a in annotators.values() if a.kind == "model"]
    fields["rai:dataReleaseMaintenancePlan"] = ("Versioned releases: a published version never changes; each "
                                                "change is a new version recorded in CHANGELOG.md and rebuilt "
                                                "byte-identically from the source repository.")
    fields["rai:dataCollectionRawData"] = ("Raw article texts exactly as received (UTF-8, LF line endings), each "
                                           "verified by its sha256 on every build. " + licence_details(release))
    return fields
