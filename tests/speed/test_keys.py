"""builder/speed/keys.py: the key covers every module the article core runs, and every input of the article."""

import subprocess
import sys

from builder.speed.keys import SOURCE_ROOT, article_key, fingerprint, source_files


def test_every_module_the_article_core_imports_is_in_the_key():
    loaded = subprocess.run([sys.executable, "-c", "import sys, builder.article.build, builder.views; "
                             "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('builder')))"],
                            capture_output=True, text=True, check=True).stdout.split()
    covered = {str(path) for path in source_files()}
    assert loaded and set(loaded) <= covered, sorted(set(loaded) - covered)
    assert str(SOURCE_ROOT / "annotation.schema.json") in covered


def test_keys_change_with_every_input(tmp_path):
    (tmp_path / "schema.yaml").write_text("a", encoding="utf-8")
    prefix = fingerprint("config", tmp_path)
    assert fingerprint("other config", tmp_path) != prefix
    (tmp_path / "annotators.yaml").write_text("b", encoding="utf-8")
    assert fingerprint("config", tmp_path) != prefix
    inputs = [("corpus/a.meta.json", "1"), ("corpus/a.txt", "2")]
    assert article_key(prefix, inputs) != article_key(prefix, inputs[:1])
    assert article_key(prefix, inputs) != article_key(prefix, [("corpus/a.meta.json", "1"), ("corpus/a.txt", "3")])
    assert article_key(prefix, inputs) != article_key(fingerprint("other config", tmp_path), inputs)


def test_a_limit_set_on_the_command_line_changes_the_fingerprint(tmp_path):
    from builder.sources import limits

    before = fingerprint("config", tmp_path)
    try:
        limits.set_overrides({"spans_per_file": 10})
        assert fingerprint("config", tmp_path) != before
    finally:
        limits.set_overrides({})
    assert fingerprint("config", tmp_path) == before
