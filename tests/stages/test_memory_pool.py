"""Arrow's memory pool: the system allocator unless the user chose one (newsclean.stages.memory)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from newsclean.stages import memory


def pool_backend_in_child(env: dict[str, str], code: str) -> str:
    """The backend name of Arrow's default pool in a fresh interpreter after `code`."""
    script = f"{code}\nimport pyarrow as pa\nprint(pa.default_memory_pool().backend_name)"
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != memory.ARROW_POOL_VARIABLE}


def test_system_pool_before_pyarrow_loads(clean_env):
    code = "from newsclean.stages.memory import use_system_arrow_pool; use_system_arrow_pool()"
    assert pool_backend_in_child(clean_env, code) == "system"


def test_system_pool_after_pyarrow_loaded(clean_env):
    code = "import pyarrow\nfrom newsclean.stages.memory import use_system_arrow_pool; use_system_arrow_pool()"
    assert pool_backend_in_child(clean_env, code) == "system"


def test_a_pool_the_user_named_stands(clean_env):
    env = {**clean_env, memory.ARROW_POOL_VARIABLE: "mimalloc"}
    code = "from newsclean.stages.memory import use_system_arrow_pool; use_system_arrow_pool()"
    assert pool_backend_in_child(env, code) == "mimalloc"


def test_without_it_arrow_uses_its_own_allocator(clean_env):
    # what the function changes: pyarrow's wheel defaults to a bundled allocator
    assert pool_backend_in_child(clean_env, "") in {"jemalloc", "mimalloc"}
