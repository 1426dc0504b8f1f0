"""builder/evaluation/tasks.py: the registry of tasks."""

from __future__ import annotations

import pytest

from builder.errors import InputError
from builder.evaluation.evaluate import load_gold
from builder.evaluation.tasks import TASKS, task_named


def test_the_registry_lists_the_tasks_in_order():
    assert list(TASKS) == ["ner", "stance", "cleaning"]
    assert task_named("stance") is TASKS["stance"]


def test_an_unknown_task_is_reported(data):
    with pytest.raises(InputError, match=r"E612 .*unknown task 'pos'; known: ner, stance, cleaning"):
        load_gold("pos", data=str(data))
