"""Fixtures for the stage tests on Spark: one Spark session, the project's raw data as
stage 01 reads it, its splits, a model fitted once, and `engine`, which tells the tests
(shared by every engine) how frames are built and read.

Starting Spark and fitting Spark ML pipelines cost seconds, so the whole run shares one
small session (started before the tests are collected, so opening the project reuses it)
and one fitted model. Tests read these fixtures and never change them.
"""

from __future__ import annotations

import random
from functools import reduce
from typing import Any

import numpy as np
import pandas as pd
import pytest
from kedro_ml_starter.runtime import (
    DataValidationError,
    spark_column,
    spark_quoted,
    start_spark,
)
from pyspark.ml import PipelineModel
from pyspark.ml.feature import SQLTransformer
from pyspark.sql import DataFrame

from {{ cookiecutter.python_package }}.utils.features import (
    FEATURES,
)
from {{ cookiecutter.python_package }}.utils.scoring import (
    PREDICTED_CLASS,
    PREDICTION,
)

from tests.helpers import contract, fit_stages, load, parameters, project, stage_module

# Small and quiet: two local threads, two shuffle partitions, no web UI.
TEST_SPARK = {
    "spark.master": "local[2]",
    "spark.app.name": "{{ cookiecutter.repo_name }}-tests",
    "spark.driver.memory": "1g",
    "spark.sql.shuffle.partitions": 2,
    "spark.default.parallelism": 2,
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.enabled": False,
    "spark.ui.showConsoleProgress": False,
    "spark.log.level": "ERROR",
}


class SparkEngine:
    """Frames are Spark DataFrames (raw ones all text, as a CSV is read); the Spark
    validator counts rows instead of naming them; the ONNX graph is checked against Spark
    ML, which serves a model onnxmltools cannot convert."""

    invalid_data = DataValidationError
    library, fallback_runtime = "Spark ML", "spark"
    split_tolerance = 0.06  # a hash picks each row's part: sampling noise on small data
    balance_tolerance = 0.03  # stratified: each class cut at the same fractions
    onnx_tolerance = 1e-5  # the ONNX graph's probabilities against Spark ML's

    def __init__(self, spark: Any) -> None:
        self.spark = spark

    @property
    def training(self) -> dict[str, Any]:
        return parameters("model_training")

    def frame(self, table: pd.DataFrame) -> DataFrame:
        rows = [
            [None if pd.isna(v) else str(v) for v in row] for row in table.to_numpy()
        ]
        schema = ", ".join(f"{spark_quoted(name)} string" for name in table.columns)
        return self.spark.createDataFrame(rows, schema)

    def table(self, frame: DataFrame) -> pd.DataFrame:
        return frame.toPandas()

    def matrix(self, features: DataFrame) -> np.ndarray:
        """Model inputs, one row per row: the input vector."""
        return np.array(
            [row[0].toArray() for row in features.select(FEATURES).collect()]
        )

    def rows(self, positions: list[int]) -> str:
        """How a validation error names these rows: `2 rows`."""
        return f"{len(positions)} row{'s' if len(positions) > 1 else ''}"

    def keys(self, frame: DataFrame) -> set:
        """What tells a row from the others: its values (identical rows share a part)."""
        return set(self.table(frame).astype(object).itertuples(index=False, name=None))

    def union(self, frames: tuple[DataFrame, ...]) -> DataFrame:
        return reduce(DataFrame.unionByName, frames)

    def predictions(
        self, model: Any, features: DataFrame
    ) -> tuple[pd.Series, np.ndarray]:
        """Each row's target and the model's prediction."""
        target = spark_column(contract().target).alias("truth")
        predicted = PREDICTED_CLASS if contract().classification else PREDICTION
        table = model.transform(features).select(target, predicted).toPandas()
        return table["truth"], table[predicted].to_numpy()

    def shuffled(self, features: DataFrame) -> DataFrame:
        """The features with their targets shuffled: what another model learns from."""
        rows = features.collect()
        targets = [row[1] for row in rows]
        random.Random(3).shuffle(targets)
        pairs = [(row[0], target) for row, target in zip(rows, targets)]
        return self.spark.createDataFrame(pairs, features.schema)

    def tree(self, task: str) -> dict[str, Any]:
        """A small tree for the task: another estimator, by its import path."""
        kind = (
            "classification.DecisionTreeClassifier"
            if task == "classification"
            else ("regression.DecisionTreeRegressor")
        )
        return {"type": f"pyspark.ml.{kind}", "arguments": {"maxDepth": 2}}

    def depth(self, model: Any) -> int:
        return model.stages[0].depth

    def model_name(self, estimator: str) -> str:
        """The class Spark fits for an estimator: LogisticRegression makes a
        LogisticRegressionModel, RandomForestClassifier a RandomForestClassificationModel."""
        name = estimator.rsplit(".", 1)[-1]
        for kind, fitted in (
            ("Classifier", "Classification"),
            ("Regressor", "Regression"),
        ):
            if name.endswith(kind):
                return f"{name.removesuffix(kind)}{fitted}Model"
        return f"{name}Model"

    def unconvertible(self, fitted: dict[str, Any]) -> tuple[Any, Any, str]:
        """Transformers onnxmltools cannot convert, the model, and the class it names."""
        custom = SQLTransformer(statement="SELECT * FROM __THIS__")
        transformers = PipelineModel(stages=[*fitted["transformers"].stages, custom])
        return transformers, fitted["model"], "pyspark.ml.feature.SQLTransformer"


