"""The Label Studio labeling configuration of newsstance, generated from annotations/schema.yaml.

The shipped copy is annotations/labelstudio/config.xml (a test checks it equals ``labelstudio_config``
of the repository's schema). Control names are the contract between the config, the importer and the
exporter:

    text     <Text>: the raw article text (task field ``$text``); whitespace kept (``pre-wrap``)
    entity   <Labels>: the OntoNotes entity labels
    debris   <Labels>: page debris, one label per debris reason
    stance   <Labels>: stance evidence, labelled favor / against / neutral
    target   per-region <Choices> on a stance region: the stance target
    author   per-region <Choices> on a stance region: "@author" when the holder is the article's author
    note     per-region <TextArea> on a stance region: optional note of the stance
    qid      per-region <TextArea> on an entity region: optional Wikidata QID
    (relation) an unlabelled relation from the holder entity region to a stance region
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from builder.records import AUTHOR, Schema

TEXT = "text"
ENTITY = "entity"
DEBRIS = "debris"
STANCE = "stance"
TARGET = "target"
AUTHOR_CONTROL = "author"
NOTE = "note"
QID = "qid"
SPAN_CONTROLS = (DEBRIS, STANCE)  # every other <Labels> control (any name) holds entities
STANCE_EXTRAS = (TARGET, AUTHOR_CONTROL, NOTE)


def labels_block(name: str, labels: dict[str, str], header: str) -> list[str]:
    lines = [f"  <Header value={quoteattr(header)}/>",
             f'  <Labels name="{name}" toName="{TEXT}" choice="single" showInline="true">']
    lines += [f"    <Label value={quoteattr(value)} hint={quoteattr(hint)}/>" for value, hint in labels.items()]
    return lines + ["  </Labels>"]


def labelstudio_config(schema: Schema) -> str:
    """The XML labeling configuration for ``schema``."""
    lines = ["<View>",
             "  <!-- newsstance labeling configuration; generated from annotations/schema.yaml, "
             "see annotations/labelstudio/README.md -->",
             "  <Style>.htx-text { white-space: pre-wrap; }</Style>"]
    lines += labels_block(ENTITY, schema.entity_labels, "Entities (OntoNotes 5)")
    lines += labels_block(DEBRIS, schema.debris_reasons, "Page debris to remove (whole lines, without the final line break)")
    lines += labels_block(STANCE, schema.stance_labels,
                          "Stance evidence: then relate the holder entity to it (or choose @author) and pick the target")
    lines += [f'  <Text name="{TEXT}" value="$text"/>',
              f'  <View visibleWhen="region-selected" whenTagName="{STANCE}">',
              '    <Header value="Selected stance evidence"/>',
              f'    <Choices name="{TARGET}" toName="{TEXT}" perRegion="true" choice="single" showInline="true">']
    lines += [f"      <Choice value={quoteattr(value)} hint={quoteattr(hint)}/>" for value, hint in schema.targets.items()]
    lines += ["    </Choices>",
              f'    <Choices name="{AUTHOR_CONTROL}" toName="{TEXT}" perRegion="true" choice="single">',
              f'      <Choice value="{AUTHOR}" hint="The holder is the article\'s author: no holder entity to relate"/>',
              "    </Choices>",
              f'    <TextArea name="{NOTE}" toName="{TEXT}" perRegion="true" maxSubmissions="1" '
              'placeholder="Optional note on this stance"/>',
              "  </View>",
              f'  <View visibleWhen="region-selected" whenTagName="{ENTITY}">',
              '    <Header value="Selected entity"/>',
              f'    <TextArea name="{QID}" toName="{TEXT}" perRegion="true" maxSubmissions="1" '
              'placeholder="Wikidata QID, e.g. Q3874799 (give one to every stance holder)"/>',
              "  </View>",
              "</View>"]
    return "\n".join(lines) + "\n"
