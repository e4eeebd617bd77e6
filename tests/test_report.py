"""What a run did: the HTML report (rendered in headless Chromium) and the Prefect artifacts."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.corpus import small_shard_config, write_corpus

pytestmark = pytest.mark.engine
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SECTIONS = ("removed", "examples", "change", "offtopic", "junk", "languages", "encoding", "rejects", "rejected",
            "stages")


@pytest.fixture(scope="module")
def report_file(tmp_path_factory, prefect_engine):
    """A report of a run over the seeds plus a generated corpus in folders per site."""
    from newsclean.cli import main
    from newsclean.pipeline import clean_news
    from tests.conftest import SEEDS

    work = tmp_path_factory.mktemp("report")
    write_corpus(work / "in", 30)
    shutil.copytree(SEEDS, work / "in" / "seeds")
    config = small_shard_config(work / "config", shard_size=12)
    manifest = clean_news(input_path=str(work / "in"), output_dir=str(work / "out"), config_path=str(config))
    assert main(["report", "latest", "--output", str(work / "out")]) == 0
    path = work / "out" / "reports" / f"{manifest['run_id']}.html"
    return path, manifest


def test_report_is_self_contained_and_has_every_chart(report_file):
    path, manifest = report_file
    page = path.read_text(encoding="utf-8")
    assert manifest["run_id"] in page
    for key in SECTIONS:
        assert f'<section id="{key}">' in page
    assert not re.search(r"<script|<link|<img|@import|url\(|src=", page, re.I)
    assert "boilerplate/share_widget" in page  # removed by reason
    assert "wire/" in page and "example-news.com" in page  # sites: top folder, url host
    assert "<svg" in page and 'class="col"' in page  # off-topic tails (seed 002)
    assert "single_threshold" in page and "The tails nearest their threshold" in page
    assert '<table class="examples">' in page  # removed paragraphs, by reason
    assert "the first run in this output folder" in page
    shares = [float(m) for m in re.findall(r'<div class="value">(\d+)% of \d+</div>',
                                          page.split('<section id="junk">')[1].split("</section>")[0])]
    assert shares == sorted(shares, reverse=True), "junk per site: highest share first"


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
               f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def png_distinct_bytes(path: Path) -> int:
    """Distinct byte values of a PNG's (filtered) pixel data: ~2-3 for a blank page."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return len(set(zlib.decompress(idat)))


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed and could not be "
                    "(make test installs it with apt-get); the report was not rendered")
def test_report_renders_in_headless_chromium(report_file, tmp_path):
    path, _ = report_file
    dom = chromium("--dump-dom", path.as_uri(), profile=tmp_path / "profile")
    assert dom.returncode == 0, dom.stderr[-2000:]
    for key in SECTIONS:
        assert f'id="{key}"' in dom.stdout
    assert dom.stdout.count('class="bar') >= 10 and "<rect" in dom.stdout

    shot = tmp_path / "report.png"
    result = chromium(f"--screenshot={shot}", "--window-size=1200,2000", path.as_uri(), profile=tmp_path / "profile")
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    assert png_distinct_bytes(shot) > 50
    shutil.copy(shot, path.with_suffix(".png"))  # kept beside the report, for a person to look at


def test_run_leaves_markdown_and_table_artifacts(report_file):
    import httpx
    from prefect.settings import PREFECT_API_URL

    _, manifest = report_file
    # the harness's API, asked directly (the client's read_artifacts sends nulls it refuses)
    response = httpx.post(f"{PREFECT_API_URL.value()}/artifacts/filter",
                          json={"sort": "CREATED_DESC", "limit": 200, "offset": 0}, timeout=30)
    response.raise_for_status()
    by_key = {}
    for artifact in response.json():  # newest first
        by_key.setdefault(artifact["key"], artifact)
    markdown = by_key["newsclean-run-summary"]
    assert markdown["type"] == "markdown" and manifest["run_id"] in markdown["data"]
    assert "### Reasons" in markdown["data"] and "### Stages" in markdown["data"]
    table = by_key["newsclean-run-counts"]
    assert table["type"] == "table"
    assert "share_widget" in str(table["data"]) and "seconds" in str(table["data"])
