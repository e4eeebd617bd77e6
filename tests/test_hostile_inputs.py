"""One bad input never stops, hangs, wedges or leaks a run: a crawl folder holding one
of each hostile input goes through the whole flow, and every entry ends as an article
or a reject with its reason (issue 10's table, one row per entry)."""

from __future__ import annotations

import codecs
import gzip
import json
import os
from pathlib import Path

import pytest

import zstandard

from tests.corpus import dataset_rows

pytestmark = pytest.mark.engine

CONFIG = Path(__file__).resolve().parents[1] / "config" / "pipeline.toml"
STORY = (
    "Council approves budget after late vote\n\n"
    "The Riverside city council approved a $4.2 billion budget on Tuesday night, ending weeks "
    "of negotiations over police funding and library hours.\n"
)
OTHER = "Library reopens\n\nThe Riverside central library reopened on Monday after a two-year renovation of its reading rooms.\n"
WARC_PAGE = (
    "<!DOCTYPE html><html><head><title>Bridge closes for repairs</title></head><body><article>"
    "<h1>Bridge closes for repairs</h1><p>The Fifth Street bridge in Riverside closes for six weeks of "
    "repairs from June, the city's transport office said on Monday, sending traffic over the river "
    "through the two other crossings.</p></article></body></html>"
)
MIRROR_PAGE = (
    "<!DOCTYPE html><html><head><title>Tram line opens</title></head><body><article>"
    "<h1>Tram line opens</h1><p>The new Riverside tram line carried twelve thousand riders on its first "
    "day, the operator said, more than twice the number it had planned for.</p></article></body></html>"
)


def warc_record(kind: str, uri: str, block: bytes) -> bytes:
    head = (f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}>\r\n"
            f"WARC-Date: 2024-03-05T10:11:12Z\r\nWARC-Target-URI: {uri}\r\n"
            f"Content-Type: application/http; msgtype={kind}\r\nContent-Length: {len(block)}\r\n\r\n")
    return head.encode() + block + b"\r\n\r\n"


REQUEST = gzip.compress(warc_record("request", "https://riverside.example/bridge", b"GET /bridge HTTP/1.1\r\n\r\n"))
RESPONSE = gzip.compress(warc_record("response", "https://riverside.example/bridge",
                                     b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + WARC_PAGE.encode()))
DEEP_PAGE = "<html><body>" + "<div>" * 100_000 + "<p>Deep.</p>" + "</div>" * 100_000 + "</body></html>"


