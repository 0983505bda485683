"""Where a project's parts live, from its pyproject.toml and its manifest.

The writing commands (`add-stage`, `fix`, `init`, `tree`) all need the same few paths,
relative to the project root, so that plans name them the way a user reads them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.manifest import Manifest, Stage, load_manifest, read_pyproject

F = TypeVar("F", bound=Callable[..., Any])


def reads_project(func: F) -> F:
    """Turns an unreadable file or folder met while planning into one clear error line."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OSError as exc:
            where = exc.filename or "the project"
            raise ProjectReadError(
                f"cannot be read ({exc.strerror or exc}); fix its permissions", where
            ) from None
        except UnicodeDecodeError:
            raise ProjectReadError("a project file is not UTF-8 text; fix its encoding") \
                from None

    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class ProjectPaths:
    """A Kedro project's root, package and manifest, with its layout's relative paths."""

    root: Path
    package: str
    source_dir: str
    manifest: Manifest
    pyproject: dict[str, Any]

    @property
    def package_dir(self) -> str:
        return f"{self.source_dir}/{self.package}"

    @property
    def pipelines_dir(self) -> str:
        return f"{self.package_dir}/pipelines"

    @property
    def utils_dir(self) -> str:
        return f"{self.package_dir}/{self.manifest.utils}"

    @property
    def tests_pipelines_dir(self) -> str:
        return f"{self.manifest.tests}/pipelines"

    def stage_dir(self, folder: str) -> str:
        return f"{self.pipelines_dir}/{folder}"

    def stage_tests_dir(self, folder: str) -> str:
        return f"{self.tests_pipelines_dir}/{folder}"

    def data_dir(self, folder: str) -> str:
        return f"{self.manifest.data_root}/{folder}"

    @property
    def has_manifest(self) -> bool:
        return self.manifest.source == "pyproject"

    def stage_exists(self, stage: Stage) -> bool:
        return (self.root / self.stage_dir(stage.folder)).is_dir()


def project_paths(root: Path) -> ProjectPaths:
    """Reads a Kedro project's package name and manifest; a clear error if it is not one."""
    root = Path(root).resolve()
    pyproject = read_pyproject(root)
    kedro = pyproject.get("tool", {}).get("kedro")
    if not isinstance(kedro, dict) or not isinstance(kedro.get("package_name"), str):
        raise ProjectReadError(
            "no [tool.kedro] package_name: run this inside a Kedro project",
            root / "pyproject.toml",
        )
    source_dir = str(kedro.get("source_dir", "src")).strip("/") or "src"
    return ProjectPaths(
        root=root,
        package=kedro["package_name"],
        source_dir=source_dir,
        manifest=load_manifest(root, pyproject),
        pyproject=pyproject,
    )
