"""builder/evaluation/gold.py: where gold comes from and which version it is."""

from __future__ import annotations

import pytest

from builder.errors import InputError
from builder.evaluation.evaluate import load_gold
from builder.evaluation.gold import dataset_configs, dataset_content, dataset_version, display_source


def test_gold_records_the_version_of_the_manifest(golds, data, sample):
    assert golds["stance"].data.version == sample.version
    assert golds["stance"].data.split == "test"
    assert golds["stance"].data.source == data.name  # an absolute path is reduced to its name
    assert display_source("dist/1.0.0") == "dist/1.0.0"


def test_version_falls_back_to_the_revision_without_a_manifest(tmp_path):
    assert dataset_version(str(tmp_path), "v2.0.0") == "v2.0.0"
    assert dataset_version(str(tmp_path), None) == "unknown"


def test_version_of_a_hub_source_comes_from_its_manifest(tmp_path, monkeypatch):
    import huggingface_hub
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"version": "1.2.3"}', encoding="utf-8")
    seen = {}

    def fake_download(repo_id, filename, repo_type, revision):
        seen.update(repo_id=repo_id, filename=filename, repo_type=repo_type, revision=revision)
        return str(manifest)

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", fake_download)
    assert dataset_version("org/newsstance-does-not-exist", "v1.2.3") == "1.2.3"
    assert seen == {"repo_id": "org/newsstance-does-not-exist", "filename": "manifest.json", "repo_type": "dataset",
                    "revision": "v1.2.3"}


def test_a_split_the_build_did_not_write_is_named_with_the_splits_it_has(data):
    with pytest.raises(InputError, match=r"E464 .*the 'documents' config of this build has no 'validation' split .*"
                                         r"its splits: test, train\n    fix: pass --split"):
        load_gold("stance", data=str(data), split="validation")


def test_a_split_missing_from_a_folder_without_manifest_is_e611(data, tmp_path):
    import shutil
    copy = tmp_path / "copy"
    shutil.copytree(data, copy)
    (copy / "manifest.json").unlink()
    with pytest.raises(InputError, match=r"E611 .*cannot load the gold 'documents' config, split 'validation': .*Unknown split"):
        load_gold("stance", data=str(copy), split="validation")


def test_gold_texts_are_the_cleaned_and_raw_texts_of_the_documents(golds, sample):
    for task in ("ner", "stance"):
        assert golds[task].texts == {a: sample.text(a) for a in ("a1", "a2")}
        assert golds[task].raw_texts["a1"] == sample.text("a1").replace("\n", "\nContinues after advertising\n", 1)


def test_content_and_configs_come_from_the_manifest(data, golds, content):
    assert golds["ner"].data.content_sha256 == content
    assert dataset_configs(str(data), None) == {"documents", "ner", "stance", "cleaning"}


def test_content_and_configs_are_unknown_without_a_manifest(tmp_path):
    assert dataset_content(str(tmp_path), None) is None and dataset_configs(str(tmp_path), None) is None
