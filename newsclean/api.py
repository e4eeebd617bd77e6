"""newsclean from Python: clean a folder of scraped news from your own code, or from
your own Prefect flow (as a subflow).

    import newsclean

    manifest = newsclean.clean("crawl/", "data/")        # what `newsclean run` does
    print(manifest["counts"]["articles"], "articles in run", manifest["run_id"])

    from prefect import flow

    @flow
    def nightly():
        newsclean.clean_news(input_path="crawl/", output_dir="data/")  # the flow itself

Importing this module loads neither Prefect nor pyarrow: `clean` loads them when called.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from newsclean.cli.preflight import check_input, check_writable, local_path
from newsclean.settings import config_path, load_settings


def config_file(config: str | os.PathLike[str] | None = None) -> Path:
    """The pipeline settings a run uses: `config` when given, else ./config/pipeline.toml
    when the working folder has one (`newsclean init` writes it), else the defaults
    shipped inside the package (their rules.toml beside them): `settings.config_path`."""
    return config_path(config)


def clean(
    input: str | os.PathLike[str],  # noqa: A002  (the word the CLI uses: --input)
    output: str | os.PathLike[str],
    config: str | os.PathLike[str] | None = None,
    workers: int | None = None,
    full: bool = False,
    runner: str | None = None,
) -> dict[str, Any]:
    """Clean the articles under `input` that no earlier run processed (all of them if
    `full`) into the Parquet datasets under `output`; returns the run's manifest (the
    dict written to `output/runs/<run_id>.json`), or `{"status": "nothing_new", ...}`
    when every input was processed before. `config`: a pipeline.toml (default as
    `config_file`); `workers` and `runner` override its [run] settings.

    Runs the `clean_news` flow: inside a flow of yours it is a subflow; outside one,
    Prefect starts its local server for the run (or uses PREFECT_API_URL). Raises
    ValueError, before anything is written, for a URL, a missing or empty input, an
    output that cannot be written or a bad config.
    """
    input_path = local_path(os.fspath(input), "input")
    output_dir = local_path(os.fspath(output), "output")
    check_input(input_path)
    check_writable(output_dir, "output")
    if workers is not None and workers < 1:
        raise ValueError("workers must be at least 1")
    settings_file = config_file(config)
    load_settings(settings_file)  # a bad config is refused here, not inside the flow run
    from newsclean.cli import engine  # noqa: F401  (Prefect's longer server startup, set before it loads)
    from newsclean.pipeline import clean_news

    return clean_news(input_path=str(input_path), output_dir=str(output_dir), config_path=str(settings_file),
                      full=full, runner=runner, workers=workers)
