"""A gold set's ``adjudicated_from`` and ``decisions`` <-> JSON, for tool formats that keep them beside spans.

Label Studio keeps them in the task data, brat in a ``<doc>.adjudication.json`` beside the ``.ann``.
"""

from __future__ import annotations

from typing import NamedTuple

from builder.records import AnnotationSet, Decision


class Adjudication(NamedTuple):
    adjudicated_from: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = ()


def adjudication_to_json(aset: AnnotationSet) -> dict | None:
    """A gold set's ``adjudicated_from`` and ``decisions``; None when the set has neither."""
    if not aset.adjudicated_from and not aset.decisions:
        return None
    return {"adjudicated_from": list(aset.adjudicated_from),
            "decisions": [{"item": d.item, "decision": d.decision, "reason": d.reason} for d in aset.decisions]}


def adjudication_from_json(entry: object) -> Adjudication | None:
    """The reverse of ``adjudication_to_json``; None when ``entry`` does not have that shape."""
    try:
        sources = tuple(str(a) for a in entry.get("adjudicated_from", ()))
        decisions = tuple(Decision(str(d["item"]), str(d["decision"]), str(d["reason"]))
                          for d in entry.get("decisions", ()))
    except (AttributeError, KeyError, TypeError):
        return None
    return Adjudication(sources, decisions)
