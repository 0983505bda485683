"""The generated project stays a place to start editing, not a framework (issue 11's targets).

Per engine, on a fresh numbered project: at most 1,000 lines of Python under src/, no
module over 150 lines, the serving stage in at most four modules besides its __init__.py,
raw data validated by a pandera schema, and no machinery that belongs in this
distribution (a synthetic data generator, a serving runtime, hand-written validators).
That ruff passes, the project's own tests pass, every stage runs alone and `kedro layout
check` is clean are tested in test_lint.py, test_generated_project.py, test_stages.py and
tests/spark/.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support import PACKAGE

pytestmark = pytest.mark.e2e

MAX_SRC_LINES = 1_000
MAX_MODULE_LINES = 150
MAX_SERVING_MODULES = 4
PROJECTS = {"generated_project": PACKAGE, "spark_project": "spark_lab"}


def _modules(project: Path, package: str) -> dict[str, int]:
    """Every Python module under src/ (path relative to the project) and its line count."""
    source = project / "src" / package
    return {path.relative_to(project).as_posix(): len(path.read_text().splitlines())
            for path in sorted(source.rglob("*.py"))}


@pytest.fixture(params=sorted(PROJECTS))
def project(request: pytest.FixtureRequest) -> tuple[Path, str]:
    return request.getfixturevalue(request.param), PROJECTS[request.param]


def test_src_holds_at_most_1000_lines_and_no_module_over_150(project):
    root, package = project
    modules = _modules(root, package)
    assert sum(modules.values()) <= MAX_SRC_LINES, modules
    assert {path: lines for path, lines in modules.items() if lines > MAX_MODULE_LINES} == {}


def test_the_serving_stage_is_at_most_four_modules(project):
    root, package = project
    stage = root / "src" / package / "pipelines" / "05_api"
    modules = sorted(p.name for p in stage.glob("*.py") if p.name != "__init__.py")
    assert modules == ["app.py", "nodes.py", "pipeline.py"]
    assert len(modules) <= MAX_SERVING_MODULES


def test_raw_data_is_validated_by_a_pandera_schema_built_from_the_column_table(project):
    root, package = project
    tree = ast.parse((root / "src" / package / "utils" / "validation.py").read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    assert "pandera.pandas" in imported
    calls = {node.func.attr for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
    assert "DataFrameSchema" in calls


def test_no_machinery_of_this_distribution_is_copied_into_the_project(project):
    """The generator lives in benchmarks/, the runtime in kedro_ml_starter.runtime."""
    root, package = project
    names = {Path(path).name for path in _modules(root, package)}
    assert not names & {"synthetic.py", "cli.py", "progress.py", "hooks.py"}
    text = "\n".join((root / path).read_text() for path in _modules(root, package))
    for machinery in ("def generate_", "uvicorn", "def create_model", "FastAPI("):
        assert machinery not in text, machinery
