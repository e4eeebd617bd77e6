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
