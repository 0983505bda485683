"""What each stage of a spark project must have written, checked from the files alone.

The checks read Spark's output as a user's other tools would (pandas over pyarrow reads
a folder of part files as one table), and they recompute what they expect from the raw
CSV and the project's data contract, not from the project's code. They hold for either
task and any column names.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from kedro_ml_starter.runtime import DataContract

SPLITS = {"train": "data/02_train/train.parquet",
          "eval": "data/03_eval/eval.parquet",
          "test": "data/04_test/test.parquet"}
FEATURES = {"train": "data/02_train/train_features.parquet",
            "eval": "data/03_eval/eval_features.parquet",
            "test": "data/04_test/test_features.parquet"}
VECTOR = "_features"  # the model's input vector (utils/features.py)
RAW = "data/01_raw/penguins.csv"
NEW_ROWS = "data/06_scoring/new_penguins.csv"
METRICS = "data/05_reporting/metrics.json"
FIGURE = "data/05_reporting/evaluation.png"
PREDICTIONS = "data/06_scoring/predictions.parquet"
# What each stage writes, and nothing before it has.
STAGE_OUTPUTS = {
    "01_data_preprocessing": tuple(SPLITS.values()),
    "02_feature_engineering": ("models/feature_transformers", *FEATURES.values()),
    "03_model_training": ("models/model", "models/model.onnx", "models/model_metadata.json"),
    "04_model_evaluation": (METRICS, FIGURE, "models/verdicts"),
    "05_api": (PREDICTIONS,),
}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def present(project: Path) -> set[str]:
    """Which of the stages' outputs exist in `project`."""
    return {path for paths in STAGE_OUTPUTS.values() for path in paths
            if (project / path).exists()}


def read_parquet_folder(path: Path) -> pd.DataFrame:
    """A Spark parquet output: a folder of part files with a _SUCCESS marker."""
    assert path.is_dir(), f"{path} is not a folder of parquet part files"
    assert (path / "_SUCCESS").is_file(), f"{path} has no _SUCCESS: Spark did not finish"
    assert list(path.glob("part-*.parquet")), f"{path} has no part files"
    return pd.read_parquet(path)


def read_csv(path: Path) -> pd.DataFrame:
    """A raw CSV as the pandas engine's catalog reads it (`NA` and blanks missing)."""
    return pd.read_csv(path, na_values=["NA", ""], keep_default_na=False)


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """Rows as comparable tuples: the contract's columns in order, missing values as None."""
    ordered = frame[columns].astype(object)
    return sorted((tuple(None if pd.isna(v) else v for v in row)
                   for row in ordered.itertuples(index=False)), key=repr)


def clean_raw_rows(project: Path, contract: DataContract) -> list[tuple]:
    """The raw rows stage 01 keeps: a target and at least one feature value."""
    raw = read_csv(project / RAW)
    keep = raw[contract.target].notna() & raw[list(contract.feature_names)].notna().any(axis=1)
    return _rows(raw[keep], list(contract.names))


def check_splits(project: Path) -> dict[str, int]:
    """Stage 01: three disjoint parquet splits that together are the cleaned raw rows."""
    contract = DataContract.load(project)
    names = list(contract.names)
    frames = {name: read_parquet_folder(project / path) for name, path in SPLITS.items()}
    for name, frame in frames.items():
        assert list(frame.columns) == names, (name, list(frame.columns))
        assert len(frame) > 0, name
    rows = {name: _rows(frame, names) for name, frame in frames.items()}
    for first, second in (("train", "eval"), ("train", "test"), ("eval", "test")):
        assert not set(rows[first]) & set(rows[second]), f"{first} and {second} share rows"
    everything = sorted((row for part in rows.values() for row in part), key=repr)
    assert everything == clean_raw_rows(project, contract)
    if contract.classification:
        assert set(frames["train"][contract.target]) == set(contract.classes)
    return {name: len(frame) for name, frame in frames.items()}


def complete_versions(folder: Path) -> list[str]:
    """The version folders under models/<dataset> with their completeness record (a run
    killed while saving leaves a version without one)."""
    return sorted(v.name for v in folder.iterdir() if (v / f"{folder.name}.complete").is_file())


def only_version(folder: Path) -> Path:
    """The single complete version folder Kedro's versioning made under `folder`."""
    versions = complete_versions(folder)
    assert len(versions) == 1, versions
    return folder / versions[0]


