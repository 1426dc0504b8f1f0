"""builder/article/build.py: what an article's summary keeps of its gold set."""

from __future__ import annotations

from builder.article.build import LabelCount, label_counts
from builder.records import AnnotationSet, Debris, Entity, Schema, Stance

SCHEMA = Schema(entity_labels={"PERSON": "", "ORG": ""}, stance_labels={"favor": "", "against": ""},
                debris_reasons={"advertising": ""}, targets={"plan": ""})


def test_the_gold_labels_are_counted_for_every_counted_kind_of_the_schema():
    gold = AnnotationSet("a1", "gold", "f" * 64, cleaning=(Debris(0, len("AD\n"), "advertising", "AD\n"),),
                         entities=(Entity("e1", 3, 7, "PERSON", "Olaf"), Entity("e2", 8, 11, "ORG", "ACME"),
                                   Entity("e3", 12, 16, "PERSON", "Joan")),
                         stances=(Stance("s1", "e1", "plan", "favor", ()),))
    assert label_counts(gold, SCHEMA) == {"entity": (LabelCount("PERSON", 2), LabelCount("ORG", 1)),
                                          "stance": (LabelCount("favor", 1),),
                                          "debris": (LabelCount("advertising", 1),)}  # targets are not counted
