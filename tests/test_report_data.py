"""The report's content, counted from invented rows (no run, no engine): examples per
reason, tails against the rule's threshold, junk per site by share, the change against
the previous run, rejected inputs; all of it escaped."""

from __future__ import annotations

import re

from newsclean import report
from newsclean.report import Change, ReportData, Tail

RULE = {"threshold": 0.8, "single_threshold": 0.85, "tail_floor": 0.5}
SOURCES = {"a1": "wire/a.txt", "a2": "wire/b.txt", "a3": "herald/c.html", "a4": "herald/d.html"}


def para(article, position, label, reason, text="Some words here.", score=None):
    return {"article_id": article, "position": position, "label": label, "reason": reason, "text": text,
            "score": score}


PARAS = [
    para("a1", 0, "title", "headline", "Council approves budget"),
    para("a1", 1, "body", "kept"),
    para("a1", 2, "boilerplate", "share_widget", "Share on Facebook"),
    para("a1", 3, "boilerplate", "share_widget", "Share on X"),
    para("a1", 4, "offtopic", "topic_shift_tail", "Frogs return to the pond.", 0.9),
    para("a1", 5, "offtopic", "topic_shift_tail", "Transfer news.", 0.8),
    para("a2", 0, "body", "kept"),
    para("a2", 1, "boilerplate", "ad_marker", "Ad <script>alert(1)</script>"),
    para("a2", 2, "offtopic", "topic_shift_tail", "A lone unrelated paragraph.", 0.86),
    para("a3", 0, "body", "kept"), para("a3", 1, "body", "kept"), para("a3", 2, "body", "kept"),
    para("a3", 3, "boilerplate", "share_widget", "Share by mail"),
    para("a4", 0, "boilerplate", "share_widget", "Share " + "x" * 400),
]