def check_features(project: Path, sizes: dict[str, int]) -> None:
    """Stage 02: versioned fitted Spark ML transformers, one features table per split."""
    target = DataContract.load(project).target
    version = only_version(project / "models/feature_transformers")
    saved = version / "feature_transformers"
    assert (saved / "metadata").is_dir() and list((saved / "stages").iterdir()), saved
    metadata = (saved / "metadata").glob("part-*")
    assert any("PipelineModel" in part.read_text() for part in metadata)
    for name, path in FEATURES.items():
        frame = read_parquet_folder(project / path)
        assert len(frame) == sizes[name], name
        assert list(frame.columns) == [VECTOR, target], (name, list(frame.columns))


def check_model(project: Path, sizes: dict[str, int]) -> None:
    """Stage 03: a versioned Spark ML model and metadata describing what it was fitted on,
    and the ONNX graph of transformers + model with the model's version."""
    contract = DataContract.load(project)
    version = only_version(project / "models/model")
    assert (version / "model" / "metadata").is_dir()
    assert (version / "model" / "stages").is_dir()
    assert (version / "model.complete").is_file()  # the completeness record, written last
    graph = only_version(project / "models/model.onnx")
    assert graph.name == version.name
    assert (graph / "model.onnx").stat().st_size > 500
    metadata = json.loads((project / "models/model_metadata.json").read_text())
    assert metadata["train_rows"] == sizes["train"]
    assert metadata["classes"] == list(contract.classes)
    assert metadata["task"] == contract.task


def check_metrics(project: Path, sizes: dict[str, int]) -> dict:
    """Stage 04: metrics a person can trust (eval and test, right row counts), the served
    graph checked against Spark, and the figure."""
    contract = DataContract.load(project)
    metrics = json.loads((project / METRICS).read_text())
    assert (metrics["task"], metrics["target"]) == (contract.task, contract.target)
    parity = metrics["onnx_parity"]  # the served graph, checked against Spark on eval
    assert parity["checked"] and parity["rows"] == sizes["eval"]
    for split in ("eval", "test"):
        result = metrics[split]
        assert result["rows"] == sizes[split], split
        if contract.classification:
            assert result["accuracy"] > 0.9, (split, result)
            assert set(result["per_class"]) == set(contract.classes)
        else:
            assert result["r2"] > 0.7 and 0 < result["mae"] <= result["rmse"], (split, result)
    if contract.classification:
        assert parity["labels_differing"] == 0 and parity["max_probability_difference"] < 1e-5
    else:
        assert parity["max_relative_difference"] < 1e-5
    png = (project / FIGURE).read_bytes()
    assert png.startswith(PNG_MAGIC) and len(png) > 10_000
    return metrics


def check_predictions(project: Path) -> pd.DataFrame:
    """Stage 05: one prediction per new row, next to its inputs: a known class with
    probabilities summing to 1, or a number; every row scored by the newest complete
    model version stage 04 promoted."""
    contract = DataContract.load(project)
    predictions = read_parquet_folder(project / PREDICTIONS)
    rows = read_csv(project / NEW_ROWS)
    assert len(predictions) == len(rows) > 0
    inputs = list(rows.columns)
    assert list(predictions.columns) == [*inputs, *contract.output_columns, "model_version"]
    verdicts = project / "models" / "verdicts"
    promoted = [v for v in complete_versions(project / "models" / "model")
                if json.loads((verdicts / f"{v}.json").read_text())["promoted"]]
    assert promoted and set(predictions["model_version"]) == {promoted[-1]}
    assert _rows(predictions, inputs) == _rows(rows, inputs)
    predicted = predictions[contract.prediction_column]
    if contract.classification:
        assert set(predicted) <= set(contract.classes)
        totals = predictions[list(contract.probability_columns)].sum(axis=1)
        assert all(math.isclose(total, 1, abs_tol=1e-3) for total in totals)
    else:
        assert all(math.isfinite(value) for value in predicted)
    return predictions


def check_all_stages(project: Path) -> dict:
    """Every output of stages 01-04; returns the metrics."""
    sizes = check_splits(project)
    check_features(project, sizes)
    check_model(project, sizes)
    return check_metrics(project, sizes)
