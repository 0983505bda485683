"""Model training on Spark MLlib: fits the configured estimator on the training split,
describes what it fitted, and exports the transformers and model as one ONNX graph for
the HTTP app."""

from __future__ import annotations

from typing import Any

from kedro_ml_starter.runtime import (
    DataContract,
    OnnxGraph,
    ServingSettings,
    export_spark_graph,
    make_spark_estimator,
    model_metadata,
    spark_column,
)
from pyspark import StorageLevel
from pyspark.ml import PipelineModel
from pyspark.ml.feature import IndexToString, StringIndexerModel
from pyspark.sql import DataFrame

from {{ cookiecutter.python_package }}.utils.features import (
    FEATURES,
    feature_names,
)
from {{ cookiecutter.python_package }}.utils.scoring import (
    PREDICTED_CLASS,
    PREDICTION,
    PROBABILITY,
)

TARGET, LABEL = "_target", "_label"  # the target, and what the estimator learns


def train_model(
    train_features: DataFrame,
    data_contract: dict[str, Any],
    parameters: dict[str, Any],
) -> tuple[PipelineModel, dict[str, Any]]:
    """The estimator of `model_training.estimator` (any Spark MLlib classifier or
    regressor, as the contract's task asks), fitted on the training features.

    A classifier learns class indexes (the contract's classes, in its order) and is saved
    with the step that names its predictions; the saved model needs no target column.
    """
    contract = DataContract.from_parameters(data_contract)
    estimator = make_spark_estimator(parameters["estimator"], contract.task)
    rows = train_features.select(FEATURES, spark_column(contract.target).alias(TARGET))
    if contract.classification:
        classes = list(contract.classes)
        rows = StringIndexerModel.from_labels(classes, TARGET, LABEL).transform(rows)
        estimator.setProbabilityCol(PROBABILITY).setRawPredictionCol("_raw_prediction")
    else:
        rows = rows.withColumn(LABEL, rows[TARGET].cast("double"))
    estimator.setFeaturesCol(FEATURES).setLabelCol(LABEL).setPredictionCol(PREDICTION)
    # The optimiser passes over the rows many times: keep them in memory meanwhile.
    rows = rows.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        fitted = estimator.fit(rows)
        train_rows = rows.count()
    finally:
        rows.unpersist()
    stages = [fitted]
    if contract.classification:
        stages.append(
            IndexToString(
                inputCol=PREDICTION, outputCol=PREDICTED_CLASS, labels=classes
            )
        )
    metadata = model_metadata(
        fitted,
        parameters["estimator"],
        feature_names(train_features),
        train_rows,
        task=contract.task,
        classes=contract.classes,
    )
    return PipelineModel(stages=stages), metadata


def export_onnx(
    transformers: Any,
    model: Any,
    metadata: dict[str, Any],
    data_contract: dict[str, Any],
    serving: dict[str, Any],
) -> OnnxGraph:
    """Transformers + model as one ONNX graph over the raw feature columns, which
    `kedro serve` scores without Spark or a JVM. A model onnxmltools cannot convert fails
    the run in one line; with `serving.runtime: spark` nothing is exported."""
    runtime = ServingSettings.from_params({"serving": serving}).runtime
    contract = DataContract.from_parameters(data_contract)
    return export_spark_graph(
        transformers,
        model,
        {c.field: c.kind for c in contract.features},
        runtime=runtime,
        metadata=metadata,
        columns=contract.feature_names,
    )