def write_hostile_tree(tmp_path: Path) -> tuple[Path, Path]:
    """An input folder with one entry per row of the table, and an output folder inside it."""
    root = tmp_path / "crawl"
    root.mkdir()
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$not-for-publishing:19000:0:99999:7:::\n")
    with open(os.fsencode(root) + b"/caf\xe9-budget.txt", "wb") as fh:  # not UTF-8
        fh.write(STORY.encode())
    (root / "shadow.txt").symlink_to(secret)
    (root / "loop.txt").symlink_to(root / "loop.txt")
    os.mkfifo(root / "pipe.txt")
    (root / "zero.txt").symlink_to("/dev/zero")
    (root / "story").write_text(OTHER)
    (root / "story.txt").write_text(OTHER)
    records = [
        '{"text": "x", "nested": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"id": ' + "9" * 5000 + ', "text": "The council met."}',
        '{"id": "\\ud800", "text": "The council met."}',
        '{"title": "Vote \\ud800", "text": "The council met."}',
        '{"url": "https://x.example/\\udc00", "text": "The council met."}',
        json.dumps({"id": "ls-1", "title": "Separators",
                    "text": "Mayor Ana Ruiz said the vote\u2028was close.\u2029Council members agreed\u0085on Tuesday "
                            "to approve the budget for the next fiscal year after a long debate."},
                   ensure_ascii=False),
    ]
    (root / "feed.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    (root / "utf32.txt").write_bytes(codecs.BOM_UTF32_BE + STORY.replace("Council", "Board").encode("utf-32-be"))
    (root / "deep.html").write_text(DEEP_PAGE)
    (root / "crawl.warc.gz").write_bytes(REQUEST + RESPONSE)  # a request (counted) and a page
    (root / "noise.warc").write_bytes(bytes(range(256)) * 8)  # not a WARC
    (root / "cut.txt.zst").write_bytes(zstandard.ZstdCompressor().compress(STORY.encode() * 50)[:-10])
    (root / "bomb.html.zst").write_bytes(zstandard.ZstdCompressor().compress(b" " * (65 << 20)))
    (root / "mirror").mkdir()
    (root / "mirror" / "index").write_text(MIRROR_PAGE)  # wget's name for a page, no suffix
    output = root / "out"  # an output folder inside the input folder
    return root, output


@pytest.fixture(scope="module")
def hostile_run(prefect_engine, tmp_path_factory):
    from newsclean.pipeline import clean_news

    root, output = write_hostile_tree(tmp_path_factory.mktemp("hostile"))
    first = clean_news(input_path=str(root), output_dir=str(output), config_path=str(CONFIG))
    second = clean_news(input_path=str(root), output_dir=str(output), config_path=str(CONFIG))
    return root, output, first, second


def test_the_run_completes_and_every_entry_is_an_article_or_a_reject(hostile_run):
    _, output, first, _ = hostile_run
    assert first["run_id"] and first["counts"]["articles"] == 6
    articles = sorted(a["source_path"] for a in dataset_rows(output, "articles"))
    rejects = sorted((r["source_path"], r["reason"]) for r in dataset_rows(output, "rejects"))
    assert articles == ["caf\\xe9-budget.txt", f"crawl.warc.gz#offset={len(REQUEST)}", "feed.jsonl#6",
                        "mirror/index", "story.txt", "utf32.txt"]
    assert rejects == [
        ("bomb.html.zst", "too_large"),
        ("cut.txt.zst", "corrupt_zstd"),
        ("deep.html", "too_deep"),
        ("feed.jsonl#1", "invalid_json"),
        ("feed.jsonl#2", "invalid_json"),
        ("feed.jsonl#3", "invalid_record"),
        ("feed.jsonl#4", "invalid_record"),
        ("feed.jsonl#5", "invalid_record"),
        ("loop.txt", "not_a_file"),
        ("noise.warc", "corrupt_warc"),
        ("pipe.txt", "not_a_file"),
        ("shadow.txt", "outside_root"),
        ("story", "duplicate_content"),
        ("zero.txt", "outside_root"),
    ]
    assert not any(r["source_path"].startswith("out/") for r in dataset_rows(output, "rejects")), \
        "the run never reads its own output folder"


def test_a_warc_page_has_its_url_and_fetch_date_and_its_other_records_are_counted(hostile_run):
    _, output, first, _ = hostile_run
    (page,) = [a for a in dataset_rows(output, "articles") if a["source_path"].startswith("crawl.warc.gz")]
    assert page["url"] == "https://riverside.example/bridge"
    assert page["fetched_at"].isoformat() == "2024-03-05T10:11:12+00:00"
    assert "Fifth Street bridge" in page["text"]
    others = [a for a in dataset_rows(output, "articles") if not a["source_path"].startswith("crawl.warc.gz")]
    assert all(a["fetched_at"] is None for a in others), "fetched_at is null for other inputs"
    assert first["counts"]["warc_records_skipped"] == {"request": 1}


def test_nothing_outside_the_input_root_is_published(hostile_run):
    _, output, _, _ = hostile_run
    for dataset in ("articles", "paragraphs"):
        assert not any("not-for-publishing" in row["text"] for row in dataset_rows(output, dataset))


def test_unicode_separators_stay_inside_their_record(hostile_run):
    _, output, _, _ = hostile_run
    (article,) = [a for a in dataset_rows(output, "articles") if a["source_path"] == "feed.jsonl#6"]
    assert "Ruiz said the vote" in article["text"] and "to approve the budget" in article["text"], \
        "one record, one article (decode then treats U+2028 as a line break, as ftfy does)"


def test_the_next_run_finds_nothing_new_and_no_run_is_left_unfinished(hostile_run):
    from newsclean import shardstore

    _, output, _, second = hostile_run
    assert second["status"] == "nothing_new", "refused entries are in the ledger too"
    assert shardstore.unfinished_runs(output) == []
