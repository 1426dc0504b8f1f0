"""One built one-article project per session, copied for each test: its dist/ is what a refused build keeps."""

from __future__ import annotations

import shutil

import pytest

from hostile.running import built_project


@pytest.fixture(scope="session")
def built_template(tmp_path_factory):
    return built_project(tmp_path_factory.mktemp("template") / "project")


@pytest.fixture
def project(built_template, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(built_template, root, symlinks=True)
    return root
