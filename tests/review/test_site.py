"""Tests of builder/review/site.py and builder/review/pages.py: the files of the site, escaped and the same bytes twice."""

from __future__ import annotations

import json

import pytest

from builder.cli import main
from builder.errors import InputError
from builder.review.site import MARKER, write_site
from factories import files_of, make_project


@pytest.fixture()
def project(tmp_path):
    root = make_project(tmp_path / "p")
    path = root / "annotations" / "gold" / "a1.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["stances"][0]["note"] = "<script>alert(1)</script> & more"
    path.write_text(json.dumps(data), encoding="utf-8")
    return root


def site_of(root, out):
    return write_site(root / "corpus", root / "annotations", out)


def test_the_site_has_an_index_a_page_per_article_and_the_charts(project, tmp_path):
    written = site_of(project, tmp_path / "site")
    assert written.articles == 1 and written.index == tmp_path / "site" / "index.html"
    assert sorted(files_of(tmp_path / "site")) == [
        MARKER, "articles/a1.html", "figures/agreement.svg", "figures/entity-labels.svg", "figures/stance-labels.svg",
        "index.html"]


def test_every_value_is_escaped(project, tmp_path):
    site_of(project, tmp_path / "site")
    page = (tmp_path / "site" / "articles" / "a1.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "<script>alert(1)" not in page


def test_nothing_is_fetched_from_elsewhere(project, tmp_path):
    site_of(project, tmp_path / "site")
    for name, data in files_of(tmp_path / "site").items():
        text = data.decode("utf-8")
        assert " src=" not in text and "@import" not in text and "url(" not in text, name
        assert "https://" not in text.replace("https://example.invalid/a", ""), name  # the article's address, as text


def test_the_same_inputs_give_the_same_bytes(project, tmp_path):
    site_of(project, tmp_path / "one")
    site_of(project, tmp_path / "two")
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")


def test_a_previous_site_is_replaced(project, tmp_path):
    site_of(project, tmp_path / "site")
    (tmp_path / "site" / "articles" / "gone.html").write_text("old", encoding="utf-8")
    site_of(project, tmp_path / "site")
    assert not (tmp_path / "site" / "articles" / "gone.html").exists()


def test_a_folder_that_is_not_a_site_is_left_alone(project, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(InputError, match=r"E946 .*is not a review site"):
        site_of(project, tmp_path / "mine")
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]


def test_the_command_writes_the_site(project, tmp_path, capsys):
    assert main(["review", "--corpus", str(project / "corpus"), "--annotations", str(project / "annotations"),
                 "--output", str(tmp_path / "site")]) == 0
    assert "1 article page(s)" in capsys.readouterr().out


def test_a_restricted_text_is_marked_not_for_publication(tmp_path):
    from factories import ARTICLE, write_article

    root = make_project(tmp_path / "p")  # meta without a licence: the text may not be redistributed
    site_of(root, tmp_path / "site")
    assert "full text of 1 article(s) whose licence does not allow" in (tmp_path / "site" / "index.html").read_text(
        encoding="utf-8")
    assert "<strong>may not be redistributed</strong>" in (tmp_path / "site" / "articles" / "a1.html").read_text(
        encoding="utf-8")
    write_article(root / "corpus", "a1", ARTICLE, split="train", license="CC-BY-4.0")  # listed in schema.yaml
    site_of(root, tmp_path / "site")
    assert "restricted-note" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'id="licence">CC-BY-4.0</td>' in (tmp_path / "site" / "articles" / "a1.html").read_text(encoding="utf-8")


def test_a_file_given_as_the_folder_is_refused(project, tmp_path):
    (tmp_path / "site").write_text("a file", encoding="utf-8")
    with pytest.raises(InputError, match=r"E946 .*is not a review site"):
        site_of(project, tmp_path / "site")
    assert (tmp_path / "site").read_text(encoding="utf-8") == "a file"
