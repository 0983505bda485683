"""KL3xx placement: data lives in the numbered data folders, models in models/, and
neither data files nor notebooks sit in the package source."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kedro_ml_starter.manifest import Manifest
from kedro_plugin_layout.check.rules.base import Finding, Outcome, Rule, failures
from kedro_plugin_layout.project.catalog import storage_of
from kedro_plugin_layout.project.datafiles import find_data
from kedro_plugin_layout.project.layers import layer_problem
from kedro_plugin_layout.project.model_datasets import is_model_dataset
from kedro_plugin_layout.project.records import MODEL_ROLE, CatalogEntry, ProjectFiles, dataset_base

_DEFAULT_ENVS = (None, "base", "local")


class PlacementRule(Rule):
    family = "placement"


def _where(entry: CatalogEntry) -> str:
    return f" ({entry.source}:{entry.line})" if entry.source else ""


def _datasets(entries: Iterable[CatalogEntry]) -> Iterator[tuple[CatalogEntry, str]]:
    """Each dataset once, with how to name it: transcoded entries (`x@spark`, `x@pandas`)
    that store the same path are one dataset, reported at the first entry's line."""
    groups: dict[tuple[str, str | None], list[CatalogEntry]] = {}
    for entry in entries:
        groups.setdefault((dataset_base(entry.name), entry.filepath), []).append(entry)
    for first, *others in groups.values():
        also = f" (and {', '.join(f'`{e.name}`' for e in others)})" if others else ""
        yield first, f"`{first.name}`{also}"


def _outside_advice(entry: CatalogEntry, env: str | None) -> str:
    """Cluster storage is right for a cluster run, set in its own environment's files:
    the fix depends on which run it is and where the path is set."""
    ignore = "add an ignore with a reason for KL301 to [tool.kedro_layout]"
    set_in = entry.path_set_at.path if entry.path_set_at else entry.source or ""
    if env not in _DEFAULT_ENVS and set_in.startswith(f"conf/{env}/"):
        check = (f"check the layout without `--env` (conf/base and conf/local), or {ignore} "
                 "when CI checks this environment")
        if entry.remote:
            return f"in remote storage, as a cluster environment (`--env {env}`) may: {check}"
        return (f"in shared storage, as a cluster environment (`--env {env}`) may when every "
                f"machine of the cluster mounts it at this path: {check}")
    if entry.remote or entry.path_set_at is not None:
        kind = "remote" if entry.remote else "shared"
        return (f"in {kind} storage: keep project-relative paths in conf/base and put cluster "
                "or cloud paths in a run environment of their own (conf/<env>/, used with "
                f"`kedro run --env <env>`), or {ignore}")
    return ("use a path relative to the project root, under a numbered data folder or "
            f"models/ (or {ignore})")


def _path_at(entry: CatalogEntry) -> str:
    """Where the entry is declared, and where its path is set when that is elsewhere."""
    set_at = entry.path_set_at
    if set_at is None or not entry.source:
        return _where(entry)
    return (f" ({entry.source}:{entry.line}, its path from `{entry.path_key}` at "
            f"{set_at.path}:{set_at.line})")


class KL301(PlacementRule):
    """Every catalog dataset with a file path writes inside the project.

    Absolute paths elsewhere, paths that climb out with `..`, and remote storage
    (`s3://...`) are outside. A finding points at the file and line where the path is
    set: the catalog entry, or the key its path starts with (`data_root` of
    `conf/<env>/globals.yml` for `${globals:data_root}/...`). Remote or shared storage set
    in a run environment's own files is what a cluster environment is for: with `--env`,
    the advice says so.
    """

    fix = ("Use a path relative to the project root, under a numbered data folder or `models/`; "
           "keep cluster or cloud paths in a run environment of their own (`conf/<env>/`, used "
           "with `kedro run --env <env>`), or ignore KL301 with a reason.")

    def check(self, *, datasets: dict[str, CatalogEntry], env: str | None) -> Outcome:
        return failures(
            Finding(
                f"dataset {named} stores `{e.filepath}` outside the project{_path_at(e)}: "
                f"{_outside_advice(e, env)}",
                *((e.path_set_at.path, e.path_set_at.line, e.path_set_at.column)
                  if e.path_set_at else (e.source, e.line, e.column)),
            )
            for e, named in _datasets(e for e in datasets.values() if e.outside)
        )


