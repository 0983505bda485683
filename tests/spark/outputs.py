"""What each stage of a spark project must have written, checked from the files alone.

The checks read Spark's output as a user's other tools would (pandas over pyarrow reads
a folder of part files as one table), and they recompute what they expect from the
shipped raw CSV, not from the project's code.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pandas as pd

SPECIES = {"Adelie", "Chinstrap", "Gentoo"}
NUMBERS = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
RAW_COLUMNS = ["species", "island", *NUMBERS, "sex", "year"]
SPLITS = {"train": "data/02_train/penguins_train.parquet",
          "eval": "data/03_eval/penguins_eval.parquet",
          "test": "data/04_test/penguins_test.parquet"}
FEATURES = {"train": "data/02_train/train_features.parquet",
            "eval": "data/03_eval/eval_features.parquet",
            "test": "data/04_test/test_features.parquet"}
PREDICTIONS = "data/06_scoring/predictions.parquet"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
RAW_ROWS = 344
CLEAN_ROWS = 342  # two raw rows have a species but no measurement at all


def read_parquet_folder(path: Path) -> pd.DataFrame:
    """A Spark parquet output: a folder of part files with a _SUCCESS marker."""
    assert path.is_dir(), f"{path} is not a folder of parquet part files"
    assert (path / "_SUCCESS").is_file(), f"{path} has no _SUCCESS: Spark did not finish"
    assert list(path.glob("part-*.parquet")), f"{path} has no part files"
    return pd.read_parquet(path)


def _rows(frame: pd.DataFrame) -> list[tuple]:
    """Rows as comparable tuples: columns in raw order, missing values as None."""
    ordered = frame[RAW_COLUMNS].astype(object)
    return sorted((tuple(None if pd.isna(v) else v for v in row)
                   for row in ordered.itertuples(index=False)), key=repr)


def clean_raw_rows(project: Path) -> list[tuple]:
    """The raw rows stage 01 keeps: a species and at least one measurement."""
    raw = pd.read_csv(project / "data/01_raw/penguins.csv", na_values=["NA"],
                      keep_default_na=False)
    assert len(raw) == RAW_ROWS
    keep = raw["species"].notna() & raw[NUMBERS].notna().any(axis=1)
    clean = raw[keep].astype({name: float for name in NUMBERS} | {"year": int})
    assert len(clean) == CLEAN_ROWS
    return _rows(clean)


def check_splits(project: Path) -> dict[str, int]:
    """Stage 01: three disjoint parquet splits that together are the cleaned raw rows."""
    frames = {name: read_parquet_folder(project / path) for name, path in SPLITS.items()}
    for name, frame in frames.items():
        assert list(frame.columns) == RAW_COLUMNS, (name, list(frame.columns))
        assert len(frame) > 0, name
    rows = {name: _rows(frame) for name, frame in frames.items()}
    for first, second in (("train", "eval"), ("train", "test"), ("eval", "test")):
        assert not set(rows[first]) & set(rows[second]), f"{first} and {second} share rows"
    everything = sorted((row for part in rows.values() for row in part), key=repr)
    assert everything == clean_raw_rows(project)
    assert {row[0] for row in rows["train"]} == SPECIES
    return {name: len(frame) for name, frame in frames.items()}


def only_version(folder: Path) -> Path:
    """The single version folder Kedro's versioning made under `folder`."""
    versions = sorted(folder.iterdir())
    assert len(versions) == 1, [v.name for v in versions]
    return versions[0]


def check_features(project: Path, sizes: dict[str, int]) -> None:
    """Stage 02: versioned fitted Spark ML transformers, one features table per split."""
    version = only_version(project / "models/feature_transformers")
    saved = version / "feature_transformers"
    assert (saved / "metadata").is_dir() and list((saved / "stages").iterdir()), saved
    metadata = (saved / "metadata").glob("part-*")
    assert any("PipelineModel" in part.read_text() for part in metadata)
    for name, path in FEATURES.items():
        frame = read_parquet_folder(project / path)
        assert len(frame) == sizes[name], name
        assert {"features", "species"} <= set(frame.columns), (name, list(frame.columns))


def check_model(project: Path, sizes: dict[str, int]) -> None:
    """Stage 03: a versioned Spark ML model and metadata describing what it was fitted on,
    and the ONNX graph of transformers + model with the model's version."""
    version = only_version(project / "models/model")
    assert (version / "model" / "metadata").is_dir()
    assert (version / "model" / "stages").is_dir()
    assert (version / "model.complete").is_file()  # the completeness record, written last
    graph = only_version(project / "models/model.onnx")
    assert graph.name == version.name
    assert (graph / "model.onnx").stat().st_size > 1000
    metadata = json.loads((project / "models/model_metadata.json").read_text())
    assert metadata["train_rows"] == sizes["train"]
    assert set(metadata["classes"]) == SPECIES


def check_metrics(project: Path, sizes: dict[str, int]) -> None:
    """Stage 04: metrics a person can trust (eval and test, right row counts) and a PNG."""
    metrics = json.loads((project / "data/05_reporting/metrics.json").read_text())
    parity = metrics["onnx_parity"]  # the served graph, checked against Spark on eval
    assert parity["rows"] == sizes["eval"] and parity["labels_differing"] == 0
    assert parity["max_probability_difference"] < 1e-5
    for split in ("eval", "test"):
        assert metrics[split]["rows"] == sizes[split], split
        assert metrics[split]["accuracy"] > 0.9, (split, metrics[split]["accuracy"])
        assert set(metrics[split]["per_class"]) == SPECIES
    png = (project / "data/05_reporting/confusion_matrix.png").read_bytes()
    assert png.startswith(PNG_MAGIC) and len(png) > 10_000


def new_rows(project: Path) -> list[dict[str, str]]:
    with (project / "data/06_scoring/new_penguins.csv").open(newline="") as stream:
        return list(csv.DictReader(stream))


def check_predictions(project: Path) -> pd.DataFrame:
    """Stage 05: one prediction per new row, a known species, probabilities summing to 1."""
    predictions = read_parquet_folder(project / PREDICTIONS)
    rows = new_rows(project)
    assert len(predictions) == len(rows) > 0
    assert sorted(predictions["island"]) == sorted(row["island"] for row in rows)
    assert set(predictions["predicted_species"]) <= SPECIES
    probabilities = predictions[[f"probability_{s}" for s in sorted(SPECIES)]]
    assert all(math.isclose(total, 1, abs_tol=1e-3) for total in probabilities.sum(axis=1))
    return predictions


def check_all_stages(project: Path) -> None:
    """Every output of stages 01-04, as a full `kedro run` leaves them."""
    sizes = check_splits(project)
    check_features(project, sizes)
    check_model(project, sizes)
    check_metrics(project, sizes)
