"""The files ``newsstance init`` writes: an empty project's schema, annotators, card template and changelog.

Nothing here describes a particular corpus: the card template has neutral headings, the datasheet's
questions (Gebru et al., "Datasheets for Datasets"; the Hugging Face card template) for the team to
answer, and a ``<!-- generated: NAME -->`` marker wherever the build writes figures taken from the data.
"""

from __future__ import annotations

SCHEMA = """\
# The label inventory of this project. Every label used in an annotation file must be declared here;
# edit the lists to fit your corpus (definitions are one line each; decision rules go in GUIDELINES.md).
entity_labels:  # the OntoNotes 5 names, so that spaCy pipelines can be scored without a label map
  PERSON: People, including fictional ones; the name only, without titles.
  NORP: Nationalities or religious or political groups.
  FAC: Buildings, airports, highways, bridges and other named facilities.
  ORG: Companies, agencies, institutions and other organisations.
  GPE: Countries, cities, states.
  LOC: Non-GPE locations, mountain ranges, bodies of water, regions.
  PRODUCT: Objects, vehicles, foods, software and other products.
  EVENT: Named hurricanes, battles, wars, sports events and other named events.
  WORK_OF_ART: Titles of books, songs and other works.
  LAW: Named documents made into laws.
  LANGUAGE: Any named language.
  DATE: Absolute or relative dates or periods.
  TIME: Times smaller than a day.
  PERCENT: Percentages.
  MONEY: Monetary values.
  QUANTITY: Measurements of weight or distance.
  ORDINAL: first, second, ...
  CARDINAL: Numerals that fall under no other type.
stance_labels:
  favor: The holder supports the target.
  against: The holder opposes the target.
  neutral: The holder takes a position on the target that is neither for nor against.
debris_reasons:
  advertising: Advertising markers and ad slots.
  promotion: Promotional blurbs for the outlet's own or partners' products.
  navigation: Menus, breadcrumbs, "read more" links, related-article lists.
  boilerplate: Share buttons, cookie notices, copyright lines and other page furniture.
targets:  # what stances are taken on; replace the example with your targets (a stance names one of them)
  example-target: An example target; replace it with a target your annotators take stances on.
annotations_license: null  # SPDX id of the licence of your annotations and documentation (e.g. CC-BY-4.0); null: none stated
redistributable_licenses:  # SPDX ids of article-text licences that let a public release carry the text; any other (or null) is withheld
  - CC0-1.0
  - CC-BY-4.0
  - CC-BY-SA-4.0
  - CC-BY-3.0
  - CC-BY-2.5
  - CC-BY-2.0
  - PDDL-1.0
  - ODC-By-1.0
"""

ANNOTATORS = """\
# Who made each annotation set, told truthfully. One entry per annotator folder under annotations/:
#   - id: team-a            # the folder name
#     kind: human           # human, model, project-team, adjudication, ...
#     description: >-
#       Who or what made the set, under which conditions (guidelines seen, other sets seen or not).
annotators: []
"""

GUIDELINES = """\
# Annotation guidelines

Write here what annotators do: each label's definition with the edge cases your corpus raises,
how spans are delimited, and how disagreements are adjudicated. The card links this file.
"""

CARD = """\
---
pretty_name: {name}
license: unknown
---
# {name}

<!-- The build renders this file into the dataset's README.md: each `generated` marker below is
replaced by figures computed from the corpus and the annotations. Answer the questions in the other
sections; keep every marker (a missing or unknown one stops the build with E306). -->

This is version <!-- generated: version -->.

<!-- generated: build -->

## Motivation

For what purpose was the dataset created? Who created it, and who funded it?

## Composition

<!-- generated: corpus -->

### Languages

<!-- generated: languages -->

### Supported tasks

<!-- generated: tasks -->

### Dataset structure

<!-- generated: splits -->

Offsets are Python code points, end exclusive; labels are `ClassLabel`s (`dataset.features` gives
their names).

### Label distributions

<!-- generated: labels -->

## Collection process

Where do the articles come from, how were they selected, over what time frame, and with what rights?

## Annotation

What do the annotation guidelines say (annotations/GUIDELINES.md)? How were annotators chosen,
trained and paid, and how were disagreements resolved?

<!-- generated: annotators -->

<!-- generated: agreement -->

## Uses

What is the dataset for, what should it not be used for, and what could go wrong?

## Personal and sensitive information

Does the corpus identify people, or carry sensitive information about them?

## Limitations and biases

What does the corpus not cover, and whose views dominate it?

## Benchmarks

<!-- generated: benchmarks -->

## Distribution and licensing

Under which licence are the annotations and the texts released? Who holds the rights to the texts?

## Maintenance

Who maintains the dataset, how are errors reported, and how are versions recorded (CHANGELOG.md)?
"""

CHANGELOG = """\
# Changelog of {name}

Each version of the dataset, what changed in it, and why. The build writes the version into the card,
the manifest and the output folder `dist/<version>/`.

## 1.0.0 (unreleased)

- Project created with `newsstance init`.
"""

GITIGNORE = """\
dist/
.newsstance-cache/
.newsstance-build.lock
"""

# path in the project -> its text; ``{name}`` is the project's name
TEMPLATES: dict[str, str] = {
    "annotations/schema.yaml": SCHEMA,
    "annotations/annotators.yaml": ANNOTATORS,
    "annotations/GUIDELINES.md": GUIDELINES,
    "DATASET_CARD.md": CARD,
    "CHANGELOG.md": CHANGELOG,
    ".gitignore": GITIGNORE,
}
FOLDERS = ("corpus", "annotations", "benchmarks/results")
