"""`stage_style: plain` exists so a team can type-check its project: `mypy src` must pass."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import PYTHON, run

pytestmark = pytest.mark.e2e


ROOT = Path(__file__).resolve().parents[2]


def test_mypy_passes_on_a_plain_style_project(plain_project: Path, tmp_path: Path):
    # The cache goes to tmp_path: the session project must not change. MYPYPATH: our own
    # editable install reaches Python through setuptools' import hook, which mypy does not
    # follow; a user's `pip install` is a plain folder with py.typed. So the project is
    # checked against kedro_ml_starter's types, and that code against the project's config.
    result = run([PYTHON, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache"), "src"],
                 plain_project, MYPYPATH=str(ROOT))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "Success: no issues found" in output
    checked = re.search(r"in (\d+) source files", output)
    sources = list((plain_project / "src").rglob("*.py"))
    assert checked is not None and int(checked.group(1)) == len(sources), output
