"""newsclean as a user gets it: `pip install <checkout>` (not editable) into a fresh
virtual environment, then used from an empty folder elsewhere.

Fast and offline: the new environment finds the dependencies in this interpreter's own
(a .pth file lists its import path) and pip builds the package without build isolation
(setuptools >= 70.1, of the dev extras). What it runs is the installed copy: the
test asserts `newsclean.__file__` is inside the new environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pyarrow.dataset as ds
import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 1800  # loaded CI: an install and a whole run with Prefect's server; a hang guard, not a timing


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, f"{command}: exit {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def dependency_paths() -> list[str]:
    """This interpreter's import path but the checkout, the working folder and the
    standard library (the new environment has those of its own)."""
    stdlib = {sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"]}
    keep = []
    for entry in sys.path:
        path = Path(entry or ".").resolve()
        if not path.is_dir() or path == ROOT or str(path) in stdlib or path.name == "lib-dynload":
            continue
        keep.append(str(path))
    return keep


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with newsclean installed from a copy of the checkout (pip builds in
    the source tree: the checkout stays clean); returns the venv's folder."""
    from importlib.metadata import version

    if tuple(int(n) for n in version("setuptools").split(".")[:2]) < (70, 1):
        pytest.fail(f"building the package offline needs setuptools >= 70.1, not {version('setuptools')}: "
                    "pip install -e '.[dev]' installs it")
    work = tmp_path_factory.mktemp("package")
    source = work / "checkout"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "newsclean", source / "newsclean",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=TIMEOUT)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True, timeout=TIMEOUT).stdout.strip()
    (Path(purelib) / "_newsclean_test_dependencies.pth").write_text("\n".join(dependency_paths()) + "\n")
    run([str(python), "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--ignore-installed",
         "--no-index", "--disable-pip-version-check", "--quiet", str(source)], cwd=work, env=clean_env(work))
    return venv


def clean_env(home: Path) -> dict[str, str]:
    """No PYTHONPATH (the checkout must not be importable), a Prefect home of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(PREFECT_HOME=str(home / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PATH=f"{home}/venv/bin:/usr/bin:/bin")
    return env


@pytest.fixture
def empty_folder(tmp_path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def test_the_installed_command_prints_its_version(installed, empty_folder):
    from newsclean import __version__

    done = run([str(installed / "bin" / "newsclean"), "--version"], cwd=empty_folder, env=clean_env(installed.parent))
    assert done.stdout == f"newsclean {__version__}\n"


def test_import_newsclean_beside_a_projects_own_flows_package(installed, empty_folder):
    """A Prefect project's own `flows/` beside: `import newsclean` is ours, installed, and
    `flows` stays the project's; the flow for use as a subflow loads from the package."""
    (empty_folder / "flows").mkdir()
    (empty_folder / "flows" / "__init__.py").write_text("")
    (empty_folder / "flows" / "pipeline.py").write_text("OURS = 'a team of its own'\n")
    code = ("import newsclean, flows.pipeline; print(newsclean.__file__); print(flows.pipeline.OURS); "
            "from newsclean import clean_news; print(clean_news.name)")
    done = run([str(installed / "bin" / "python"), "-c", code], cwd=empty_folder, env=clean_env(installed.parent))
    newsclean_file, ours, flow_name = done.stdout.splitlines()
    assert Path(newsclean_file).is_relative_to(installed), f"the installed copy, not the checkout: {newsclean_file}"
    assert ours == "a team of its own"
    assert flow_name == "newsclean"


@pytest.mark.engine
def test_the_installed_command_cleans_a_folder_with_the_shipped_defaults(installed, empty_folder):
    shutil.copytree(ROOT / "seeds", empty_folder / "X")
    env = clean_env(installed.parent)
    newsclean = str(installed / "bin" / "newsclean")
    done = run([newsclean, "run", "--input", "X", "--output", "Y", "--workers", "1"], cwd=empty_folder, env=env)
    assert "articles    5" in done.stdout, done.stdout
    articles = ds.dataset(empty_folder / "Y" / "articles", format="parquet", partitioning="hive").to_table()
    assert articles.num_rows == 5
    assert sorted(p.name for p in empty_folder.iterdir()) == ["X", "Y"], "no config/ needed, nothing else written"

    run([newsclean, "init"], cwd=empty_folder, env=env)
    assert (empty_folder / "config" / "pipeline.toml").is_file() and (empty_folder / "config" / "rules.toml").is_file()
