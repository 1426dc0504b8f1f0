"""Label Studio importer options."""

from __future__ import annotations

import pytest

from builder.errors import ConfigError
from builder.interop.labelstudio.options import LabelStudioOptions


def test_invalid_options_are_refused():
    with pytest.raises(ConfigError, match=r"E428 .*option offsets='bytes' is invalid; choose one of auto, codepoints, utf16"):
        LabelStudioOptions(offsets="bytes")
