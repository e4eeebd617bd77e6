"""A finished shard, as the language stage leaves it, for the shard store and dataset tests."""

from __future__ import annotations

from datetime import datetime, timezone

from newsclean.stages.records import Document, Paragraph, Reject, Shard

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
