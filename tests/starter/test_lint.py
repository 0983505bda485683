"""A new project lints like a Kedro project: Kedro's own ruff settings in its pyproject.toml,
and `ruff check .` and `ruff format --check .` clean on both engines and both stage styles,
whatever the project's name (import order and line length depend on it)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import kedro
import pytest

from tests.support import BIN, new_project, run

pytestmark = pytest.mark.e2e

KEDRO_TEMPLATE = Path(kedro.__file__).parent / "templates" / "project"


def _findings(project: Path, *command: str) -> list[str]:
    result = run([str(BIN / "ruff"), *command, "--output-format", "concise", "."], project)
    assert "error: " not in result.stderr.lower(), result.stderr
    lines = [line for line in result.stdout.splitlines() if re.match(r"^\S+:\d+:\d+: ", line)]
    if not lines:
        assert result.returncode == 0, result.stdout + result.stderr
    return lines


def test_the_ruff_settings_are_kedros():
    kedro_pyproject = next(KEDRO_TEMPLATE.glob("*/pyproject.toml")).read_text()
    kedro_ruff = tomllib.loads(kedro_pyproject.replace("{{", "").replace("}}", ""))["tool"]["ruff"]
    template = next((Path(__file__).parents[2] / "kedro_ml_starter" / "template").glob(
        "*/pyproject.toml"))
    ours = tomllib.loads(template.read_text())["tool"]["ruff"]
    assert ours["line-length"] == kedro_ruff["line-length"]
    assert ours["lint"]["select"] == kedro_ruff["lint"]["select"]
    assert ours["lint"]["ignore"] == kedro_ruff["lint"]["ignore"]
    assert ours["format"] == kedro_ruff["format"]


@pytest.mark.parametrize("fixture", ["generated_project", "plain_project", "spark_project",
                                     "tracked_project", "regression_project"])
def test_a_new_project_is_ruff_clean(fixture: str, request: pytest.FixtureRequest):
    project: Path = request.getfixturevalue(fixture)
    assert _findings(project, "check", "--no-cache") == []
    assert _findings(project, "format", "--check", "--no-cache") == []


def test_a_plain_spark_project_with_a_long_name_is_ruff_clean(tmp_path: Path):
    """A long package name lengthens its import lines and sorts after `tests` (tracked with
    MLflow too: settings.py has one more import and hook)."""
    name = "Zoo Of A Rather Long Project Name For Lint"
    project = new_project(tmp_path, config={"project_name": name, "engine": "spark",
                                            "stage_style": "plain", "tracking": "mlflow"})
    assert _findings(project, "check", "--no-cache") == []
    assert _findings(project, "format", "--check", "--no-cache") == []