def tally(paras, sites=None, shards=1):
    """The report's tally of `paras`, fed as `shards` Parquet-shaped tables in order."""
    import pyarrow as pa

    counted = report.ParagraphTally(SOURCES, sites or {})
    size = -(-len(paras) // shards)
    for start in range(0, len(paras), size):
        counted.add(pa.Table.from_pylist(paras[start:start + size]))
    return counted


def test_examples_are_a_few_per_reason_each_from_another_article():
    examples = tally(PARAS).examples()
    shares = examples["boilerplate/share_widget"]
    assert [(e.source_path, e.position) for e in shares] == [("herald/c.html", 3), ("herald/d.html", 0), ("wire/a.txt", 2)], \
        "three examples, one per article (a1's second widget is not shown)"
    assert shares[1].text.endswith(" …") and len(shares[1].text) <= report.EXAMPLE_CHARS + 2, "long ones are cut"
    assert "body/kept" not in examples and "title/headline" in examples


def test_the_tally_shard_by_shard_picks_what_one_pass_over_the_run_picks():
    # examples are the first articles by source path, whatever shard they come in
    shuffled = PARAS[9:] + PARAS[:9]
    one, many = tally(shuffled), tally(shuffled, shards=5)
    assert many.examples() == one.examples() == tally(PARAS).examples()
    assert many.counts([]) == one.counts([]) and many.counts([])["labels"]["body"] == 5
    assert len(many.scored) == 3 and many.paragraphs == len(PARAS)


def test_examples_of_many_articles_are_the_first_by_source_path_and_position():
    import pyarrow as pa

    sources = {f"s{n}": f"site/{n:02d}.txt" for n in range(8)}
    rows = [para(f"s{n}", pos, "boilerplate", "ad_marker", f"Ad {n}-{pos}") for n in (7, 5, 3, 6, 1, 4) for pos in (4, 2)]
    counted = report.ParagraphTally(sources, {})
    for start in range(0, len(rows), 3):
        counted.add(pa.Table.from_pylist(rows[start:start + 3]))
    picked = counted.examples()["boilerplate/ad_marker"]
    assert [(e.source_path, e.position, e.text) for e in picked] == [
        ("site/01.txt", 2, "Ad 1-2"), ("site/03.txt", 2, "Ad 3-2"), ("site/04.txt", 2, "Ad 4-2")]


def test_tails_carry_the_rule_that_decided_them():
    tails = report.offtopic_tails(tally(PARAS, shards=3).scored, SOURCES, RULE)
    by_source = {t.source_path: t for t in tails}
    assert by_source["wire/a.txt"].scores == (0.9, 0.8) and abs(by_source["wire/a.txt"].average - 0.85) < 1e-9
    assert by_source["wire/a.txt"].threshold == 0.8, "a tail of several paragraphs: threshold"
    assert by_source["wire/b.txt"].threshold == 0.85, "a lone last paragraph: single_threshold"
    assert [t.source_path for t in tails] == ["wire/b.txt", "wire/a.txt"], "nearest its threshold first"


def test_junk_per_site_is_sorted_by_share():
    sites = {"a1": "wire/", "a2": "wire/", "a3": "herald.example", "a4": "herald.example"}
    rows = tally(PARAS, sites, shards=2).junk_by_site()
    assert [(s, n, r) for s, n, r in rows] == [("wire/", 9, 7), ("herald.example", 5, 2)]


def test_changes_compare_counts_and_shares():
    before = {"paragraphs": 100, "rejects": 4, "labels": {"body": 80, "boilerplate": 20}, "reasons": {},
              "reject_reasons": {"binary": 4}}
    after = {"paragraphs": 200, "rejects": 2, "labels": {"body": 120, "boilerplate": 80}, "reasons": {},
             "reject_reasons": {"binary": 1, "corrupt_warc": 1}}
    changes = {(c.kind, c.name): c for c in report.run_changes(before, after)}
    assert changes[("label", "boilerplate")] == Change("label", "boilerplate", 20, 80, 0.2, 0.4)
    assert changes[("reject", "corrupt_warc")].before == 0 and changes[("reject", "corrupt_warc")].after_share == 0.5


def test_previous_manifest_is_the_newest_run_before(tmp_path):
    import json

    runs = tmp_path / "runs"
    runs.mkdir()
    for run_id in ("20260101T000000Z-aaaaaa", "20260102T000000Z-bbbbbb", "20260103T000000Z-cccccc"):
        (runs / f"{run_id}.json").write_text(json.dumps({"run_id": run_id, "counts": {}}))
    assert report.previous_manifest(tmp_path, "20260103T000000Z-cccccc")["run_id"] == "20260102T000000Z-bbbbbb"
    assert report.previous_manifest(tmp_path, "20260101T000000Z-aaaaaa") is None


def rendered(**changes) -> str:
    data = ReportData(
        run_id="r2", status="committed", articles=4, paragraphs=len(PARAS), rejects=1,
        removed_by_reason={"boilerplate/share_widget": 5}, guard_kept=0, labels={"body": 5},
        offtopic_tails=report.offtopic_tails(tally(PARAS).scored, SOURCES, RULE), offtopic_rule=RULE,
        junk_by_site=[("wire/", 9, 7)], languages={"en": 4}, encoding_fixes={}, reject_reasons={"corrupt_warc": 1},
        stage_seconds={"classify": 1.0}, slowest_shards=[("classify", 0, 1.0)],
        examples=tally(PARAS).examples(),
        rejected=[("crawl/<bad>.warc", "corrupt_warc", "no WARC record: Invalid WARC header")],
        changes=[Change("label", "boilerplate", 20, 80, 0.2, 0.4), Change("label", "body", 5, 5, 0.5, 0.5)],
        previous_run="r1", warc_records_skipped={"request": 10, "response_non_html": 3},
    )
    return report.render_html(data.__class__(**{**data.__dict__, **changes}))


def test_the_page_shows_examples_rejects_changes_and_the_tail_rule_escaped():
    page = rendered()
    for key in ("examples", "change", "offtopic", "junk", "rejects", "rejected"):
        assert f'<section id="{key}">' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script" not in page, "paragraph text is escaped"
    assert "crawl/&lt;bad&gt;.warc" in page and "no WARC record" in page
    assert "Against run <code>r1</code>" in page and "+60" in page and "20.0% → 40.0%" in page
    assert "1 unchanged counts are left out" in page
    assert "threshold 0.8" in page and "single_threshold 0.85" in page and "tail_floor 0.5" in page
    assert len(re.findall(r'<rect class="col"', page)) == report.SCORE_BINS
    assert "response_non_html" in page, "WARC records that are not documents are counted"


def test_a_first_run_says_there_is_nothing_to_compare():
    page = rendered(previous_run=None, changes=[])
    assert "the first run in this output folder" in page


def test_tail_average_is_the_mean_of_its_scores():
    assert Tail("x", "t", (1.0, 0.5), 0.8).average == 0.75
