"""The registry of evaluation tasks: name -> Task (its gold, its prediction parser, its scorer)."""

from __future__ import annotations

from builder.errors import InputError, problem
from builder.evaluation import cleaning, ner, stance
from builder.evaluation.records import Task

# in the order results are listed
TASKS: dict[str, Task] = {
    "ner": Task(load_gold=ner.load_gold, parse=ner.parse, score=ner.score),
    "stance": Task(load_gold=stance.load_gold, parse=stance.parse, score=stance.score),
    "cleaning": Task(load_gold=cleaning.load_gold, parse=cleaning.parse, score=cleaning.score),
}


def task_named(name: str) -> Task:
    """The task called ``name``; E612 naming the known tasks otherwise."""
    if name not in TASKS:
        raise InputError([problem("E612", "evaluate", detail=f"unknown task {name!r}; known: {', '.join(TASKS)}")])
    return TASKS[name]
