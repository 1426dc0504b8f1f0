"""builder/inputs.py: listing the files of each article and reading them."""

import json

import pytest

from builder.annotations import load_annotation_file
from builder.inputs import read_annotation
from factories import full_document


# --- an annotation file, read: the fast path, or the loader ----------------------------------------

def test_read_annotation_reads_offsets_written_as_floats_as_the_loader_does(tmp_path):
    document = full_document()
    document["entities"][0]["start"] = float(document["entities"][0]["start"])
    path = tmp_path / "team-a" / "a1.json"
    path.parent.mkdir()
    path.write_text(json.dumps(document), encoding="utf-8")
    aset, problems = read_annotation(path, path.read_bytes())
    assert (aset, problems) == load_annotation_file(path) and not problems
    assert type(aset.entities[0].start) is int


@pytest.mark.parametrize("text, code", [('{"start": 1.5, ', "E001"), (b'{"start": 1.5, "x": "\xff"}', "E005")])
def test_read_annotation_words_a_broken_file_with_floats_as_the_loader_does(tmp_path, text, code):
    path = tmp_path / "team-a" / "a1.json"
    path.parent.mkdir()
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    aset, problems = read_annotation(path, path.read_bytes())
    assert (aset, problems) == load_annotation_file(path) and [p.code for p in problems] == [code]
