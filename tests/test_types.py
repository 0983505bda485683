"""Both packages type-check with the repository's mypy configuration ([tool.mypy] in
pyproject.toml: kedro_ml_starter and kedro_plugin_layout, the template excluded)."""

from __future__ import annotations

from pathlib import Path

from tests.support import PYTHON, run

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_reports_no_errors_on_either_package(tmp_path: Path) -> None:
    # The cache lives in this test's folder: a run never reuses another checkout's.
    result = run([PYTHON, "-m", "mypy", "--cache-dir", str(tmp_path / "cache")], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().startswith("Success: no issues found in ")
