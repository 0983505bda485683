"""A virtual environment that holds kedro-ml-structure and its own dependencies only: what
pre-commit builds for a `language: python` hook, and what a lint-only CI job installs.

Built offline, so that it works on any machine where `make install` has run: the package
itself is installed from a wheel built from this checkout (`pip install --no-deps
--no-index`); its dependencies, the closure of its `Requires-Dist` without extras, are
linked from the environment running the tests (which `make install` filled) instead of
being downloaded again. Nothing else is there: no pandas, scikit-learn or plotly.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import Distribution, distribution, distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTION = "kedro-ml-structure"
SOURCES = ("setup.cfg", "pyproject.toml", "README.md", "kedro_ml_starter",
           "kedro_plugin_layout")


def build_wheel(dest: Path) -> Path:
    """The wheel of this checkout, built from a clean copy (no stale build/ or egg-info)."""
    source = dest / "source"
    source.mkdir(parents=True)
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    return wheel_of(source, dest / "dist")


def wheel_of(source: Path, dist: Path) -> Path:
    """Builds the wheel of a source tree offline, with the build tools of this venv."""
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist),
          str(source)])
    (wheel,) = dist.glob("kedro_ml_structure-*.whl")
    return wheel


def isolated_env(dest: Path, wheel: Path) -> Path:
    """A venv at `dest` with the wheel and its dependencies; returns its python."""
    _run([sys.executable, "-m", "venv", "--without-pip", str(dest)])
    python = dest / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                                         "['purelib'])"]).strip())
    owners = _owners()
    for dist in dependencies(DISTRIBUTION):
        _link(dist, site, owners)
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
          "--no-deps", "--no-index", str(wheel)])
    return python


def dependencies(name: str) -> Iterator[Distribution]:
    """The installed distributions `name` requires, transitively (markers evaluated,
    extras followed where a requirement names them), without `name` itself."""
    wanted: dict[str, frozenset[str]] = {}
    todo: list[tuple[str, frozenset[str]]] = [(name, frozenset())]
    while todo:
        current, extras = todo.pop()
        key = canonicalize_name(current)
        if key in wanted and extras <= wanted[key]:
            continue
        wanted[key] = wanted.get(key, frozenset()) | extras
        for text in distribution(current).requires or []:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker and not any(marker.evaluate({"extra": e}) for e in extras or {""}):
                continue
            todo.append((requirement.name, frozenset(requirement.extras)))
    wanted.pop(canonicalize_name(name))
    return (distribution(key) for key in sorted(wanted))


def _owners() -> dict[str, int]:
    """How many installed distributions put files under each top-level name."""
    count: dict[str, int] = {}
    for dist in distributions():
        for top in {str(f).split("/", 1)[0] for f in dist.files or ()}:
            count[top] = count.get(top, 0) + 1
    return count


def _link(dist: Distribution, site: Path, owners: dict[str, int]) -> None:
    """Links a distribution's files into `site`: whole top-level folders it owns alone,
    file by file inside a folder other distributions share (a namespace package)."""
    source = Path(str(dist.locate_file("")))
    for file in dist.files or ():
        parts = Path(str(file)).parts
        if parts[0] == ".." or parts[-1].endswith(".pth"):
            continue  # scripts, and start-up hooks of the environment we copy from
        own = owners.get(parts[0], 0) <= 1
        relative = Path(parts[0]) if own else Path(*parts)
        target = site / relative
        if target.exists() or target.is_symlink():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(source / relative)


def _run(args: list[str]) -> str:
    result = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {result.returncode}:\n"
                           f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout
