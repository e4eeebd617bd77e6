"""planning: inputs cut into shards by count and by bytes."""

from __future__ import annotations

import pytest

from newsclean.inputs import InputFile
from newsclean.planning import plan_shards


def files_of(sizes: list[int]) -> list[InputFile]:
    return [InputFile(f"/in/{i:03d}.txt", f"{i:03d}.txt", size) for i, size in enumerate(sizes)]


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
    shards = plan_shards(files, shard_size, max_bytes)
    assert [len(s) for s in shards] == lengths, why
    assert [f for shard in shards for f in shard] == files, "every file once, in order"
    for shard in shards:
        assert len(shard) == 1 or sum(f.size for f in shard) <= max_bytes


def test_a_run_records_the_config_file_it_read(tmp_path, monkeypatch):
    """Run from a folder without config/: the shipped defaults are read, and the plan (which
    a resume and a rerun load again) and the manifest's config name that file."""
    from datetime import datetime, timezone

    from newsclean.planning import plan_run
    from newsclean.settings import DEFAULT_CONFIG, load_settings, shipped_config_dir
    from newsclean.shardstore import read_plan

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.txt").write_text("The council voted.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings = load_settings(DEFAULT_CONFIG)  # a command's default --config
    plan, _ = plan_run(tmp_path / "in", tmp_path / "out", "run-1", datetime.now(timezone.utc), str(DEFAULT_CONFIG),
                       False, settings)
    shipped = str(shipped_config_dir() / "pipeline.toml")
    assert plan is not None and plan.config_path == shipped
    assert read_plan(tmp_path / "out", "run-1").config_path == shipped
    assert load_settings(plan.config_path).source == shipped, "a resume reads the same file"
    assert settings.as_dict()["source"] == shipped, "the manifest's config says which file"
