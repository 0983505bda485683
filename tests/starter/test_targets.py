"""The generated project stays a place to start editing, not a framework (issue 11's targets).

Per engine, on a fresh numbered project: at most 1,000 lines of Python under src/, no
module over 150 lines, the serving stage in at most four modules besides its __init__.py,
raw data validated by the pandera schema of the data contract, no machinery that belongs
in this distribution (a synthetic data generator, a serving runtime, hand-written
validators), and nothing in src/ or tests/ that names the shipped dataset (issue 20).
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
PROJECTS = {"generated_project": PACKAGE, "spark_project": "spark_lab",
            "regression_project": "mass_lab"}
# Words of the shipped penguins: only conf/ and data/ (and the README) may hold them.
DATASET_WORDS = ("penguin", "species", "island", "flipper", "bill_length", "bill_depth",
                 "body_mass", "adelie", "gentoo", "chinstrap", "torgersen", "biscoe")


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


@pytest.mark.parametrize("fixture", ["generated_project", "regression_project",
                                     "spark_project"])
def test_raw_data_is_validated_by_the_pandera_schema_of_the_data_contract(
        fixture: str, request: pytest.FixtureRequest):
    """Stage 01 validates with `DataContract(...).validate` (a pandera DataFrameSchema built
    from conf/base/parameters_data_contract.yml), or on Spark with `validate_spark` and
    that schema: no column is named in code."""
    root: Path = request.getfixturevalue(fixture)
    package = PROJECTS[fixture]
    nodes = root / "src" / package / "pipelines" / "01_data_preprocessing" / "nodes.py"
    tree = ast.parse(nodes.read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and node.module == "kedro_ml_starter.runtime" for alias in node.names}
    assert "DataContract" in imported
    calls = {node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
             for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, (ast.Attribute, ast.Name))}
    spark = fixture == "spark_project"
    validation = {"validate_spark", "schema"} if spark else {"validate"}
    assert {"from_parameters", *validation} <= calls
    contract = root / "conf" / "base" / "parameters_data_contract.yml"
    assert "schema_type: dataframe" in contract.read_text()


@pytest.mark.parametrize("fixture", ["generated_project", "regression_project",
                                     "spark_project"])
def test_src_and_tests_name_no_column_of_the_shipped_data(fixture: str,
                                                          request: pytest.FixtureRequest):
    """Issue 20: stages, tests and the notebook follow the data contract, so another
    dataset needs no edit of them."""
    root: Path = request.getfixturevalue(fixture)
    package = PROJECTS[fixture]
    files = [*(root / "src").rglob("*.py"), *(root / "tests").rglob("*.py"),
             *(root / "notebooks").glob("*.ipynb")]
    assert len(files) > 20

    def text(path: Path) -> str:  # the project's own name ("Penguin Lab") is not data
        return path.read_text().lower().replace(package, "").replace(
            package.replace("_", " "), "")

    found = {f"{path.relative_to(root)}: {word}" for path in files
             for word in DATASET_WORDS if word in text(path)}
    assert found == set()


def test_no_machinery_of_this_distribution_is_copied_into_the_project(project):
    """The generator lives in benchmarks/, the runtime in kedro_ml_starter.runtime."""
    root, package = project
    names = {Path(path).name for path in _modules(root, package)}
    assert not names & {"synthetic.py", "cli.py", "progress.py", "hooks.py"}
    text = "\n".join((root / path).read_text() for path in _modules(root, package))
    for machinery in ("def generate_", "uvicorn", "def create_model", "FastAPI("):
        assert machinery not in text, machinery
