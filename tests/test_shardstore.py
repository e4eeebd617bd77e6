"""shardstore: a stage's output for one shard round-trips through its Parquet files."""

from __future__ import annotations

import pytest

from newsclean import shardstore
from newsclean.stages.records import Document, Shard
from tests.shards import WHEN, finished_shard


def test_write_shard_then_read_shard_round_trips(tmp_path):
    shard = finished_shard()
    counts = shardstore.write_shard(tmp_path, "run-1", "language", shard)
    assert counts == {"documents": 2, "paragraphs": 5, "rejects": 2}
    back = shardstore.read_shard(tmp_path, "run-1", "language", 4)
    assert back == shard
    doc = back.documents[0]
    assert doc.encoding_fixes == ("mojibake", "nbsp") and isinstance(doc.encoding_fixes, tuple)
    assert doc.published_at == WHEN and doc.published_at.utcoffset().total_seconds() == 0
    assert back.documents[1].published_at is None and back.documents[1].encoding_fixes == ()


def test_raw_bytes_survive_the_round_trip(tmp_path):
    doc = Document("0123456789abcdef", "photo.txt", "text", "00" * 32, raw=b"\x00\xff\xfe binary \x89PNG")
    shardstore.write_shard(tmp_path, "run-1", "ingest", Shard(0, (doc,)))
    assert shardstore.read_shard(tmp_path, "run-1", "ingest", 0).documents[0].raw == doc.raw


def test_an_empty_shard_round_trips(tmp_path):
    shardstore.write_shard(tmp_path, "run-1", "decode", Shard(9))
    assert shardstore.read_shard(tmp_path, "run-1", "decode", 9) == Shard(9)


def test_reading_a_shard_that_was_never_written_fails_clearly(tmp_path):
    with pytest.raises(FileNotFoundError, match="stage 'decode' has no output for shard 3"):
        shardstore.read_shard(tmp_path, "run-1", "decode", 3)


def test_no_temporary_files_are_left_behind(tmp_path):
    shardstore.write_shard(tmp_path, "run-1", "language", finished_shard())
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == []
