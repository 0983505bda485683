"""KL3xx placement: data lives in the numbered data folders, models in models/, and
neither data files nor notebooks sit in the package source."""

from __future__ import annotations

import re

from kedro_plugin_layout.facts import CatalogEntry, ProjectFiles, storage_of
from kedro_plugin_layout.manifest import Manifest
from kedro_plugin_layout.rules.base import Finding, Outcome, Rule, failures

DATA_SUFFIXES = frozenset({
    ".csv", ".tsv", ".parquet", ".pq", ".pickle", ".pkl", ".joblib", ".feather", ".arrow",
    ".xlsx", ".xls", ".h5", ".hdf5", ".hdf", ".npy", ".npz", ".orc", ".avro", ".sav",
    ".dta", ".sqlite", ".db", ".onnx", ".pt", ".pth", ".ckpt", ".safetensors", ".tfrecord",
})
# Dataset types that serialize Python objects: what models and fitted transformers use.
MODEL_TYPE_HINTS = ("pickle", "joblib", "mlflowmodel", "model", "torch", "tensorflow", "keras",
                    "onnx")
# Dataset types that store tables, metrics or figures: never a model, whatever the name.
DATA_TYPE_HINTS = ("csv", "parquet", "json", "yaml", "text", "excel", "feather", "matplotlib",
                   "plotly", "image", "html", "sql", "delta", "spark", "polars.", "memory",
                   "partitioned", "hdf", "xml", "gbq", "ibis", "pandas.", "metrics")
_MODEL_WORDS = re.compile(r"(?:^|[_.\-])(models?|transformers?|estimators?|regressors?|"
                          r"classifiers?|encoders?|scalers?|imputers?)(?:$|[_.\-])")


class PlacementRule(Rule):
    family = "placement"


def is_model_dataset(entry: CatalogEntry) -> bool:
    """A serialized model or fitted transformer: a pickle/joblib/model type, or a name that
    says model/transformer on a type that is not a table, metric or figure."""
    kind = entry.type.lower()
    if any(hint in kind for hint in DATA_TYPE_HINTS):
        return False
    return any(hint in kind for hint in MODEL_TYPE_HINTS) or bool(_MODEL_WORDS.search(entry.name))


def _where(entry: CatalogEntry) -> str:
    return f" ({entry.source}:{entry.line})" if entry.source else ""


class KL301(PlacementRule):
    """Every catalog dataset with a file path writes inside the project."""

    def check(self, *, datasets: dict[str, CatalogEntry]) -> Outcome:
        return failures(
            Finding(
                f"dataset `{e.name}` stores `{e.filepath}` outside the project{_where(e)}: use "
                "a path relative to the project root, under a numbered data folder or models/ "
                "(or add an ignore with a reason for KL301 to [tool.kedro_layout])",
                e.source, e.line,
            )
            for e in datasets.values() if e.outside
        )


class KL302(PlacementRule):
    """Every dataset file path is under a data folder of the manifest or under models/."""

    def check(self, *, datasets: dict[str, CatalogEntry], manifest: Manifest) -> Outcome:
        folders = ", ".join(f"{manifest.data_root}/{d.folder}/" for d in manifest.data)
        return failures(
            Finding(
                f"dataset `{e.name}` stores `{e.filepath}`{_where(e)}, which is in no layout "
                f"folder: move it under one of {folders} or {manifest.models}/ (or add the "
                "folder to [[tool.kedro_layout.data]])",
                e.source, e.line,
            )
            for e in datasets.values()
            if e.location is not None and storage_of(e.location, manifest).folder is None
            and not _contains_layout_folder(e.location, manifest)
        )


class KL303(PlacementRule):
    """Models and fitted transformers (pickle/joblib/model datasets) are stored under models/."""

    def check(self, *, datasets: dict[str, CatalogEntry], manifest: Manifest) -> Outcome:
        return failures(
            Finding(
                f"dataset `{e.name}` ({e.type}) looks like a model or fitted transformer but "
                f"stores `{e.filepath}`{_where(e)}: store it under {manifest.models}/ "
                "(versioned: true keeps every trained version)",
                e.source, e.line,
            )
            for e in datasets.values()
            if e.location is not None and is_model_dataset(e)
            and storage_of(e.location, manifest).role != "models"
        )


class KL304(PlacementRule):
    """No data files (csv, parquet, pickle, ...) under the source folder."""

    def check(self, *, files: ProjectFiles, source_dir: str) -> Outcome:
        return failures(
            Finding(
                f"data file `{path}` is inside the source folder: move it to a numbered data "
                "folder (or models/) and declare it in conf/base/catalog.yml", path,
            )
            for path in files.under(source_dir)
            if _suffix(path) in DATA_SUFFIXES
        )


class KL305(PlacementRule):
    """No notebooks (.ipynb) under the source folder."""

    def check(self, *, files: ProjectFiles, source_dir: str, manifest: Manifest) -> Outcome:
        return failures(
            Finding(
                f"notebook `{path}` is inside the source folder: move it to "
                f"{manifest.notebooks}/ and keep reusable code in the package", path,
            )
            for path in files.under(source_dir) if path.endswith(".ipynb")
        )


def _suffix(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return f".{name.rsplit('.', 1)[-1].lower()}" if "." in name else ""


def _contains_layout_folder(location: str, manifest: Manifest) -> bool:
    """A pattern's fixed prefix such as `data/` may hold the layout folders below it."""
    prefix = f"{location.rstrip('/')}/"
    folders = [f"{manifest.data_root}/{d.folder}" for d in manifest.data] + [manifest.models]
    return any(f.startswith(prefix) for f in folders)
