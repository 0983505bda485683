"""The default pipeline of a generated project without Kedro's machinery: the baseline of
pipeline_scale.py.

The project's own nodes, read from its stages' `create_pipeline()` (the stages of its
`[tool.kedro_layout]` manifest, the serving stage left out, as `kedro run` leaves it
out), run in the pipeline's order with the same parameters, the same files and the same
pandas/pickle/json/matplotlib I/O as the catalog; the fitted objects under models/ go
through the runtime's own encoding, unversioned. Every dataset the catalog persists is
written and read back by each node that needs it, as `kedro run` does; what the catalog
keeps in memory stays in memory until its last reader has run. What remains is what Kedro
adds: its session, config loading, catalog, runner, hooks and logging. Only Kedro's
node model is imported (`kedro.pipeline`, ~0.1 s), to read the graph.

    python benchmarks/plain_pipeline.py PROJECT OUTPUT_ROOT
"""

from __future__ import annotations

import importlib
import json
import pickle
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from kedro_ml_starter.kinds import StageRole
from kedro_ml_starter.manifest import load_manifest
from kedro_ml_starter.runtime import ModelVersions


PLAIN_VERSION = "plain"  # the model version of the baseline's single unversioned run


class Files:
    """The catalog's datasets at their catalog paths, read and written without Kedro.

    Inputs that exist under the project (the raw data) are read there; everything a node
    writes goes under `output_root`, and is read back from there.
    """

    def __init__(self, project: Path, output_root: Path) -> None:
        self.catalog = yaml.safe_load((project / "conf/base/catalog.yml").read_text())
        self.project, self.output_root = project, output_root
        self.memory: dict[str, Any] = {}
        self.written: set[str] = set()

    def _path(self, name: str, reading: bool) -> Path:
        root = self.output_root if name in self.written or not reading else self.project
        path = root / self.catalog[name]["filepath"]
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def _entry(self, name: str) -> dict[str, Any]:
        """Like Kedro: a dataset the catalog does not declare is held in memory."""
        return self.catalog.get(name) or {"type": "MemoryDataset"}

    def load(self, name: str) -> Any:
        entry = self._entry(name)
        kind = entry["type"]
        if kind == "MemoryDataset":
            return self.memory[name]
        path = self._path(name, reading=True)
        if kind == "pandas.CSVDataset":
            return pd.read_csv(path, **entry.get("load_args", {}))
        if kind == "pandas.ParquetDataset":
            return pd.read_parquet(path, **entry.get("load_args", {}))
        if kind == "pickle.PickleDataset":
            return pickle.loads(path.read_bytes())
        if kind == "json.JSONDataset":
            return json.loads(path.read_text())
        if kind.endswith("ModelVersionsDataset"):
            # one unversioned run: its model is the only version, with no verdict yet, so
            # stage 04 judges it against the naive baseline alone (no model to load)
            return ModelVersions([PLAIN_VERSION], {})
        return _runtime_dataset(name, kind)._decode(path.read_bytes(), {})

    def save(self, name: str, data: Any) -> None:
        entry = self._entry(name)
        kind, args = entry["type"], entry.get("save_args", {})
        if kind == "MemoryDataset":
            self.memory[name] = data
            return
        path = self._path(name, reading=False)
        self.written.add(name)
        if kind == "pandas.CSVDataset":
            data.to_csv(path, **args)
        elif kind == "pandas.ParquetDataset":
            data.to_parquet(path, **args)
        elif kind == "pickle.PickleDataset":
            path.write_bytes(pickle.dumps(data))
        elif kind == "json.JSONDataset":
            path.write_text(json.dumps(data, **args))
        elif kind == "matplotlib.MatplotlibDataset":
            data.savefig(path, **args)
        elif kind.endswith("ModelVersionsDataset"):  # stage 04's verdict, unversioned
            path.write_text(json.dumps(data.to_json()))  # like the models: one file
        else:
            content, _ = _runtime_dataset(name, kind)._encode(data)
            path.write_bytes(content)

    def drop(self, name: str) -> None:
        self.memory.pop(name, None)


def _runtime_dataset(name: str, kind: str) -> Any:
    """A kedro-ml-structure dataset class (models/): its own encoding, without Kedro's
    versioning. Any other type stops the baseline, naming the dataset."""
    module, _, attribute = kind.rpartition(".")
    cls = getattr(importlib.import_module(module), attribute, None) if module else None
    if cls is None or not hasattr(cls, "_encode"):
        raise ValueError(f"{name}: no plain reader or writer for {kind}; add one to "
                         "benchmarks/plain_pipeline.py")
    return cls.__new__(cls)


def parameters(project: Path) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in sorted((project / "conf/base").glob("parameters*.yml")):
        merged.update(yaml.safe_load(path.read_text()) or {})
    return merged


def parameter(params: dict[str, Any], name: str) -> Any:
    """`params:a.b` as Kedro resolves it; `parameters` is all of them."""
    if name == "parameters":
        return params
    value: Any = params
    for key in name.removeprefix("params:").split("."):
        value = value[key]
    return value


def default_pipeline(project: Path) -> Any:
    """The stages `kedro run` runs (all but serving), as one pipeline of the project's nodes."""
    from kedro.pipeline import Pipeline

    package = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["kedro"][
        "package_name"]
    sys.path.insert(0, str(project / "src"))
    stages = [stage.folder for stage in load_manifest(project).stages
              if stage.role != StageRole.SERVING]
    return sum((importlib.import_module(f"{package}.pipelines.{folder}.pipeline")
                .create_pipeline() for folder in stages), Pipeline([]))


def run(project: Path, output_root: Path) -> None:
    pipeline = default_pipeline(project)
    files, params = Files(project, output_root), parameters(project)
    readers = Counter(name for node in pipeline.nodes for name in node.inputs)
    for node in pipeline.nodes:
        inputs = {name: parameter(params, name) if name.startswith("params:")
                  or name == "parameters" else files.load(name) for name in node.inputs}
        for name, data in node.run(inputs).items():
            files.save(name, data)
        for name in node.inputs:
            readers[name] -= 1
            if readers[name] == 0:
                files.drop(name)


if __name__ == "__main__":
    run(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve())
