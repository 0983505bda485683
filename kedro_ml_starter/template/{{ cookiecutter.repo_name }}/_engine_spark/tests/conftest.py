"""Fixtures for the stage tests: one Spark session, the shipped raw data, its splits, a
model fitted once, and `engine`, which tells the tests (shared by every engine) how frames
are built and read.

Everything is session-scoped: starting Spark and fitting Spark ML pipelines cost seconds,
so the whole run shares one session (started as `kedro run` starts it) and one fitted
model. Tests read these fixtures and never change them.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

import numpy as np
import pandas as pd
import pytest
from kedro_ml_starter.runtime.spark import start_spark
from kedro_ml_starter.runtime.validation import DataValidationError
from pyspark.ml import PipelineModel
from pyspark.ml.feature import SQLTransformer
from pyspark.sql import DataFrame

from {{ cookiecutter.python_package }}.utils.features import (
    FEATURES,
)

from tests.helpers import (
    RAW_CSV,
    SPLIT_PARAMETERS,
    fit_stages,
    read_raw_csv,
    stage_module,
)
from tests.spark_helpers import read_spark_csv

# Small and quiet: two local threads, two shuffle partitions for 344 rows, no web UI.
TEST_SPARK = {
    "spark.master": "local[2]",
    "spark.app.name": "{{ cookiecutter.repo_name }}-tests",
    "spark.driver.memory": "1g",
    "spark.sql.shuffle.partitions": 2,
    "spark.default.parallelism": 2,
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.enabled": False,
    "spark.ui.showConsoleProgress": False,
    "spark.log.level": "WARN",
}


class SparkEngine:
    """Frames are Spark DataFrames (raw ones all text, as the CSV is read); the Spark
    validator raises DataValidationError, and counts rows instead of naming them; the ONNX
    graph is checked against Spark ML, which serves a model onnxmltools cannot convert."""

    invalid_data = DataValidationError
    library, fallback_runtime = "Spark ML", "spark"
    training = {
        "logistic_regression": {"regParam": 0.0001, "maxIter": 200, "tol": 1e-7}
    }
    split_tolerance = 0.06  # a hash picks each row's part: sampling noise on 342 rows
    balance_tolerance = 0.1
    onnx_tolerance = 1e-5  # the ONNX graph's probabilities against Spark ML's

    def __init__(self, spark: Any) -> None:
        self.spark = spark

    def frame(self, table: pd.DataFrame) -> Any:
        rows = [
            [None if pd.isna(v) else str(v) for v in row] for row in table.to_numpy()
        ]
        schema = ", ".join(f"{name} string" for name in table.columns)
        return self.spark.createDataFrame(rows, schema)

    def table(self, frame: Any) -> pd.DataFrame:
        return frame.toPandas()

    def matrix(self, features: Any) -> np.ndarray:
        """Model inputs, one row per row: the `features` vector."""
        return np.array(
            [row[0].toArray() for row in features.select(FEATURES).collect()]
        )

    def rows(self, positions: list[int]) -> str:
        """How a validation error names these rows: `2 rows`."""
        return f"{len(positions)} row{'s' if len(positions) > 1 else ''}"

    def union(self, frames: tuple[DataFrame, ...]) -> DataFrame:
        return reduce(DataFrame.unionByName, frames)

    def unconvertible(self, fitted: dict[str, Any]) -> tuple[Any, Any, str]:
        """Transformers onnxmltools cannot convert, the model, and the class it names."""
        custom = SQLTransformer(statement="SELECT * FROM __THIS__")
        transformers = PipelineModel(stages=[*fitted["transformers"].stages, custom])
        return transformers, fitted["model"], "pyspark.ml.feature.SQLTransformer"


def pytest_configure(config: pytest.Config) -> None:
    # pyspark warns that it is not yet tested with pandas 3; the tests that hand pandas
    # frames to Spark (predict_frame, the parity check) check the results themselves.
    for message in (
        "PySpark does not yet fully support pandas",
        "The copy keyword is deprecated",
    ):
        config.addinivalue_line("filterwarnings", f"ignore:{message}")


@pytest.fixture(scope="session")
def spark() -> Any:
    session = start_spark(TEST_SPARK)
    yield session
    session.stop()


@pytest.fixture(scope="session")
def engine(spark: Any) -> SparkEngine:
    return SparkEngine(spark)


@pytest.fixture
def raw_table() -> pd.DataFrame:
    """The shipped raw data as a pandas frame (344 rows), for a test to edit."""
    return read_raw_csv(RAW_CSV)


@pytest.fixture(scope="session")
def raw(spark: Any) -> Any:
    """The shipped raw data, as stage 01 receives it (344 rows, every column text)."""
    return read_spark_csv(RAW_CSV).cache()


@pytest.fixture
def split_parameters() -> dict:
    return dict(SPLIT_PARAMETERS)


@pytest.fixture(scope="session")
def clean(raw: Any) -> Any:
    nodes = stage_module("preprocessing")
    return nodes.clean_data(nodes.validate_raw_data(raw), SPLIT_PARAMETERS).cache()


@pytest.fixture(scope="session")
def splits(clean: Any) -> tuple[Any, ...]:
    """Train, eval and test as stage 01 writes them."""
    parts = stage_module("preprocessing").split_data(clean, SPLIT_PARAMETERS)
    return tuple(part.cache() for part in parts)


@pytest.fixture(scope="session")
def fitted(splits: tuple[Any, ...], engine: SparkEngine) -> dict[str, Any]:
    """Transformers, features and model fitted the way stages 02 and 03 do."""
    return fit_stages(splits, engine.training, keep=lambda f: f.cache())
