"""Virtual environments that hold only what a distribution or a requirements file needs:
what pre-commit builds for a `language: python` hook, what a lint-only CI job installs,
and what a new project's `pip install -r requirements.txt` makes on a fresh machine.

Built offline, so that it works on any machine where `make install` has run: the package
itself is installed from a wheel built from this checkout (`pip install --no-deps
--no-index`), or by the requirements file's own line; the other distributions, the
closure of the `Requires-Dist` of what is asked for (extras followed), are linked from
the environment running the tests (which `make install` filled) instead of being
downloaded again, with their commands (`kedro`, `ruff`, `pytest`) written for the new
environment. Nothing else is there: the hook's has no pandas, scikit-learn or plotly.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from importlib.metadata import Distribution, distribution, distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTION = "kedro-ml-structure"
SOURCES = ("setup.cfg", "pyproject.toml", "README.md", "LICENSE",
           "kedro_ml_starter", "kedro_plugin_layout")


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


def source_of(wheel: Path) -> Path:
    """The clean copy `build_wheel` built `wheel` from."""
    return wheel.parent.parent / "source"


def wheel_of(source: Path, dist: Path) -> Path:
    """Builds the wheel of a source tree offline, with the build tools of this venv."""
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist),
          str(source)])
    (wheel,) = dist.glob("kedro_ml_structure-*.whl")
    return wheel


def isolated_env(dest: Path, wheel: Path) -> Path:
    """A venv at `dest` with the wheel and its dependencies; returns its python."""
    python = _venv(dest)
    _link_all(python, closure([DISTRIBUTION]))
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
          "--no-deps", "--no-index", str(wheel)])
    return python


def requirements_env(dest: Path, requirements: Path) -> Path:
    """A venv at `dest` holding what the requirements file needs except kedro-ml-structure
    itself (its dependencies are there): the file's own line must bring that, as `pip
    install --no-index -r` on a fresh machine. With pip, setuptools and wheel, to install
    a project offline (`--no-build-isolation`). Returns its python."""
    python = _venv(dest)
    lines = [line.split("#", 1)[0].strip() for line in requirements.read_text().splitlines()]
    wanted = [line for line in lines
              if line and canonicalize_name(Requirement(line).name) != DISTRIBUTION]
    _link_all(python, closure([*wanted, DISTRIBUTION, "pip", "setuptools", "wheel"]))
    return python


def closure(requirements: Iterable[str]) -> Iterator[Distribution]:
    """The installed distributions the requirements name, and what they require,
    transitively (markers evaluated, extras followed where a requirement names them),
    without kedro-ml-structure itself."""
    wanted: dict[str, frozenset[str]] = {}
    todo = [(r.name, frozenset(r.extras)) for r in map(Requirement, requirements)]
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
    wanted.pop(DISTRIBUTION, None)
    return (distribution(key) for key in sorted(wanted))


def _venv(dest: Path) -> Path:
    """A new, empty venv."""
    _run([sys.executable, "-m", "venv", "--without-pip", str(dest)])
    return dest / "bin" / "python"


def _link_all(python: Path, dists: Iterable[Distribution]) -> None:
    probe = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(_run([str(python), "-c", probe]).strip())
    owners = _owners()
    for dist in dists:
        _link(dist, site, owners)
        _commands(dist, python)


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


def _commands(dist: Distribution, python: Path) -> None:
    """The distribution's commands in the new venv's bin: its console scripts written
    again for that venv's python (the installed ones name ours), other files of bin
    (a compiled `ruff`) linked."""
    bin_dir = python.parent
    scripts = {ep.name: ep for ep in dist.entry_points if ep.group == "console_scripts"}
    for name, entry in scripts.items():
        module, _, attribute = entry.value.partition(":")
        target = bin_dir / name
        if not target.exists():
            target.write_text(f"#!{python}\nimport sys\nfrom {module} import "
                              f"{attribute.split('.')[0]}\nsys.exit({attribute}())\n")
            target.chmod(0o755)
    site = Path(str(dist.locate_file(""))).resolve()
    for file in dist.files or ():
        parts = Path(str(file)).parts
        if parts[0] == ".." and len(parts) >= 2 and parts[-2] == "bin" \
                and parts[-1] not in scripts:
            target = bin_dir / parts[-1]
            if not (target.exists() or target.is_symlink()):
                target.symlink_to((site / Path(*parts)).resolve())


def _run(args: list[str]) -> str:
    result = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                            check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {result.returncode}:\n"
                           f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout
