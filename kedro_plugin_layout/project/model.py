"""Where a project's parts live, from its pyproject.toml and its manifest.

The one model of a project's paths: the check's facts (`source_dir`, `pipelines_dir`,
...) and the writing commands (`add-stage`, `fix`, `init`, `tree`) all read them from
`ProjectPaths`, relative to the project root so that findings and plans name them the
way a user reads them. `[tool.kedro]` is validated here, once.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from kedro_ml_starter.manifest import Manifest, Stage, load_manifest, read_pyproject
from kedro_plugin_layout.errors import ProjectReadError

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
    def kedro(self) -> dict[str, Any]:
        """The `[tool.kedro]` table (package_name, source_dir, ...)."""
        return dict(self.pyproject["tool"]["kedro"])

    @property
    def package_dir(self) -> str:
        return f"{self.source_dir}/{self.package}" if self.source_dir else self.package

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


def project_paths(root: Path, pyproject: Mapping[str, Any] | None = None) -> ProjectPaths:
    """Reads a Kedro project's package name, source folder and manifest; one clear error
    naming pyproject.toml when it is not a Kedro project or `[tool.kedro]` is unusable."""
    root = Path(root).resolve()
    pyproject = dict(read_pyproject(root) if pyproject is None else pyproject)
    path = root / "pyproject.toml"
    kedro = pyproject.get("tool", {}).get("kedro")
    package = kedro.get("package_name") if isinstance(kedro, Mapping) else None
    if not isinstance(package, str):
        raise ProjectReadError(
            "no [tool.kedro] package_name: not a Kedro project; run this inside one or "
            "pass its folder", path,
        )
    if not package.isidentifier():
        raise ProjectReadError(
            f"[tool.kedro] package_name {package!r} is not a Python package name; fix it",
            path,
        )
    return ProjectPaths(
        root=root,
        package=package,
        source_dir=_source_dir(root, kedro.get("source_dir", "src"), path),
        manifest=load_manifest(root, pyproject),
        pyproject=pyproject,
    )


def _source_dir(root: Path, value: Any, path: Path) -> str:
    """`source_dir` relative to the root as a posix path ("" for the root itself)."""
    if not isinstance(value, str) or not value.strip():
        raise ProjectReadError("[tool.kedro] source_dir must be a non-empty string", path)
    relative = os.path.relpath(os.path.normpath(root / value), root)
    if relative == ".." or relative.startswith(f"..{os.sep}"):
        raise ProjectReadError(
            f"[tool.kedro] source_dir {value!r} leaves the project; use a folder inside it",
            path,
        )
    return "" if relative == "." else PurePosixPath(Path(relative)).as_posix()
