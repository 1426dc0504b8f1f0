"""The records an evaluation passes between its modules: gold, a task's parts, a task's score, a result."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from builder.errors import Problem
from builder.evaluation.metrics import CleaningScores, NerScores, Span, StanceScores

if TYPE_CHECKING:
    from builder.evaluation.predictions import Checker

Scores = NerScores | StanceScores | CleaningScores


@dataclass(frozen=True, slots=True)
class DataRef:
    """Which gold was scored: the source as given, its revision, the dataset version, the split."""

    source: str
    revision: str | None
    version: str
    split: str
    content_sha256: str | None = None  # the manifest's content hash: which data was scored (None: no manifest)


@dataclass(frozen=True, slots=True)
class StanceItem:
    article_id: str
    holder_key: str
    target: str
    label: str


@dataclass(frozen=True, slots=True)
class Gold:
    """The gold of one task and split. ``texts`` are the cleaned texts per article id."""

    task: str
    data: DataRef
    texts: Mapping[str, str]
    raw_texts: Mapping[str, str] = field(default_factory=dict)
    entities: tuple[Span, ...] = ()
    entity_labels: tuple[str, ...] = ()
    stances: tuple[StanceItem, ...] = ()
    stance_labels: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(sorted(self.texts))


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line of a predictions file: its 1-based number and its parsed JSON value."""

    number: int
    value: object


@dataclass(frozen=True, slots=True)
class Scored:
    """What a task's scorer returns: the scores, the sizes recorded with them, the E608 warnings."""

    scores: Scores
    sizes: Mapping[str, int]
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Task:
    """One evaluation task, as the registry ``TASKS`` holds it.

    ``load_gold(ref, read)`` builds the gold, ``read(config)`` giving that config of the split as a
    ``datasets.Dataset``; ``parse(lines, gold, check)`` turns checked prediction lines into the
    task's predictions, adding every problem to ``check``; ``score(gold, predicted, file)`` scores them.
    """

    load_gold: Callable[[DataRef, Callable[[str], object]], Gold]
    parse: Callable[[Sequence[Line], Gold, Checker], Mapping]
    score: Callable[[Gold, Mapping, str], Scored]


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    task: str
    model: str
    data: DataRef
    predictions_file: str | None  # the file's name, or None when predictions came from a pipeline
    predictions_sha256: str
    sizes: Mapping[str, int]
    scores: Scores
    warnings: tuple[Problem, ...] = ()
