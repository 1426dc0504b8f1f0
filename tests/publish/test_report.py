"""builder/publish/report.py: what `newsstance publish` prints (whole reports: test_publish.py)."""

from __future__ import annotations

from builder.publish.report import load_call


def test_load_call():
    assert load_call("o/n", "documents", "v1.0.0") == 'load_dataset("o/n", "documents", revision="v1.0.0")'
