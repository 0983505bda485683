"""Stages 01-04 of a generated project without Kedro: the baseline of pipeline_scale.py.

The same node functions, called in the order `kedro run` calls them, with the same
parameters, the same files and the same pandas/pickle/json/matplotlib I/O as the catalog.
Every dataset the catalog persists is written and read back, as `kedro run` does; what
the catalog keeps in memory stays in memory and is dropped once used. What remains is
what Kedro adds: its start-up, config loading, catalog, runner, hooks and logging.

    python benchmarks/plain_pipeline.py PROJECT OUTPUT_ROOT
"""

from __future__ import annotations

import importlib
import json
import pickle
import sys
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

STAGES = ("01_data_preprocessing", "02_feature_engineering", "03_model_training",
          "04_model_evaluation")


class Files:
    """The catalog's datasets at their catalog paths, read and written without Kedro."""

    def __init__(self, project: Path, output_root: Path) -> None:
        self.catalog = yaml.safe_load((project / "conf/base/catalog.yml").read_text())
        self.project, self.output_root = project, output_root
        self.memory: dict[str, Any] = {}

    def _path(self, name: str, reading: bool) -> Path:
        root = self.project if reading and name == "raw_data" else self.output_root
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
            return self.memory.pop(name)
        path = self._path(name, reading=True)
        if kind == "pandas.CSVDataset":
            return pd.read_csv(path, **entry.get("load_args", {}))
        if kind == "pandas.ParquetDataset":
            return pd.read_parquet(path, **entry.get("load_args", {}))
        with open(path, "rb") as handle:
            return pickle.load(handle) if kind.endswith("PickleDataset") else json.load(handle)

    def save(self, name: str, data: Any) -> None:
        entry = self._entry(name)
        kind, args = entry["type"], entry.get("save_args", {})
        if kind == "MemoryDataset":
            self.memory[name] = data
            return
        path = self._path(name, reading=False)
        if kind == "pandas.ParquetDataset":
            data.to_parquet(path, **args)
        elif kind.endswith("PickleDataset"):
            path.write_bytes(pickle.dumps(data))
        elif kind == "json.JSONDataset":
            path.write_text(json.dumps(data, **args))
        elif kind == "matplotlib.MatplotlibDataset":
            data.savefig(path, **args)
        else:
            raise ValueError(f"{name}: no plain writer for {kind}")

    def save_all(self, names: list[str], outputs: tuple) -> None:
        for name, data in zip(names, outputs):
            self.save(name, data)


def parameters(project: Path) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in sorted((project / "conf/base").glob("parameters*.yml")):
        merged.update(yaml.safe_load(path.read_text()) or {})
    return merged


def run(project: Path, output_root: Path) -> None:
    package = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["kedro"][
        "package_name"
    ]
    sys.path.insert(0, str(project / "src"))
    s01, s02, s03, s04 = (
        importlib.import_module(f"{package}.pipelines.{stage}.nodes") for stage in STAGES
    )
    files, params = Files(project, output_root), parameters(project)
    prep = params["data_preprocessing"]

    data = params["data_contract"]
    files.save("validated_rows", s01.validate_raw_data(files.load("raw_data"), data))
    files.save("clean_rows", s01.clean_data(files.load("validated_rows"), data, prep))
    files.save_all(["train_split", "eval_split", "test_split"],
                   s01.split_data(files.load("clean_rows"), data, prep))

    files.save("feature_transformers", s02.fit_transformers(
        files.load("train_split"), data, params["feature_engineering"]))
    for split in ("eval", "test", "train"):
        files.save(f"{split}_features", s02.transform_split(
            files.load(f"{split}_split"), files.load("feature_transformers"), data))

    files.save_all(["model", "model_metadata"], s03.train_model(
        files.load("train_features"), data, params["model_training"]))

    model, evaluation, test = (files.load(name) for name in ("model", "eval_features",
                                                             "test_features"))
    files.save("metrics", s04.evaluate_model(model, evaluation, test, data))
    files.save("evaluation_plot", s04.plot_evaluation(files.load("metrics"), model,
                                                      evaluation, test, data))

if __name__ == "__main__":
    run(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve())