class KL302(PlacementRule):
    """Every dataset file path is under a data folder of the manifest or under models/."""

    fix = ("Move the file under a data folder of the manifest or `models/`, or add its folder to "
           "`[[tool.kedro_layout.data]]`.")

    def check(self, *, datasets: dict[str, CatalogEntry], manifest: Manifest) -> Outcome:
        folders = ", ".join(f"{manifest.data_root}/{d.folder}/" for d in manifest.data)
        return failures(
            Finding(
                f"dataset {named} stores `{e.filepath}`{_where(e)}, which is in no layout "
                f"folder: move it under one of {folders} or {manifest.models}/ (or add the "
                "folder to [[tool.kedro_layout.data]])",
                e.source, e.line, e.column,
            )
            for e, named in _datasets(
                e for e in datasets.values()
                if e.location is not None and storage_of(e.location, manifest).folder is None
                and not _contains_layout_folder(e.location, manifest)
            )
        )


class KL303(PlacementRule):
    """Models and fitted transformers (model datasets, pickles named as models) are under models/.

    A dataset counts as a model or fitted transformer when its type is made for models
    (MLflow, Spark ML, TensorFlow, ONNX, ...), or when it pickles an object (pickle,
    joblib) or has a type of its own and its name says model, regressor, classifier,
    transformer, encoder, scaler, ... with no word for data (`df`, `table`, `config`,
    `plot`, `features`, ...). A pickled DataFrame, config or figure is not a model.
    """

    fix = ("Store the dataset under `models/` (with `versioned: true` to keep every trained "
           "version).")

    def check(self, *, datasets: dict[str, CatalogEntry], manifest: Manifest) -> Outcome:
        return failures(
            Finding(
                f"dataset {named} ({e.type}) looks like a model or fitted transformer but "
                f"stores `{e.filepath}`{_where(e)}: store it under {manifest.models}/ "
                "(versioned: true keeps every trained version)",
                e.source, e.line, e.column,
            )
            for e, named in _datasets(
                e for e in datasets.values()
                if e.location is not None and is_model_dataset(e)
                and storage_of(e.location, manifest).role != MODEL_ROLE
            )
        )


class KL304(PlacementRule):
    """No data files (csv, parquet, pickle, Spark part-file directories) under the source folder.

    Data files are csv, parquet, pickle, joblib, feather, xlsx, h5, npy and the like; a
    directory of part files as Spark writes it is reported once, as one dataset.
    """

    fix = ("Move the file, or the whole directory Spark wrote, to a numbered data folder or "
           "`models/`, and declare it in `conf/base/catalog.yml`.")

    def check(self, *, files: ProjectFiles, source_dir: str) -> Outcome:
        data = find_data(files.under(source_dir), source_dir)
        findings = [
            Finding(
                f"data file `{path}` is inside the source folder: move it to a numbered data "
                "folder (or models/) and declare it in conf/base/catalog.yml", path,
            )
            for path in data.files
        ] + [
            Finding(
                f"dataset directory `{path}/` ({count} data file{'s' if count != 1 else ''}, "
                "as Spark writes them) is inside the source folder: move the whole directory "
                "to a numbered data folder (or models/) and declare it in "
                "conf/base/catalog.yml", path,
            )
            for path, count in data.directories.items()
        ]
        return failures(sorted(findings, key=lambda f: f.path or ""))


class KL305(PlacementRule):
    """No notebooks (.ipynb) under the source folder."""

    fix = "Move the notebook to the notebooks folder and keep reusable code in the package."

    def check(self, *, files: ProjectFiles, source_dir: str, manifest: Manifest) -> Outcome:
        return failures(
            Finding(
                f"notebook `{path}` is inside the source folder: move it to "
                f"{manifest.notebooks}/ and keep reusable code in the package", path,
            )
            for path in files.under(source_dir) if path.endswith(".ipynb")
        )


class KL306(PlacementRule):
    """Each dataset's kedro-viz layer is its data folder (`models` or none in models/).

    Kedro's unnumbered spelling of the folder (`train` for `02_train`) is accepted too; a
    dataset under `models/` has the layer `models` or none. Reported at the catalog entry.
    """

    fix = ("Set the entry's `metadata: kedro-viz: layer:` to its data folder (`02_train`), or run "
           "`kedro layout fix`, which adds a missing layer (not in a flow-style entry).")

    def check(self, *, datasets: dict[str, CatalogEntry], manifest: Manifest) -> Outcome:
        findings = []
        for e in datasets.values():
            problem = layer_problem(e, manifest)
            if problem is not None:
                what, fix = problem
                findings.append(Finding(f"{what}{_where(e)}: {fix}", e.source, e.line, e.column))
        return failures(findings)


def _contains_layout_folder(location: str, manifest: Manifest) -> bool:
    """A pattern's fixed prefix such as `data/` may hold the layout folders below it."""
    prefix = f"{location.rstrip('/')}/"
    folders = [f"{manifest.data_root}/{d.folder}" for d in manifest.data] + [manifest.models]
    return any(f.startswith(prefix) for f in folders)