def pytest_configure(config: pytest.Config) -> None:
    # pyspark warns that it is not yet tested with pandas 3; the tests that hand pandas
    # frames to Spark check the results themselves.
    for message in (
        "PySpark does not yet fully support pandas",
        "The copy keyword is deprecated",
    ):
        config.addinivalue_line("filterwarnings", f"ignore:{message}")
    # Before the test modules are collected: they open the project (its data contract),
    # whose SparkHooks then find this session instead of starting a larger one.
    start_spark(TEST_SPARK)


@pytest.fixture(scope="session")
def spark() -> Any:
    session = start_spark(TEST_SPARK)
    yield session
    session.stop()


@pytest.fixture(scope="session")
def engine(spark: Any) -> SparkEngine:
    return SparkEngine(spark)


@pytest.fixture(scope="session")
def data_contract() -> Any:
    """The project's data contract."""
    return contract()


@pytest.fixture
def raw_table() -> pd.DataFrame:
    """The project's raw data (the catalog's `raw_data`) as a pandas frame, to edit."""
    return load("raw_data")


@pytest.fixture(scope="session")
def catalog(spark: Any) -> Any:
    """The project's catalog, as `kedro run` reads it (its Spark datasets use `spark`)."""
    return project()[0]


@pytest.fixture(scope="session")
def raw(catalog: Any) -> DataFrame:
    """The raw data, as stage 01 receives it (from a CSV: every column text)."""
    return catalog.load("raw_data").cache()


@pytest.fixture(scope="session")
def split_parameters() -> dict:
    return parameters("data_preprocessing")


@pytest.fixture(scope="session")
def clean(raw: DataFrame, split_parameters: dict) -> DataFrame:
    nodes = stage_module("preprocessing")
    data = parameters("data_contract")
    validated = nodes.validate_raw_data(raw, data)
    return nodes.clean_data(validated, data, split_parameters).cache()


@pytest.fixture(scope="session")
def splits(clean: DataFrame, split_parameters: dict) -> tuple[DataFrame, ...]:
    """Train, eval and test as stage 01 writes them."""
    data = parameters("data_contract")
    parts = stage_module("preprocessing").split_data(clean, data, split_parameters)
    return tuple(part.cache() for part in parts)


@pytest.fixture(scope="session")
def fitted(splits: tuple[DataFrame, ...], engine: SparkEngine) -> dict[str, Any]:
    """Transformers, features and model fitted the way stages 02 and 03 do."""
    return fit_stages(splits, engine.training, keep=lambda frame: frame.cache())
