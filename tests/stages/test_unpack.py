"""Compressed inputs: gzip, zstd, bzip2 and xz, each read whole, bounded by its
decompressed size (bomb-safe), a damaged stream a reject with its reason; every record
of a compressed feed is accounted for."""

from __future__ import annotations

import bz2
import dataclasses
import gzip
import json
import lzma
import tracemalloc

import pytest
import zstandard

from newsclean.stages.ingest import ingest_file, ingest_shard
from newsclean.stages.records import Document, RawInput, Reject
from newsclean.stages.unpack import TooLarge, UnpackError, unpack

PACK = {
    "gz": gzip.compress,
    "zst": lambda data: zstandard.ZstdCompressor(level=19).compress(data),
    "bz2": bz2.compress,
    "xz": lzma.compress,
}
REASON = {"gz": "corrupt_gzip", "zst": "corrupt_zstd", "bz2": "corrupt_bz2", "xz": "corrupt_xz"}
CODEC = {"gz": "gzip", "zst": "zstd", "bz2": "bz2", "xz": "xz"}
RECORDS = [
    {"id": f"rh-{n:03d}", "title": f"Council story {n}",
     "text": f"The Riverside council met for the {n}th time this year and approved item {n * 7}."}
    for n in range(1, 41)
]
FEED = "\n".join(json.dumps(r) for r in RECORDS).encode() + b"\n"


@pytest.mark.parametrize("suffix", PACK)
def test_every_record_of_a_compressed_feed_is_a_document(suffix, settings):
    name = f"feeds/riverside.jsonl.{suffix}"
    results = list(ingest_file(RawInput(name, PACK[suffix](FEED)), settings.ingest))
    assert [r.source_path for r in results] == [f"{name}#{n}" for n in range(1, len(RECORDS) + 1)]
    assert all(isinstance(r, Document) for r in results)
    assert [r.raw.decode() for r in results] == [r["text"] for r in RECORDS]
    assert [r.title for r in results] == [r["title"] for r in RECORDS]


@pytest.mark.parametrize("suffix", PACK)
def test_concatenated_streams_are_read_whole(suffix, settings):
    half = len(FEED) // 2
    cut = FEED.rfind(b"\n", 0, half) + 1
    data = PACK[suffix](FEED[:cut]) + PACK[suffix](FEED[cut:])
    results = list(ingest_file(RawInput(f"f.jsonl.{suffix}", data), settings.ingest))
    assert len(results) == len(RECORDS) and all(isinstance(r, Document) for r in results)


DAMAGE = {
    "truncated": lambda packed: packed[: len(packed) * 2 // 3],
    "last bytes cut": lambda packed: packed[:-4],
    "garbage after": lambda packed: packed + b"NOT A STREAM",
    "not compressed at all": lambda packed: FEED,
}


@pytest.mark.parametrize("suffix", PACK)
@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_stream_is_one_reject_with_its_reason(suffix, damage, settings):
    data = DAMAGE[damage](PACK[suffix](FEED))
    results = list(ingest_file(RawInput(f"f.jsonl.{suffix}", data), settings.ingest))
    assert len(results) == 1 and isinstance(results[0], Reject), damage
    assert (results[0].reason, results[0].source_path) == (REASON[suffix], f"f.jsonl.{suffix}"), damage
    assert results[0].detail


@pytest.mark.parametrize("suffix", PACK)
def test_a_bomb_is_too_large_and_never_held(suffix, settings):
    small = dataclasses.replace(settings.ingest, max_file_bytes=64_000)
    bomb = PACK[suffix](b" " * (40 << 20))
    assert len(bomb) < 64_000, "the compressed file itself is under the limit"
    tracemalloc.start()
    try:
        results = list(ingest_file(RawInput(f"bomb.txt.{suffix}", bomb), small))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(r.reason, r.source_path) for r in results] == [("too_large", f"bomb.txt.{suffix}")]
    assert "64000" in results[0].detail
    # xz's decoder holds its dictionary (8 MiB at the default preset): the output is bounded
    assert peak < (12_000_000 if suffix == "xz" else 3_000_000), "decompression stops at the limit"


@pytest.mark.parametrize("suffix", PACK)
def test_just_under_the_limit_is_accepted(suffix, settings):
    small = dataclasses.replace(settings.ingest, max_file_bytes=10_000)
    (doc,) = ingest_file(RawInput(f"story.txt.{suffix}", PACK[suffix](b"a " * 5_000)), small)
    assert isinstance(doc, Document) and len(doc.raw) == 10_000


def test_a_page_saved_compressed_under_a_plain_name_is_decompressed(settings):
    """Crawlers that keep the server's Content-Encoding save gzip under the page's name."""
    page = b"<!DOCTYPE html><html><body><p>The council met.</p></body></html>"
    names = ["a/index", "b/story.php", "c/page.html"]
    shard = ingest_shard([RawInput(n, PACK["gz"](page.replace(b"council", n.encode()))) for n in names],
                         0, settings.ingest)
    assert [(d.source_path, d.kind) for d in shard.documents] == [(n, "html") for n in names]
    assert shard.rejects == ()


def test_an_xz_stream_asking_for_a_huge_dictionary_is_refused():
    packed = lzma.compress(b"x" * 1000, format=lzma.FORMAT_XZ,
                           filters=[{"id": lzma.FILTER_LZMA2, "dict_size": 1 << 30}])
    with pytest.raises(UnpackError) as caught:
        unpack(packed, "xz", 1 << 20)
    assert caught.value.reason == "corrupt_xz"


def test_unpack_raises_too_large_past_the_limit():
    with pytest.raises(TooLarge):
        unpack(PACK["zst"](b"y" * 5000), CODEC["zst"], 4999)
    assert unpack(PACK["zst"](b"y" * 5000), CODEC["zst"], 5000) == b"y" * 5000
