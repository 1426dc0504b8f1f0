"""The format registries: every entry loads, the commands offer exactly them, and naming them is cheap."""

from __future__ import annotations

import subprocess
import sys

import pytest

from builder.cli import exporting, importing
from builder.interop import EXPORTERS, IMPORTERS
from conftest import REPO

HEAVY = ("spacy", "datasets", "pyarrow")


@pytest.mark.parametrize("registry, name", [(IMPORTERS, n) for n in IMPORTERS] + [(EXPORTERS, n) for n in EXPORTERS])
def test_every_format_loads_its_function(registry, name):
    function = registry[name].load()
    assert callable(function) and registry[name].function.endswith(f":{function.__name__}")


def test_the_commands_offer_exactly_the_registered_formats():
    assert list(importing.ARGUMENTS) == list(IMPORTERS)
    assert list(exporting.ARGUMENTS) == list(EXPORTERS)


def test_the_registry_and_the_commands_import_no_heavy_library():
    code = ("import sys, builder.interop, builder.cli.importing, builder.cli.exporting; "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
