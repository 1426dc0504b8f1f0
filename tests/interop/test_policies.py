"""Label and annotator mapping files."""

from __future__ import annotations

import pytest

from builder.errors import InputError
from builder.interop.policies import load_annotator_map, load_mapping


def test_label_and_annotator_maps_are_read_from_yaml(tmp_path):
    (tmp_path / "labels.yaml").write_text("PER: PERSON\nMISC: null\n", encoding="utf-8")
    assert load_mapping(tmp_path / "labels.yaml", "label map") == {"PER": "PERSON", "MISC": None}
    (tmp_path / "users.yaml").write_text("2: team-c\n'ann@example.org': Team C\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E426 .*users\.yaml: annotator map is invalid: not annotator ids .*ann@example\.org: 'Team C'"):
        load_annotator_map(tmp_path / "users.yaml")
    (tmp_path / "users.yaml").write_text("'ann@example.org': \"team-c\\n\"\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E426 .*not annotator ids .*ann@example\.org: 'team-c\\n'"):  # "$" let a final line break through
        load_annotator_map(tmp_path / "users.yaml")
    (tmp_path / "list.yaml").write_text("- PER\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E426 .*label map is invalid: expected a mapping"):
        load_mapping(tmp_path / "list.yaml", "label map")
    with pytest.raises(InputError, match=r"E015 .*missing\.yaml: cannot read missing\.yaml: No such file or directory\n"
                                         r"    fix: restore the file or correct its path"):
        load_mapping(tmp_path / "missing.yaml", "label map")
