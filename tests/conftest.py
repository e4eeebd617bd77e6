"""Shared fixtures: one Prefect test harness per session, and the seeds run once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CONFIG = ROOT / "config" / "pipeline.toml"


@pytest.fixture(scope="session")
def prefect_engine():
    """Prefect's test harness: a throwaway database and API for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=300):
        yield


@pytest.fixture(scope="session")
def settings():
    from newsclean.settings import load_settings

    return load_settings(CONFIG)


@pytest.fixture(scope="session")
def seeds_run(prefect_engine, tmp_path_factory):
    """The flow run once on a copy of seeds/: (output dir, manifest)."""
    from newsclean.pipeline import clean_news

    work = tmp_path_factory.mktemp("seeds_run")
    shutil.copytree(SEEDS, work / "seeds")
    output = work / "output"
    manifest = clean_news(input_path=str(work / "seeds"), output_dir=str(output), config_path=str(CONFIG))
    return output, manifest
