"""The notebooks run: each one's code cells are executed in order, from the notebooks
folder. A project may hold any notebooks, or none."""

from __future__ import annotations

import json
import os
import subprocess
import sys

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


def test_every_notebook_is_nbformat_4_and_its_code_runs():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        assert notebook["nbformat"] == 4
        script = _code(notebook)
        compile(script, str(path), "exec")
        env = {
            **os.environ,
            "KEDRO_DISABLE_TELEMETRY": "1",
            "DO_NOT_TRACK": "1",
            "MPLBACKEND": "Agg",
        }
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=NOTEBOOKS,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
