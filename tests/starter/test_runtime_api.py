"""Generated projects use the runtime through its declared API only (issue 22's contract,
written with issue 20's template): `from kedro_ml_starter.runtime import <name>` and
catalog types `kedro_ml_starter.runtime.<Dataset>`, every name in its `__all__`, so the
runtime can change inside without breaking a project that exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kedro_ml_starter import runtime

pytestmark = pytest.mark.e2e

FIXTURES = ["generated_project", "plain_project", "tracked_project", "regression_project",
            "spark_project"]
RUNTIME = "kedro_ml_starter.runtime"


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every import of this distribution in a Python file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kedro_ml"):
            found += [(node.module or "", alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names
                      if alias.name.startswith("kedro_ml")]
    return found


def _notebook_code(path: Path) -> str:
    import json

    cells = json.loads(path.read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


@pytest.mark.parametrize("fixture", FIXTURES)
def test_code_imports_only_the_declared_names(fixture: str, request: pytest.FixtureRequest,
                                              tmp_path: Path):
    root: Path = request.getfixturevalue(fixture)
    files = [*root.joinpath("src").rglob("*.py"), *root.joinpath("tests").rglob("*.py")]
    for notebook in root.joinpath("notebooks").glob("*.ipynb"):
        script = tmp_path / f"{notebook.stem}.py"
        script.write_text(_notebook_code(notebook))
        files.append(script)
    imports = {(module, name) for path in files for module, name in _imports(path)}
    assert {module for module, _ in imports} == {RUNTIME}
    assert {name for _, name in imports} <= set(runtime.__all__)
    assert {"DataContract", "create_app", "ReadableErrorsHook"} <= {n for _, n in imports}


@pytest.mark.parametrize("fixture", FIXTURES)
def test_catalog_types_are_declared_names(fixture: str, request: pytest.FixtureRequest):
    root: Path = request.getfixturevalue(fixture)
    text = "\n".join(p.read_text() for p in root.joinpath("conf").rglob("*.yml"))
    types = set(re.findall(r"type:\s*(kedro_ml_starter\.\S+)", text))
    models = "SparkMLModelDataset" if fixture == "spark_project" else "ModelPickleDataset"
    # and the promotion gate's store of verdicts, with its versions of the model
    assert types == {f"{RUNTIME}.{models}", f"{RUNTIME}.OnnxModelDataset",
                     f"{RUNTIME}.ModelVersionsDataset"}
    assert {t.rsplit(".", 1)[1] for t in types} <= set(runtime.__all__)
