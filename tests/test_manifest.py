"""The run manifest counts what the guard kept, beside the reasons it sums."""

from newsclean.runlog import build_manifest
from newsclean.settings import Settings


def test_manifest_counts_paragraphs_the_guard_kept():
    summaries = [
        {"stage": "publish", "shard": n, "documents": 1, "paragraphs": 3, "rejects": 0, "seconds": 0.1,
         "reasons": {"body/kept": 1, "body/guard_kept": k, "boilerplate/share_widget": 1}}
        for n, k in ((0, 2), (1, 1))
    ]
    manifest = build_manifest(
        run_id="r1", input_root="in", output="out", ingest_date="2026-12-01", started_at="t0",
        finished_at="t1", wall_seconds=1.0, input_files=["a.txt"], summaries=summaries,
        settings=Settings(), n_shards=2,
    )
    assert manifest["counts"]["guard_kept"] == 3
    assert manifest["counts"]["reasons"]["body/guard_kept"] == 3
