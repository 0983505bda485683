"""Helpers shared by the end-to-end tests: run commands as a user would, hash trees."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
KEDRO = str(BIN / "kedro")
PYTHON = sys.executable
PROJECT_NAME = "Penguin Lab"
PACKAGE = "penguin_lab"
REPO = "penguin-lab"


def env(**extra: str) -> dict[str, str]:
    """The environment a test runs Kedro in: no telemetry, no colour, our venv first, no
    MLflow store but the project's own."""
    out = dict(os.environ)
    out.pop("MLFLOW_TRACKING_URI", None)
    out.update(
        KEDRO_DISABLE_TELEMETRY="1",
        DO_NOT_TRACK="1",
        MLFLOW_DISABLE_TELEMETRY="true",  # MLflow does not read DO_NOT_TRACK=1
        NO_COLOR="1",
        PATH=f"{BIN}{os.pathsep}{out.get('PATH', '')}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    out.pop("PYTHONPATH", None)
    out.update(extra)
    return out


def run(
    args: list[str], cwd: Path, *, check: bool = False, timeout: float = 600, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    """Runs a command with stdin closed (as in CI) and returns its result, output captured."""
    result = subprocess.run(
        args,
        cwd=cwd,
        env=env(**extra_env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited {result.returncode}\n"
            f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"
        )
    return result


def kedro(args: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess[str]:
    return run([KEDRO, *args], cwd, **kwargs)


def new_project(parent: Path, name: str = PROJECT_NAME, config: dict | None = None) -> Path:
    """`kedro new --starter=ml-structure` in `parent`, stdin closed; returns the project path."""
    args = ["new", "--starter=ml-structure"]
    if config is None:
        args += ["--name", name]
    else:
        import yaml

        config_file = parent / "kedro-new-config.yml"
        config_file.write_text(yaml.safe_dump(config))
        args += ["--config", str(config_file)]
    kedro(args, parent, check=True)
    config = config or {}
    project_name = config.get("project_name", name)
    repo = config.get("repo_name") or project_name.strip().replace(" ", "-").replace("_", "-").lower()
    return parent / repo


def copy_project(src: Path, dest_parent: Path) -> Path:
    dest = dest_parent / src.name
    shutil.copytree(src, dest, symlinks=True)
    return dest


def tree_hashes(root: Path) -> dict[str, str]:
    """Every file under root (relative path → sha256), to prove a command changed nothing.

    Git's own folder is left out: `git status` refreshes its index without changing a file.
    """
    out = {}
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if path.is_file() and "__pycache__" not in parts and ".git" not in parts:
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def script(name: str):
    """`scripts/<name>.py` of this repository as a module (scripts/ is not a package)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fail_plan_at(monkeypatch, call: int, error: BaseException) -> None:
    """Makes the `call`-th operation a `Plan` applies (counting from 1) raise `error`."""
    from kedro_plugin_layout.edits import plan

    real_apply = plan._apply_one
    calls = []

    def flaky(op, root):
        calls.append(op)
        if len(calls) == call:
            raise error
        return real_apply(op, root)

    monkeypatch.setattr(plan, "_apply_one", flaky)
