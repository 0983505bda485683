"""The built wheel ships the whole template, dotfiles included (`*` globs skip them), and
the earlier releases' templates that `kedro layout upgrade` renders."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tests.support import PYTHON, run

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "kedro_ml_starter" / "template"
RELEASES = ROOT / "kedro_ml_starter" / "releases"


def _clean_source(dest: Path) -> Path:
    """What a clean clone holds for the build: no stale build/ or egg-info to reuse."""
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    for package in ("kedro_ml_starter", "kedro_plugin_layout"):
        shutil.copytree(ROOT / package, dest / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def test_wheel_contains_every_template_file(tmp_path: Path):
    source_tree = _clean_source(tmp_path)
    dist = tmp_path / "dist"
    result = run([PYTHON, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
                 source_tree)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (wheel,) = dist.glob("kedro_ml_structure-*.whl")
    prefix = "kedro_ml_starter/template/"
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name[len(prefix):] for name in archive.namelist() if name.startswith(prefix)}
        names = set(archive.namelist())
    source = {
        path.relative_to(TEMPLATE).as_posix()
        for path in TEMPLATE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert shipped == source
    assert any(name.endswith("/.gitignore") for name in shipped)
    assert sum(name.endswith("/.gitkeep") for name in shipped) == 7  # data 02-06, models, conf/local
    assert {"kedro_ml_starter/naming.py", "kedro_ml_starter/guard.py",
            "kedro_ml_starter/starters.py", "kedro_ml_starter/py.typed"} <= names
    # The runtime generated projects import (`kedro serve`, the model datasets, ONNX).
    runtime = ROOT / "kedro_ml_starter" / "runtime"
    assert {f"kedro_ml_starter/runtime/{p.relative_to(runtime).as_posix()}"
            for p in runtime.rglob("*.py")} <= names
    # The earlier releases' templates, for `kedro layout upgrade` without the network.
    releases = {f"kedro_ml_starter/releases/{path.name}" for path in RELEASES.iterdir()}
    assert {"kedro_ml_starter/releases/index.toml",
            "kedro_ml_starter/releases/0.1.0.tar.xz"} <= releases <= names


def test_no_template_file_is_ignored_by_git():
    """The template's own .gitignore applies inside our repository too: nothing may match it."""
    result = run(["git", "ls-files", "--others", "--ignored", "--exclude-standard",
                  "kedro_ml_starter/template"], ROOT, check=True)
    ignored = [line for line in result.stdout.splitlines() if "__pycache__" not in line]
    assert ignored == []
