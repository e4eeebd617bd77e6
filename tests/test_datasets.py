"""datasets: the published files match the output contract, partitioned by date and run,
visible only once the run is committed."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from newsclean import atomic, datasets, runlog
from tests.shards import WHEN, finished_shard


CONTRACT = {
    "articles": [
        ("article_id", pa.string()), ("source_path", pa.string()), ("url", pa.string()),
        ("title", pa.string()), ("published_at", pa.timestamp("us", tz="UTC")),
        ("fetched_at", pa.timestamp("us", tz="UTC")), ("dateline", pa.string()),
        ("credit", pa.string()), ("language", pa.string()), ("language_score", pa.float64()),
        ("text", pa.large_string()), ("n_paragraphs", pa.int32()), ("n_removed", pa.int32()),
        ("encoding", pa.string()), ("encoding_fixes", pa.list_(pa.string())),
        ("doc_key", pa.string()), ("version", pa.int32()), ("dup_cluster", pa.string()),
        ("dup_similarity", pa.float64()),
    ],
    "paragraphs": [
        ("article_id", pa.string()), ("position", pa.int32()), ("text", pa.large_string()),
        ("label", pa.string()), ("reason", pa.string()), ("char_start", pa.int64()), ("char_end", pa.int64()),
    ],
    "offtopic": [
        ("article_id", pa.string()), ("position", pa.int32()), ("text", pa.large_string()),
        ("score", pa.float64()), ("reason", pa.string()),
    ],
    "rejects": [("source_path", pa.string()), ("reason", pa.string()), ("detail", pa.string())],
}


@pytest.fixture
def published(tmp_path) -> Path:
    """The finished shard published and committed as run `run-1` of 2023-06-14."""
    datasets.write_published_shard(tmp_path, "run-1", "2023-06-14", finished_shard())
    runlog.commit_run(tmp_path, "run-1", "2023-06-14", {"run_id": "run-1"})
    return tmp_path


def published_file(output: Path, dataset: str) -> Path:
    (path,) = (output / dataset / "ingest_date=2023-06-14" / "run_id=run-1").glob("*.parquet")
    return path


@pytest.mark.parametrize("dataset", datasets.DATASETS)
def test_published_files_match_the_contract(dataset, published):
    parquet = pq.ParquetFile(published_file(published, dataset))
    schema = parquet.schema_arrow
    assert [(f.name, f.type) for f in schema] == CONTRACT[dataset]
    assert parquet.metadata.num_columns == len(CONTRACT[dataset])
    assert b"ARROW:schema" in parquet.metadata.metadata, "the Arrow schema is stored in the footer"
    assert parquet.metadata.metadata[b"newsclean.schema_version"] == atomic.SCHEMA_VERSION.encode()
    row_group = parquet.metadata.row_group(0)
    assert {row_group.column(i).compression for i in range(row_group.num_columns)} == {"ZSTD"}


@pytest.mark.parametrize("dataset", datasets.DATASETS)
def test_hive_partitions_add_ingest_date_and_run_id(dataset, published):
    table = ds.dataset(published / dataset, format="parquet", partitioning="hive").to_table()
    assert table.column_names == [name for name, _ in CONTRACT[dataset]] + ["ingest_date", "run_id"]
    assert set(table.column("run_id").to_pylist()) <= {"run-1"}


def test_published_rows(published):
    def rows(dataset):
        return pq.read_table(published_file(published, dataset)).to_pylist()

    articles = {a["article_id"]: a for a in rows("articles")}
    a = articles["a1b2c3d4e5f60718"]
    assert a["text"] == "The council voted 9-4.", "only body paragraphs make the article text"
    assert (a["n_paragraphs"], a["n_removed"]) == (1, 4)
    assert a["published_at"] == WHEN
    assert a["encoding_fixes"] == ["mojibake", "nbsp"]
    assert (a["dateline"], a["credit"], a["language"]) == ("MOSCOW, August 26. /TASS/.", "By Jane Doe", "en")
    b = articles["ffffeeeeddddcccc"]
    assert (b["text"], b["n_paragraphs"], b["published_at"], b["encoding_fixes"]) == ("", 0, None, [])
    assert [(p["position"], p["label"]) for p in rows("paragraphs")] == [
        (0, "title"), (1, "metadata"), (2, "body"), (3, "boilerplate"), (4, "offtopic")]
    assert rows("offtopic") == [{
        "article_id": "a1b2c3d4e5f60718", "position": 4,
        "text": "Scientists in Chile have discovered a frog whose skin", "score": 0.9253,
        "reason": "topic_shift_tail",
    }]
    assert rows("rejects") == [
        {"source_path": "photo.txt", "reason": "binary", "detail": "NUL bytes"},
        {"source_path": "feed.jsonl#3", "reason": "invalid_json", "detail": "Expecting value at column 1"},
    ]


def test_rows_are_invisible_until_the_run_is_committed(tmp_path):
    datasets.write_published_shard(tmp_path, "run-1", "2023-06-14", finished_shard())
    assert not (tmp_path / "articles").exists()
    assert not (tmp_path / "runs" / "run-1.json").exists()
    runlog.commit_run(tmp_path, "run-1", "2023-06-14", {"run_id": "run-1"})
    assert published_file(tmp_path, "articles").exists()
    assert runlog.read_manifest(tmp_path, "run-1") == {"run_id": "run-1"}
    assert runlog.read_manifest(tmp_path, "latest") == {"run_id": "run-1"}
