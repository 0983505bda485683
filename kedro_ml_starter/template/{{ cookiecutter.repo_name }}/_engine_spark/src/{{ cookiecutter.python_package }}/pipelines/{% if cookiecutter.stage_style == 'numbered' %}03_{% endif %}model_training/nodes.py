"""Model training on Spark MLlib: fits on the training split, describes what it fitted,
and exports the transformers and model as one ONNX graph for the HTTP app."""

from __future__ import annotations

from typing import Any

from kedro_ml_starter.runtime.datasets import OnnxGraph
from kedro_ml_starter.runtime.serving.rows import feature_kinds
from kedro_ml_starter.runtime.serving.settings import ServingSettings
from kedro_ml_starter.runtime.spark_onnx import export_spark_graph
from pyspark import StorageLevel
from pyspark.ml import PipelineModel
from pyspark.ml.classification import LogisticRegression
from pyspark.ml.feature import IndexToString, StringIndexer
from pyspark.sql import DataFrame

from {{ cookiecutter.python_package }}.utils.features import (
    FEATURES,
    feature_names,
)
from {{ cookiecutter.python_package }}.utils.reporting import (
    model_metadata,
)
from {{ cookiecutter.python_package }}.utils.schema import (
    COLUMNS,
    PREDICTION,
    TARGET,
)

LABEL = "label"


def train_model(
    train_features: DataFrame, parameters: dict[str, Any]
) -> tuple[PipelineModel, dict[str, Any]]:
    """A multinomial logistic regression, saved with the step that names its predictions.

    The saved model maps a `features` vector to `predicted_species` and a probability
    vector; it needs no species column, so the batch scorer and the HTTP app use it as is.
    """
    settings = dict(parameters["logistic_regression"])
    labels = StringIndexer(
        inputCol=TARGET, outputCol=LABEL, stringOrderType="alphabetAsc"
    ).fit(train_features)
    # The optimiser passes over the rows many times: keep them in memory meanwhile.
    rows = labels.transform(train_features).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        fitted = LogisticRegression(
            featuresCol=FEATURES, labelCol=LABEL, family="multinomial", **settings
        ).fit(rows)
        train_rows = rows.count()
    finally:
        rows.unpersist()
    to_species = IndexToString(
        inputCol="prediction", outputCol=PREDICTION, labels=labels.labels
    )
    model = PipelineModel(stages=[fitted, to_species])
    metadata = model_metadata(
        fitted,
        settings,
        feature_names(train_features),
        labels.labels,
        train_rows,
        iterations=fitted.summary.totalIterations,
    )
    return model, metadata


def export_onnx(
    transformers: Any, model: Any, metadata: dict[str, Any], serving: dict[str, Any]
) -> OnnxGraph:
    """Transformers + model as one ONNX graph over the raw feature columns, which
    `kedro serve` scores without Spark or a JVM. A model onnxmltools cannot convert fails
    the run in one line; with `serving.runtime: spark` nothing is exported."""
    runtime = ServingSettings.from_params({"serving": serving}).runtime
    inputs = feature_kinds(COLUMNS)
    return export_spark_graph(
        transformers, model, inputs, runtime=runtime, metadata=metadata
    )
