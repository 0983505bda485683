"""The notebooks run: each one's code cells are executed in order, from the notebooks
folder. A project may hold any notebooks, or none.

They run in this test process, as a kernel runs them in one: what the tests already
started (a Spark session) is what a notebook's Kedro session finds, as in Jupyter.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers import PROJECT_ROOT

NOTEBOOKS = PROJECT_ROOT / "notebooks"


def _code(notebook: dict) -> str:
    """The notebook's code cells as one script, IPython magics (`%`, `!`) left out."""
    lines = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            lines += [
                line
                for line in source.splitlines()
                if not line.lstrip().startswith(("%", "!"))
            ]
    return "\n".join(lines)


def test_every_notebook_is_nbformat_4_and_its_code_runs(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv("KEDRO_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(NOTEBOOKS)
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        assert notebook["nbformat"] == 4
        exec(compile(_code(notebook), str(path), "exec"), {"__name__": "__main__"})
