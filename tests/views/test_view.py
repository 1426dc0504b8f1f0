"""builder/views/view.py: what every View's rows must be, checked on every config of real built articles.

A view gives its rows as tuples in the order of its Features' fields; nothing but the order ties a value
to its field name. Each config's module has a test of one whole row whose values all differ from the
others of their type (tests/views/test_<config>.py), which is what catches a reordering; the tests here
check the shapes on a synthetic corpus, and that a chunk of articles gives the rows of each in turn.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa
import pytest

from benchmarks import synthetic
from builder.views import VIEWS
from builder.views.arrow import columns_to_batch


@pytest.fixture(scope="module")
def synthetic_results(tmp_path_factory, built_project):
    """``build_article`` of every article of a small synthetic corpus, with its schema."""
    return built_project(synthetic.generate(tmp_path_factory.mktemp("synthetic") / "project", articles=24, seed=5))


def tuple_shape(value, kind: pa.DataType) -> bool:
    """Whether a row value has the shape of its Arrow type: a tuple of the struct's width, a list of such."""
    if value is None:
        return True
    if pa.types.is_struct(kind):
        return (isinstance(value, tuple) and len(value) == kind.num_fields
                and all(tuple_shape(v, f.type) for v, f in zip(value, kind)))
    if pa.types.is_list(kind):
        return isinstance(value, list) and all(tuple_shape(v, kind.value_type) for v in value)
    return not isinstance(value, (tuple, list))


def test_every_view_gives_rows_of_the_shape_of_its_features(synthetic_results):
    results, schema = synthetic_results
    assert all(result.rows for result in results)
    for name, view in VIEWS.items():
        if view.rows is None:
            continue
        arrow = pa.struct(list(view.features(schema).arrow_schema))
        for result in results:
            rows = result.rows[name]
            if isinstance(rows, Mapping):  # columns: by name
                assert list(rows) == [f.name for f in arrow], name
            else:
                assert all(tuple_shape(row, arrow) for row in rows), name


def test_a_chunk_of_articles_gives_the_rows_of_each_in_turn(synthetic_results, batches):
    """The parts of several articles in one batch, as the build joins them (non-ASCII texts among them)."""
    results, schema = synthetic_results
    assert any(not row["text"].isascii() for r in results for row in batches(r.rows, schema)["documents"].to_pylist())
    one_by_one = [batches(result.rows, schema) for result in results]
    for name, view in VIEWS.items():
        if view.rows is None:
            continue
        parts = []
        for result in results:
            rows = result.rows[name]
            parts.extend(rows) if isinstance(rows, list) else parts.append(rows)
        chunk = columns_to_batch(parts, view.features(schema).arrow_schema)
        assert chunk.to_pylist() == [row for b in one_by_one for row in b[name].to_pylist()], name
        assert chunk.num_rows == sum(result.summary.rows[name] for result in results), name
