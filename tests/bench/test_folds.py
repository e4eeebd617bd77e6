"""The tune/check split (bench/folds.py): by site, stable, about 30% of sites in check."""

import doctest
from pathlib import Path

import pytest

import folds
import quality

BENCHMARK = Path(__file__).resolve().parents[2].parent / "shared" / "benchmark"


def test_doctests_pass():
    assert doctest.testmod(folds).failed == 0


@pytest.mark.parametrize(
    "url, host",
    [
        ("https://www.news-one.example/a?b=1", "news-one.example"),
        ("http://NEWS-ONE.example:8080/x", "news-one.example"),
        ("https://wwwnews.example/", "wwwnews.example"),
        ("", ""),
    ],
)
def test_site_host(url, host):
    assert folds.site_host(url) == host


def test_every_page_of_a_site_is_in_the_same_fold():
    assert folds.fold_of("https://news-two.example/a") == folds.fold_of("http://www.news-two.example/b/c")
    assert folds.split_pages({"p1": "https://news-two.example/1", "p2": "https://news-one.example/2"}) == {
        "p1": folds.CHECK, "p2": folds.TUNE,
    }


def test_about_30_percent_of_many_invented_hosts_are_in_check():
    hosts = [f"https://site{i}.example/" for i in range(2000)]
    share = sum(folds.fold_of(url) == folds.CHECK for url in hosts) / len(hosts)
    assert 0.27 < share < 0.33


@pytest.mark.skipif(not BENCHMARK.is_dir(), reason=f"benchmark not found at {BENCHMARK}")
def test_the_benchmark_splits_into_81_tune_and_35_check_pages():
    bench = quality.Benchmark.load(BENCHMARK)
    groups = bench.group_by_fold(bench.page_ids(None))
    assert (len(groups[folds.TUNE]), len(groups[folds.CHECK])) == (81, 35)
    assert len(bench.page_ids(None, folds.CHECK)) == 35
