"""Scale-out: the same flow on a local Dask cluster (prefect-dask) gives the same rows
as on Prefect's thread pool."""

from __future__ import annotations

import dataclasses

import pytest

from tests.conftest import CONFIG, SEEDS
from tests.corpus import all_datasets

pytestmark = pytest.mark.engine


def test_a_dask_run_matches_a_thread_run(prefect_engine, seeds_run, tmp_path):
    from newsclean.pipeline import clean_news, task_runner_for
    from newsclean.settings import load_settings

    settings = load_settings(CONFIG)
    dask_settings = dataclasses.replace(settings, run=dataclasses.replace(settings.run, task_runner="dask", workers=2))
    runner = task_runner_for(dask_settings)
    assert type(runner).__name__ == "DaskTaskRunner"
    output = tmp_path / "dask"
    manifest = clean_news.with_options(task_runner=runner)(
        input_path=str(SEEDS), output_dir=str(output), config_path=str(CONFIG)
    )
    assert manifest["counts"]["articles"] == 5
    threads_output, _ = seeds_run
    assert all_datasets(output) == all_datasets(threads_output)
