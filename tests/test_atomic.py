"""atomic: files appear whole or not at all; a killed writer's temporaries are removed."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from newsclean import atomic


def test_a_parquet_file_is_written_whole_with_the_schema_version(tmp_path):
    target = tmp_path / "a" / "b.parquet"
    atomic.write_parquet_atomic(pa.table({"x": [1, 2]}), target)
    assert pq.read_table(target).column("x").to_pylist() == [1, 2]
    assert pq.ParquetFile(target).metadata.metadata[b"newsclean.schema_version"] == atomic.SCHEMA_VERSION.encode()
    assert [p.name for p in target.parent.iterdir()] == ["b.parquet"], "no temporary left"


def test_json_is_written_sorted_and_replaces_the_old_file(tmp_path):
    target = tmp_path / "run.json"
    atomic.write_json_atomic({"b": 1, "a": 2}, target)
    atomic.write_json_atomic({"b": 3, "a": 4}, target)
    assert target.read_text(encoding="utf-8") == '{\n  "a": 4,\n  "b": 3\n}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]


def test_remove_temporaries_deletes_only_a_killed_writers_leftovers(tmp_path):
    (tmp_path / "articles").mkdir()
    stray = tmp_path / "articles" / ".part-00000.parquet.0123abcd.tmp"
    stray.write_bytes(b"half a file")
    kept = [tmp_path / "articles" / "part-00000.parquet", tmp_path / ".lock", tmp_path / "notes.tmp"]
    for path in kept:
        path.write_bytes(b"")
    assert atomic.remove_temporaries(tmp_path) == 1
    assert not stray.exists() and all(p.exists() for p in kept)


def test_exchange_paths_swaps_two_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "new").write_text("new")
    (b / "old").write_text("old")
    atomic.exchange_paths(a, b)
    assert [p.name for p in b.iterdir()] == ["new"] and [p.name for p in a.iterdir()] == ["old"]
