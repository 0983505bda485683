"""The notebooks run: every notebook under the notebooks folder (the manifest's
`notebooks`, subfolders included) is a test of its own, its code cells executed in order
from the notebook's folder. A project may hold any notebooks, or none: with none there is
nothing to run, and the suite says so.

They run in this test process, as a kernel runs them in one: what the tests already
started (a Spark session) is what a notebook's Kedro session finds, as in Jupyter. Like a
kernel `kedro jupyter` starts, each notebook begins with the project's `session`,
`context`, `catalog` and `pipelines` (and IPython's `display`), so a notebook that reads
`catalog.load(...)` straight away runs here too.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from kedro.framework.project import pipelines
from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project

from tests.helpers import NOTEBOOKS, PROJECT_ROOT

# Cell magics whose body is still Python; a cell under any other (%%bash, %%sql) is not.
PYTHON_CELL_MAGICS = ("%%time", "%%timeit", "%%capture")


def _notebooks() -> list[Any]:
    found = sorted(
        path
        for path in NOTEBOOKS.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in path.parts
    )
    if found:
        return [pytest.param(p, id=p.relative_to(NOTEBOOKS).as_posix()) for p in found]
    reason = f"{NOTEBOOKS.relative_to(PROJECT_ROOT)}/ holds no notebook: nothing to run"
    return [pytest.param(None, id="none", marks=pytest.mark.skip(reason=reason))]


def _code(notebook: dict) -> str:
    """The notebook's code cells as one script, IPython magics (`%`, `!`) left out."""
    lines = []
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] != "code" or (
            source.startswith("%%") and not source.startswith(PYTHON_CELL_MAGICS)
        ):
            continue
        lines += [
            line
            for line in source.splitlines()
            if not line.lstrip().startswith(("%", "!"))
        ]
    return "\n".join(lines)


def _display(*values: Any, **_: Any) -> None:
    """IPython's `display`, for a notebook that calls it: the values are shown nowhere."""


@pytest.mark.parametrize("path", _notebooks())
def test_the_notebook_is_nbformat_4_and_its_code_runs(
    path: Path, monkeypatch: pytest.MonkeyPatch
):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    code = compile(_code(notebook), str(path), "exec")
    monkeypatch.setenv("KEDRO_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(path.parent)
    bootstrap_project(PROJECT_ROOT)
    session = KedroSession.create(project_path=PROJECT_ROOT)
    context = session.load_context()
    namespace = {
        "__name__": "__main__",
        "session": session,
        "context": context,
        "catalog": context.catalog,
        "pipelines": pipelines,
        "display": _display,
    }
    try:
        exec(code, namespace)  # a failing cell fails the test with its traceback
    finally:
        session.close()
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
