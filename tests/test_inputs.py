"""inputs: discovery of input files, the judging of each entry, reading, and the size a
compressed file unpacks to (what shard planning counts)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from newsclean.inputs import InputError, InputFile, discover_inputs, hash_file, read_inputs, unpacked_size
from newsclean.planning import plan_shards
from newsclean.stages.records import Reject

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
    found = discover_inputs(crawl)
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
    (found,) = discover_inputs(target)
    assert found.relative == "library.txt"
    assert found.path == str(target.resolve())
    assert found.size == len(b"Library hours restored.")


def test_discover_inputs_of_an_empty_folder(tmp_path):
    assert discover_inputs(tmp_path) == []


def test_discover_inputs_of_a_missing_path(tmp_path):
    with pytest.raises(InputError, match="input not found"):
        discover_inputs(tmp_path / "nope")


# --- hostile input trees: every entry an input or a refusal, nothing opened -----------------


def refusals(found: list[InputFile]) -> dict[str, tuple[str, str]]:
    return {f.relative: (f.reason, f.detail) for f in found if f.reason}


def test_a_file_name_that_is_not_utf8_is_kept_escaped(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    raw_name = os.fsencode(root) + b"/caf\xe9-story.txt"
    with open(raw_name, "wb") as fh:
        fh.write(b"The council voted.")
    (found,) = discover_inputs(root)
    assert found.relative == "caf\\xe9-story.txt", "the byte is kept as a visible escape"
    assert found.relative.encode("utf-8"), "the name can be written to Parquet and JSON"
    assert hash_file(found.path) is not None, "the real file is still read through its path"
    inputs, rejects = read_inputs([found], 1000)
    assert rejects == [] and inputs[0].content == b"The council voted."


def test_a_symlink_out_of_the_input_root_is_refused_not_followed(tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$secret")
    root = tmp_path / "in"
    root.mkdir()
    (root / "passwords.txt").symlink_to(secret)
    (root / "up").symlink_to(tmp_path, target_is_directory=True)
    found = discover_inputs(root)
    assert refusals(found) == {
        "passwords.txt": ("outside_root", "a symlink to a path outside the input folder (not followed)"),
        "up": ("outside_root", "a symlink to a path outside the input folder (not followed)"),
    }
    inputs, rejects = read_inputs(found, 1000)
    assert inputs == [], "the target's content is never read"
    assert {(r.source_path, r.reason) for r in rejects} == {("passwords.txt", "outside_root"), ("up", "outside_root")}


def test_a_symlink_to_a_file_inside_the_root_is_read_as_that_file(tmp_path):
    root = tmp_path / "in"
    (root / "2023").mkdir(parents=True)
    (root / "2023" / "story.txt").write_text("The council voted.")
    (root / "latest.txt").symlink_to(root / "2023" / "story.txt")
    found = {f.relative: f for f in discover_inputs(root)}
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
        found = discover_inputs(root)
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
    inputs, rejects = read_inputs(found, 1000)
    assert inputs == [] and len(rejects) == len(found), "every entry is a reject, none read"


def test_a_fifo_put_in_a_files_place_is_refused_without_blocking(tmp_path):
    """Between planning and reading a file can be replaced: reading and hashing check
    what they opened (opened non-blocking) and never wait on a FIFO."""
    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    planned = InputFile(str(fifo), "story.txt", 10)
    assert hash_file(str(fifo)) is None
    inputs, rejects = read_inputs([planned], 1000)
    assert inputs == [] and rejects == [Reject("story.txt", "not_a_file", "a FIFO, not a regular file", "ingest")]


def test_a_file_that_grew_past_the_limit_is_read_only_up_to_it(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 5000)
    inputs, rejects = read_inputs([InputFile(str(path), "big.txt", 10)], 1000)
    assert inputs == [] and rejects == [Reject("big.txt", "too_large", "more than 1000 bytes", "ingest")]


def test_an_output_folder_inside_the_input_is_skipped(tmp_path):
    root = tmp_path / "in"
    (root / "out" / "_stages").mkdir(parents=True)
    (root / "out" / ".lock").write_text("")
    (root / "out" / "_stages" / "run.json").write_text("{}")
    (root / "story.txt").write_text("The council voted.")
    (root / "plan.json").symlink_to(root / "out" / "_stages" / "run.json")
    found = discover_inputs(root, skip=[root / "out"])
    assert [(f.relative, f.reason) for f in found] == [("plan.json", "outside_root"), ("story.txt", "")]


def test_gzip_files_count_at_their_decompressed_size(tmp_path):
    """Five gzip files of 1 KiB each holding 1 MiB of text: a 2.5 MiB shard cap makes
    shards of two (counting compressed bytes put all five, 5 MiB, in one shard)."""
    import gzip

    files = []
    for i in range(5):
        path = tmp_path / f"{i}.txt.gz"
        path.write_bytes(gzip.compress(b"The council voted. " * 55_189))
        files.append(InputFile(str(path), path.name, path.stat().st_size))
    assert all(f.size < 5000 for f in files)
    sizes = [unpacked_size(f, 64 << 20) for f in files]
    assert sizes == [55_189 * 19] * 5
    assert [len(s) for s in plan_shards(files, 500, 2_621_440, sizes)] == [2, 2, 1]
    assert unpacked_size(files[0], 3000) == 3000, "at most the limit ingest enforces"


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
    f = InputFile(str(path), path.name, path.stat().st_size)
    assert f.size < 20_000
    assert unpacked_size(f, 64 << 20) == len(record) * 50
    assert unpacked_size(f, 100_000) == 100_000, "at most the limit ingest enforces"


def test_a_file_named_gz_that_is_not_counts_at_its_size(tmp_path):
    path = tmp_path / "fake.txt.gz"
    path.write_bytes(b"plain text, no gzip at all, but long enough")
    f = InputFile(str(path), path.name, path.stat().st_size)
    assert unpacked_size(f, 64 << 20) >= f.size
