"""io: input discovery, shard planning, per-stage shard files and the published datasets."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from newsclean import io
from newsclean.stages.records import Document, Paragraph, Reject, Shard

# --- inputs -------------------------------------------------------------------------------


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    """A small crawl folder: nested folders, mixed kinds, written out of order."""
    root = tmp_path / "crawl"
    files = {
        "2023/06/14/council-budget.html": b"<html><body><p>Budget</p></body></html>",
        "2023/06/14/library.txt": b"Library hours restored.",
        "2023/06/02/police.txt.gz": b"\x1f\x8b not really",
        "feeds/riverside.jsonl": b'{"text": "One."}\n',
        "README": b"notes",
        "2023/06/14/zz/deep/bridge.txt": b"Bridge closure extended.",
    }
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


def test_discover_inputs_finds_every_file_recursively_in_sorted_order(crawl):
    found = io.discover_inputs(crawl)
    assert [f.relative for f in found] == [
        "2023/06/02/police.txt.gz",
        "2023/06/14/council-budget.html",
        "2023/06/14/library.txt",
        "2023/06/14/zz/deep/bridge.txt",
        "README",
        "feeds/riverside.jsonl",
    ]
    for f in found:
        assert Path(f.path).is_absolute() and Path(f.path).read_bytes()
        assert f.size == Path(f.path).stat().st_size
        assert "\\" not in f.relative, "relative paths are POSIX"


def test_discover_inputs_of_a_single_file(crawl):
    target = crawl / "2023/06/14/library.txt"
    (found,) = io.discover_inputs(target)
    assert found.relative == "library.txt"
    assert found.path == str(target.resolve())
    assert found.size == len(b"Library hours restored.")


def test_discover_inputs_of_an_empty_folder(tmp_path):
    assert io.discover_inputs(tmp_path) == []


def test_discover_inputs_of_a_missing_path(tmp_path):
    with pytest.raises(io.InputError, match="input not found"):
        io.discover_inputs(tmp_path / "nope")


# --- hostile input trees: every entry an input or a refusal, nothing opened -----------------


def refusals(found: list[io.InputFile]) -> dict[str, tuple[str, str]]:
    return {f.relative: (f.reason, f.detail) for f in found if f.reason}


def test_a_file_name_that_is_not_utf8_is_kept_escaped(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    raw_name = os.fsencode(root) + b"/caf\xe9-story.txt"
    with open(raw_name, "wb") as fh:
        fh.write(b"The council voted.")
    (found,) = io.discover_inputs(root)
    assert found.relative == "caf\\xe9-story.txt", "the byte is kept as a visible escape"
    assert found.relative.encode("utf-8"), "the name can be written to Parquet and JSON"
    assert io.hash_file(found.path) is not None, "the real file is still read through its path"
    inputs, rejects = io.read_inputs([found], 1000)
    assert rejects == [] and inputs[0].content == b"The council voted."


def test_a_symlink_out_of_the_input_root_is_refused_not_followed(tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$secret")
    root = tmp_path / "in"
    root.mkdir()
    (root / "passwords.txt").symlink_to(secret)
    (root / "up").symlink_to(tmp_path, target_is_directory=True)
    found = io.discover_inputs(root)
    assert refusals(found) == {
        "passwords.txt": ("outside_root", "a symlink to a path outside the input folder (not followed)"),
        "up": ("outside_root", "a symlink to a path outside the input folder (not followed)"),
    }
    inputs, rejects = io.read_inputs(found, 1000)
    assert inputs == [], "the target's content is never read"
    assert {(r.source_path, r.reason) for r in rejects} == {("passwords.txt", "outside_root"), ("up", "outside_root")}


def test_a_symlink_to_a_file_inside_the_root_is_read_as_that_file(tmp_path):
    root = tmp_path / "in"
    (root / "2023").mkdir(parents=True)
    (root / "2023" / "story.txt").write_text("The council voted.")
    (root / "latest.txt").symlink_to(root / "2023" / "story.txt")
    found = {f.relative: f for f in io.discover_inputs(root)}
    assert set(found) == {"2023/story.txt", "latest.txt"} and not refusals(list(found.values()))
    assert found["latest.txt"].path == str((root / "2023" / "story.txt").resolve())


def test_loops_fifos_sockets_and_devices_are_not_files(tmp_path, monkeypatch):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "loop-a").symlink_to(root / "loop-b")
    (root / "loop-b").symlink_to(root / "loop-a")
    (root / "self").symlink_to(root / "self")
    (root / "dangling.txt").symlink_to(root / "nowhere.txt")
    (root / "sub" / "back").symlink_to(root, target_is_directory=True)
    os.mkfifo(root / "pipe.jsonl")
    with socket.socket(socket.AF_UNIX) as sock:
        monkeypatch.chdir(root)  # a socket's path must be short: bind it by its relative name
        sock.bind("sock.txt")
        (root / "zero.txt").symlink_to("/dev/zero")
        found = io.discover_inputs(root)
    assert refusals(found) == {
        "dangling.txt": ("not_a_file", "a dangling symlink"),
        "loop-a": ("not_a_file", "a symlink loop"),
        "loop-b": ("not_a_file", "a symlink loop"),
        "pipe.jsonl": ("not_a_file", "a FIFO, not a regular file"),
        "self": ("not_a_file", "a symlink loop"),
        "sock.txt": ("not_a_file", "a socket, not a regular file"),
        "sub/back": ("not_a_file", "a symlink to a folder (not followed)"),
        "zero.txt": ("outside_root", "a symlink to a path outside the input folder (not followed)"),
    }
    inputs, rejects = io.read_inputs(found, 1000)
    assert inputs == [] and len(rejects) == len(found), "every entry is a reject, none read"


def test_a_fifo_put_in_a_files_place_is_refused_without_blocking(tmp_path):
    """Between planning and reading a file can be replaced: reading and hashing check
    what they opened (opened non-blocking) and never wait on a FIFO."""
    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    planned = io.InputFile(str(fifo), "story.txt", 10)
    assert io.hash_file(str(fifo)) is None
    inputs, rejects = io.read_inputs([planned], 1000)
    assert inputs == [] and rejects == [Reject("story.txt", "not_a_file", "a FIFO, not a regular file", "ingest")]


def test_a_file_that_grew_past_the_limit_is_read_only_up_to_it(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 5000)
    inputs, rejects = io.read_inputs([io.InputFile(str(path), "big.txt", 10)], 1000)
    assert inputs == [] and rejects == [Reject("big.txt", "too_large", "more than 1000 bytes", "ingest")]


def test_an_output_folder_inside_the_input_is_skipped(tmp_path):
    root = tmp_path / "in"
    (root / "out" / "_stages").mkdir(parents=True)
    (root / "out" / ".lock").write_text("")
    (root / "out" / "_stages" / "run.json").write_text("{}")
    (root / "story.txt").write_text("The council voted.")
    (root / "plan.json").symlink_to(root / "out" / "_stages" / "run.json")
    found = io.discover_inputs(root, skip=[root / "out"])
    assert [(f.relative, f.reason) for f in found] == [("plan.json", "outside_root"), ("story.txt", "")]


def files_of(sizes: list[int]) -> list[io.InputFile]:
    return [io.InputFile(f"/in/{i:03d}.txt", f"{i:03d}.txt", size) for i, size in enumerate(sizes)]


SHARD_CASES = [
    # (sizes, shard_size, max_bytes, expected shard lengths, why)
    ([10] * 7, 3, 10_000, [3, 3, 1], "by count"),
    ([10] * 6, 3, 10_000, [3, 3], "exact multiple"),
    ([400, 400, 400, 100, 100], 100, 1000, [2, 3], "by bytes: a shard closes before it would pass max_bytes"),
    ([5000, 10, 10], 100, 1000, [1, 2], "a file bigger than max_bytes gets a shard of its own"),
    ([], 3, 1000, [], "no files, no shards"),
    ([10], 500, 1000, [1], "one file"),
]


@pytest.mark.parametrize("sizes, shard_size, max_bytes, lengths, why", SHARD_CASES, ids=[c[4] for c in SHARD_CASES])
def test_plan_shards(sizes, shard_size, max_bytes, lengths, why):
    files = files_of(sizes)
    shards = io.plan_shards(files, shard_size, max_bytes)
    assert [len(s) for s in shards] == lengths, why
    assert [f for shard in shards for f in shard] == files, "every file once, in order"
    for shard in shards:
        assert len(shard) == 1 or sum(f.size for f in shard) <= max_bytes


def test_gzip_files_count_at_their_decompressed_size(tmp_path):
    """Five gzip files of 1 KiB each holding 1 MiB of text: a 2.5 MiB shard cap makes
    shards of two (counting compressed bytes put all five, 5 MiB, in one shard)."""
    import gzip

    files = []
    for i in range(5):
        path = tmp_path / f"{i}.txt.gz"
        path.write_bytes(gzip.compress(b"The council voted. " * 55_189))
        files.append(io.InputFile(str(path), path.name, path.stat().st_size))
    assert all(f.size < 5000 for f in files)
    sizes = [io.unpacked_size(f, 64 << 20) for f in files]
    assert sizes == [55_189 * 19] * 5
    assert [len(s) for s in io.plan_shards(files, 500, 2_621_440, sizes)] == [2, 2, 1]
    assert io.unpacked_size(files[0], 3000) == 3000, "at most the limit ingest enforces"


@pytest.mark.parametrize("suffix", [".warc.gz", ".html.zst", ".txt.bz2", ".jsonl.xz"])
def test_every_compression_counts_at_its_decompressed_size(suffix, tmp_path):
    """A WARC.gz is one gzip member per record (its trailer gives only the last record's
    size); zstd, bzip2 and xz have no trailer to trust: each counts at the bytes it
    decompresses to, so the shard cap bounds decompressed bytes."""
    import bz2
    import gzip
    import lzma

    import zstandard

    record = b"WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 20000\r\n\r\n" + b"x" * 20000 + b"\r\n\r\n"
    pack = {".warc.gz": lambda: b"".join(gzip.compress(record) for _ in range(50)),
            ".html.zst": lambda: zstandard.ZstdCompressor().compress(record * 50),
            ".txt.bz2": lambda: bz2.compress(record * 50), ".jsonl.xz": lambda: lzma.compress(record * 50)}[suffix]
    path = tmp_path / f"crawl{suffix}"
    path.write_bytes(pack())
    f = io.InputFile(str(path), path.name, path.stat().st_size)
    assert f.size < 20_000
    assert io.unpacked_size(f, 64 << 20) == len(record) * 50
    assert io.unpacked_size(f, 100_000) == 100_000, "at most the limit ingest enforces"


def test_a_file_named_gz_that_is_not_counts_at_its_size(tmp_path):
    path = tmp_path / "fake.txt.gz"
    path.write_bytes(b"plain text, no gzip at all, but long enough")
    f = io.InputFile(str(path), path.name, path.stat().st_size)
    assert io.unpacked_size(f, 64 << 20) >= f.size


# --- per-stage shard files ------------------------------------------------------------------

WHEN = datetime(2015, 10, 7, 5, 8, tzinfo=timezone.utc)


def finished_shard() -> Shard:
    """A shard as it leaves the language stage: two articles, labelled paragraphs, rejects."""
    text = "Council approves budget\n\nMOSCOW, August 26. /TASS/. The council voted 9-4.\n\nAdvertisement"
    a = Document(
        article_id="a1b2c3d4e5f60718", source_path="2023/06/14/council.txt", kind="text",
        input_sha256="ab" * 32, raw=None, text=text, url="https://riversideherald.example/a",
        title="Council approves budget", published_hint="2015-10-07", published_at=WHEN,
        dateline="MOSCOW, August 26. /TASS/.", credit="By Jane Doe", encoding="cp1252",
        encoding_fixes=("mojibake", "nbsp"), language="en", language_score=0.9999,
    )
    b = Document(article_id="ffffeeeeddddcccc", source_path="feed.jsonl#2", kind="html", input_sha256="cd" * 32)
    paragraphs = (
        Paragraph(a.article_id, 0, "Council approves budget", 0, 23, "title", "first_short_line"),
        Paragraph(a.article_id, 1, "MOSCOW, August 26. /TASS/.", 25, 51, "metadata", "dateline"),
        Paragraph(a.article_id, 2, "The council voted 9-4.", 52, 74, "body", "kept"),
        Paragraph(a.article_id, 3, "Advertisement", 76, 89, "boilerplate", "ad_marker"),
        Paragraph(a.article_id, 4, "Scientists in Chile have discovered a frog whose skin", 90, 143,
                  "offtopic", "topic_shift_tail", 0.9253),
    )
    rejects = (
        Reject("photo.txt", "binary", "NUL bytes", "ingest"),
        Reject("feed.jsonl#3", "invalid_json", "Expecting value at column 1", "ingest"),
    )
    return Shard(4, (a, b), paragraphs, rejects)


def test_write_shard_then_read_shard_round_trips(tmp_path):
    shard = finished_shard()
    counts = io.write_shard(tmp_path, "run-1", "language", shard)
    assert counts == {"documents": 2, "paragraphs": 5, "rejects": 2}
    back = io.read_shard(tmp_path, "run-1", "language", 4)
    assert back == shard
    doc = back.documents[0]
    assert doc.encoding_fixes == ("mojibake", "nbsp") and isinstance(doc.encoding_fixes, tuple)
    assert doc.published_at == WHEN and doc.published_at.utcoffset().total_seconds() == 0
    assert back.documents[1].published_at is None and back.documents[1].encoding_fixes == ()


def test_raw_bytes_survive_the_round_trip(tmp_path):
    doc = Document("0123456789abcdef", "photo.txt", "text", "00" * 32, raw=b"\x00\xff\xfe binary \x89PNG")
    io.write_shard(tmp_path, "run-1", "ingest", Shard(0, (doc,)))
    assert io.read_shard(tmp_path, "run-1", "ingest", 0).documents[0].raw == doc.raw


def test_an_empty_shard_round_trips(tmp_path):
    io.write_shard(tmp_path, "run-1", "decode", Shard(9))
    assert io.read_shard(tmp_path, "run-1", "decode", 9) == Shard(9)


def test_reading_a_shard_that_was_never_written_fails_clearly(tmp_path):
    with pytest.raises(FileNotFoundError, match="stage 'decode' has no output for shard 3"):
        io.read_shard(tmp_path, "run-1", "decode", 3)


def test_no_temporary_files_are_left_behind(tmp_path):
    io.write_shard(tmp_path, "run-1", "language", finished_shard())
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == []


# --- published datasets -------------------------------------------------------------------

CONTRACT = {
    "articles": [
        ("article_id", pa.string()), ("source_path", pa.string()), ("url", pa.string()),
        ("title", pa.string()), ("published_at", pa.timestamp("us", tz="UTC")),
        ("fetched_at", pa.timestamp("us", tz="UTC")), ("dateline", pa.string()),
        ("credit", pa.string()), ("language", pa.string()), ("language_score", pa.float64()),
        ("text", pa.large_string()), ("n_paragraphs", pa.int32()), ("n_removed", pa.int32()),
        ("encoding", pa.string()), ("encoding_fixes", pa.list_(pa.string())),
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
    io.write_published_shard(tmp_path, "run-1", "2023-06-14", finished_shard())
    io.commit_run(tmp_path, "run-1", "2023-06-14", {"run_id": "run-1"})
    return tmp_path


def published_file(output: Path, dataset: str) -> Path:
    (path,) = (output / dataset / "ingest_date=2023-06-14" / "run_id=run-1").glob("*.parquet")
    return path


@pytest.mark.parametrize("dataset", io.DATASETS)
def test_published_files_match_the_contract(dataset, published):
    parquet = pq.ParquetFile(published_file(published, dataset))
    schema = parquet.schema_arrow
    assert [(f.name, f.type) for f in schema] == CONTRACT[dataset]
    assert parquet.metadata.num_columns == len(CONTRACT[dataset])
    assert b"ARROW:schema" in parquet.metadata.metadata, "the Arrow schema is stored in the footer"
    assert parquet.metadata.metadata[b"newsclean.schema_version"] == io.SCHEMA_VERSION.encode()
    row_group = parquet.metadata.row_group(0)
    assert {row_group.column(i).compression for i in range(row_group.num_columns)} == {"ZSTD"}


@pytest.mark.parametrize("dataset", io.DATASETS)
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
    io.write_published_shard(tmp_path, "run-1", "2023-06-14", finished_shard())
    assert not (tmp_path / "articles").exists()
    assert not (tmp_path / "runs" / "run-1.json").exists()
    io.commit_run(tmp_path, "run-1", "2023-06-14", {"run_id": "run-1"})
    assert published_file(tmp_path, "articles").exists()
    assert io.read_manifest(tmp_path, "run-1") == {"run_id": "run-1"}
    assert io.read_manifest(tmp_path, "latest") == {"run_id": "run-1"}


def test_new_run_ids_sort_by_time_and_are_unique():
    early = io.new_run_id(datetime(2023, 6, 14, 22, 45, tzinfo=timezone.utc))
    late = io.new_run_id(datetime(2023, 6, 15, 1, 0, tzinfo=timezone.utc))
    assert early.startswith("20230614T224500Z-") and early < late
    assert io.new_run_id(datetime(2023, 6, 14, tzinfo=timezone.utc)) != io.new_run_id(
        datetime(2023, 6, 14, tzinfo=timezone.utc))
