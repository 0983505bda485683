"""The project as read, once: the one model every command works on.

`load_project(root)` reads a Kedro project's pyproject.toml (validating `[tool.kedro]`,
once) and its manifest; the `Project` it returns knows where each part of the layout
lives, relative to the root so that findings and plans name paths the way a user reads
them, and reads the rest of the project when first asked, once: the catalog (per
environment), the pipelines (per import mode), the file tree, what DVC restores, what git
ignores. The check's facts (`check/facts.py`) and the writing commands (`add-stage`,
`fix`, `init`, `tree`, `upgrade`) share it, instead of each helper reading the project
again from a path.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from kedro_ml_starter.manifest import Manifest, Stage, load_manifest, read_pyproject
from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.kinds import ImportMode
from kedro_plugin_layout.project.catalog import CatalogConfig, catalog_entries, load_catalog
from kedro_plugin_layout.project.dvc import DvcTracked, dvc_files, read_dvc
from kedro_plugin_layout.project.files import walk
from kedro_plugin_layout.project.gitignore import ignored_paths
from kedro_plugin_layout.project.pipelines import LoadedPipelines, load_stage_pipelines
from kedro_plugin_layout.project.records import CatalogEntry, ProjectFiles

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
class Project:
    """A Kedro project's root, package and manifest, its layout's relative paths, and
    the parts of it read from disk when first asked for (each read once)."""

    root: Path
    package: str
    source_dir: str
    manifest: Manifest
    pyproject: dict[str, Any]
    _reads: dict[Any, Any] = field(default_factory=dict, init=False, repr=False,
                                   compare=False)

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

    def path(self, relative: str) -> Path:
        """The absolute path of a path relative to the root."""
        return self.root / relative

    def relative(self, path: Path | str) -> str:
        """`path` relative to the root, with forward slashes."""
        return PurePosixPath(Path(os.path.relpath(path, self.root))).as_posix()

    def with_manifest(self, manifest: Manifest) -> Project:
        """The same project judged by another manifest (`init`'s inferred one)."""
        return replace(self, manifest=manifest)

    def at(self, root: Path) -> Project:
        """The same project read at another root: a scratch copy of some of its files."""
        return replace(self, root=Path(root).resolve())

    # -- read on first use, once -------------------------------------------------------

    def _read(self, key: Any, read: Callable[[], Any]) -> Any:
        if key not in self._reads:
            self._reads[key] = read()
        return self._reads[key]

    def catalog(self, env: str | None = None) -> CatalogConfig:
        """The catalog config of `env` (default: local) merged over base, as Kedro merges it."""
        return self._read(("catalog", env), lambda: load_catalog(self.root, env))

    def datasets(self, env: str | None = None) -> dict[str, CatalogEntry]:
        """Each catalog entry of `env`: name, type, where it stores data, where it is declared."""
        return self._read(("datasets", env),
                          lambda: catalog_entries(self.root, self.catalog(env)))

    def pipelines(self, mode: ImportMode = ImportMode.AUTO) -> LoadedPipelines:
        """Each manifest stage's pipeline, built by its `create_pipeline()` (imports code)."""
        folders = tuple(stage.folder for stage in self.manifest.stages)
        return self._read(("pipelines", mode, folders),
                          lambda: load_stage_pipelines(self, folders, mode))

    @property
    def files(self) -> ProjectFiles:
        """Every file and folder, tool caches left out; data and models one level deep."""
        shallow = {self.manifest.data_root, self.manifest.models}
        return self._read("files", lambda: walk(self.root, shallow))

    def dvc(self) -> DvcTracked:
        """What DVC restores (`*.dvc` files, `dvc.yaml` stages); nothing, read quickly, in
        a project without DVC."""
        return self._read("dvc", lambda: read_dvc(
            self.root, dvc_files(self.root, self.files.files, self.manifest.data_root)))

    def ignored(self, paths: Iterable[str]) -> dict[str, bool]:
        """Whether git ignores each relative path (asked once per set of paths)."""
        asked = tuple(paths)
        return self._read(("ignored", asked), lambda: ignored_paths(self.root, asked)[0])


def stage_test_file_name(name: str) -> str:
    """`test_<name>_pipeline.py`, a stage's test file: pytest imports test files in
    digit-leading folders by their base name alone, so each needs a name of its own."""
    return f"test_{name}_pipeline.py"


def load_project(root: Path | str, pyproject: Mapping[str, Any] | None = None) -> Project:
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
    return Project(
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
