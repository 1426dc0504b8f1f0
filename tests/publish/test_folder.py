"""builder/publish/folder.py: a build folder, checked against its manifest."""

from __future__ import annotations

import json
import textwrap

import pytest

from builder.errors import PublishError
from builder.publish.folder import LocalFile, card_configs, digest_folder, read_build


def test_read_build_lists_files_and_configs(build_folder, tmp_path):
    folder = read_build(build_folder(tmp_path / "a", "1.2.3"))
    assert folder.version == "1.2.3" and folder.tag == "v1.2.3" and folder.configs == ("documents", "ner")
    assert [f.path for f in folder.files] == ["README.md", "documents/train-00000-of-00001.parquet",
                                              "manifest.json", "ner/train-00000-of-00001.parquet"]


@pytest.mark.parametrize("damage, message", [
    (lambda root: (root / "manifest.json").unlink(), "no manifest.json"),
    (lambda root: (root / "manifest.json").write_text("{"), "manifest.json is unreadable"),
    (lambda root: (root / "ner" / "train-00000-of-00001.parquet").unlink(),
     r"1 file\(s\) listed in the manifest but missing, e.g. ner/train-00000-of-00001.parquet"),
    (lambda root: (root / "notes.txt").write_text("x"), r"1 file\(s\) not in the manifest, e.g. notes.txt"),
    (lambda root: (root / "README.md").write_text("edited"), r"1 file\(s\) changed since the build, e.g. README.md"),
])
def test_an_incomplete_or_edited_build_is_refused(build_folder, tmp_path, damage, message):
    root = build_folder(tmp_path / "a", "1.0.0")
    damage(root)
    with pytest.raises(PublishError, match=rf"E501 .*not a complete build: {message}"):
        read_build(root)


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(PublishError, match=r"E501 .*not a complete build: the folder does not exist"):
        read_build(tmp_path / "dist" / "9.9.9")


def test_a_build_without_a_card_is_refused(build_folder, tmp_path):
    root = build_folder(tmp_path / "a", "1.0.0")
    (root / "README.md").unlink()
    manifest = json.loads((root / "manifest.json").read_text())
    del manifest["outputs"]["README.md"]
    (root / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(PublishError, match=r"E501 .*no README.md \(the dataset card\)"):
        read_build(root)


def test_card_configs_puts_the_default_first():
    card = textwrap.dedent("""\
        ---
        configs:
        - config_name: ner
          data_files: ner/*.parquet
        - config_name: documents
          default: true
          data_files: documents/*.parquet
        ---
        text
        """)
    assert card_configs(card) == ("documents", "ner")
    assert card_configs("no front matter") == ()
    assert card_configs("---\n: [\n---\n") == ()


def test_digest_file_gives_the_sha256_and_the_git_blob_id(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "hello.txt").write_bytes(b"hello\n")
    assert digest_folder(tmp_path) == {"sub/hello.txt": LocalFile(
        "sub/hello.txt", 6, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
        "ce013625030ba8dba906f756967f9e9ca394464a")}  # `git hash-object hello.txt`
