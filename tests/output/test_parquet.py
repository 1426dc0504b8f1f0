import pyarrow.parquet as pq
import pytest
from datasets import ClassLabel, Features, List, Value

from builder.errors import InputError
from builder.output.parquet import MANIFEST, Piece, Sinks, encoded_rows_to_batch, manifest_outputs, staged_output

FEATURES = Features({"id": Value("string"), "label": ClassLabel(names=["no", "yes"]),
                     "spans": List({"start": Value("int32"), "end": Value("int32")})})


def write_rows(root, rows, per_group=2):
    sinks = Sinks(root, {"c": FEATURES}, per_group)
    for row in rows:  # one piece per row, as articles come: row groups cut across pieces
        sinks.sink("c", "test").add_piece(Piece(1, encoded_rows_to_batch([FEATURES.encode_example(row)], FEATURES)))
    return sinks.close()


ROWS = [{"id": str(i), "label": "yes" if i % 2 else "no", "spans": [{"start": i, "end": i + 1}]} for i in range(5)]


def test_rows_are_written_in_row_groups_with_the_declared_schema(tmp_path):
    written = write_rows(tmp_path, ROWS)
    path = tmp_path / "c" / "test-00000-of-00001.parquet"
    assert written[("c", "test")].rows == 5
    parquet = pq.ParquetFile(path)
    assert parquet.metadata.num_row_groups == 3
    assert parquet.schema_arrow.remove_metadata() == FEATURES.arrow_schema.remove_metadata()
    assert b"ClassLabel" in parquet.schema_arrow.metadata[b"huggingface"]
    assert pq.read_table(path).column("label").to_pylist() == [0, 1, 0, 1, 0]


def test_same_rows_same_bytes(tmp_path):
    write_rows(tmp_path / "one", ROWS)
    write_rows(tmp_path / "two", ROWS)
    name = "c/test-00000-of-00001.parquet"
    assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_an_empty_split_is_not_written(tmp_path):
    assert write_rows(tmp_path, []) == {}
    assert not (tmp_path / "c").exists()


def test_manifest_lists_every_file_but_itself(tmp_path):
    write_rows(tmp_path, ROWS)
    (tmp_path / "README.md").write_text("card", encoding="utf-8")
    (tmp_path / MANIFEST).write_text("{}", encoding="utf-8")
    outputs = manifest_outputs(tmp_path, {"c/test-00000-of-00001.parquet": 5})
    assert list(outputs) == ["README.md", "c/test-00000-of-00001.parquet"]
    assert outputs["README.md"]["size"] == 4 and "rows" not in outputs["README.md"]
    assert outputs["c/test-00000-of-00001.parquet"]["rows"] == 5


def test_a_failed_build_leaves_the_previous_output_untouched(tmp_path):
    final = tmp_path / "dist" / "1.0.0"
    with staged_output(final) as staging:
        (staging / MANIFEST).write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError, match="boom"):
        with staged_output(final) as staging:
            (staging / MANIFEST).write_text("new", encoding="utf-8")
            raise RuntimeError("boom")
    assert (final / MANIFEST).read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in final.parent.iterdir()) == ["1.0.0"]


def test_a_folder_that_is_not_a_build_is_never_replaced(tmp_path):
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(InputError, match=r"E303 .*precious: output folder .* exists and is not a previous build"):
        with staged_output(tmp_path / "precious"):
            pass
    assert (tmp_path / "precious" / "notes.txt").read_text(encoding="utf-8") == "keep"
