"""Model training: fits the configured estimator on the training split, describes what
it fitted, and exports the transformers and model as one ONNX graph for the HTTP app."""

from __future__ import annotations

from typing import Any

import pandas as pd
from kedro_ml_starter.runtime import (
    DataContract,
    OnnxGraph,
    ServingSettings,
    export_graph,
    make_estimator,
    model_metadata,
)


def train_model(
    train_features: pd.DataFrame,
    data_contract: dict[str, Any],
    parameters: dict[str, Any],
) -> tuple[Any, dict[str, Any]]:
    """The estimator of `model_training.estimator` (any scikit-learn classifier or
    regressor, as the contract's task asks), fitted on the training features."""
    contract = DataContract.from_parameters(data_contract)
    features = train_features.drop(columns=[contract.target])
    target = train_features[contract.target]
    model = make_estimator(parameters["estimator"], contract.task)
    model.fit(features, target.astype(str if contract.classification else float))
    metadata = model_metadata(
        model,
        parameters["estimator"],
        features.columns,
        len(features),
        task=contract.task,
        classes=getattr(model, "classes_", ()),
    )
    return model, metadata


def export_onnx(
    transformers: Any,
    model: Any,
    metadata: dict[str, Any],
    data_contract: dict[str, Any],
    serving: dict[str, Any],
) -> OnnxGraph:
    """Transformers + model as one ONNX graph over the raw feature columns, which
    `kedro serve` scores without scikit-learn. A model skl2onnx cannot convert fails the
    run in one line; with `serving.runtime: sklearn` nothing is exported."""
    runtime = ServingSettings.from_params({"serving": serving}).runtime
    inputs = DataContract.from_parameters(data_contract).feature_kinds()
    return export_graph(transformers, model, inputs, runtime=runtime, metadata=metadata)
