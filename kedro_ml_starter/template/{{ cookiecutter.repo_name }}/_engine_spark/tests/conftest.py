"""Fixtures for the stage tests: one Spark session, the shipped raw data, its splits and
a model fitted once.

Everything is session-scoped: starting Spark and fitting Spark ML pipelines cost seconds,
so the whole run shares one session (started through the project's own `start_spark`)
and one fitted model. Tests read these fixtures and never change them.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import RAW_CSV, stage_module
from tests.spark_helpers import read_spark_csv
from {{ cookiecutter.python_package }}.spark_session import start_spark

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
SPLIT_PARAMETERS = {"drop_rows_without_measurements": True, "test_size": 0.2,
                    "eval_size": 0.2, "random_state": 42}
TRAINING_PARAMETERS = {"logistic_regression": {"regParam": 0.0001, "maxIter": 200,
                                               "tol": 1.0e-7}}


def pytest_configure(config: pytest.Config) -> None:
    # pyspark warns that it is not yet tested with pandas 3; the tests that hand pandas
    # frames to Spark (predict_frame) check the results themselves.
    # Kedro 1.7 calls an omegaconf API that omegaconf 2.4 deprecates (see settings.py).
    for message in ("PySpark does not yet fully support pandas",
                    "The copy keyword is deprecated", "register_new_resolver"):
        config.addinivalue_line("filterwarnings", f"ignore:{message}")


@pytest.fixture(scope="session")
def spark() -> Any:
    session = start_spark(TEST_SPARK)
    yield session
    session.stop()


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
    return tuple(part.cache() for part in
                 stage_module("preprocessing").split_data(clean, SPLIT_PARAMETERS))


@pytest.fixture(scope="session")
def fitted(splits: tuple[Any, ...]) -> dict:
    """Transformers, features and model fitted the way stages 02 and 03 do."""
    features = stage_module("features")
    transformers = features.fit_transformers(splits[0], {"numeric_imputation": "median"})
    train, evaluation, test = (features.transform_split(s, transformers).cache()
                               for s in splits)
    model, metadata = stage_module("training").train_model(train, TRAINING_PARAMETERS)
    return {"transformers": transformers, "model": model, "metadata": metadata,
            "train": train, "eval": evaluation, "test": test}
