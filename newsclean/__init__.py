"""newsclean: clean scraped news articles into analyst-ready Parquet datasets.

The Python API (see newsclean/api.py): `newsclean.clean(input, output)` runs a cleaning
run and returns its manifest; `newsclean.clean_news` is the Prefect flow, for use as a
subflow. Both load on first use: `import newsclean` loads neither Prefect nor pyarrow.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "clean": "newsclean.api",
    "config_file": "newsclean.api",
    "clean_news": "newsclean.pipeline",
    "rerun_stage": "newsclean.pipeline",
}
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'newsclean' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_LAZY[name]), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
