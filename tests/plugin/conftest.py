"""Session fixtures of the check's tests: the environment pre-commit would build."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugin.isolated_env import build_wheel, isolated_env


@pytest.fixture(scope="session")
def hook_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a venv holding only kedro-ml-structure and its own dependencies,
    built offline from this checkout (see isolated_env.py)."""
    base = tmp_path_factory.mktemp("hook-env")
    return isolated_env(base / "venv", build_wheel(base / "wheel"))
