"""Whether a catalog dataset holds a model or fitted transformer: by its type, then its name.

A dataset class made for models (`MlflowModelTrackingDataset`, `SparkMLModelDataset`,
`TensorFlowModelDataset`, ONNX, torch, keras) holds a model whatever it is called. A class
that stores tables, metrics or figures (CSV, parquet, JSON, plotly, ...) never does. A
class that pickles any Python object (`pickle.PickleDataset`, joblib, cloudpickle, dill)
or one this module does not know holds a model only when its name says so: real projects
pickle DataFrames (`preprocessed_df`), configs and plots too, and calling those models
made false KL303 findings (issue 27). Words that name data win over words that name a
model (`model_input_table` is a table, `model_metrics` are metrics).
"""

from __future__ import annotations

import re

from kedro_plugin_layout.project.records import CatalogEntry, dataset_base

# In the dataset class's own name: a class made to store models.
MODEL_CLASS_HINTS = ("model", "torch", "tensorflow", "keras", "onnx")
# In the type's module path or class: a class that stores tables, metrics or figures.
DATA_TYPE_HINTS = ("csv", "parquet", "json", "yaml", "text", "excel", "feather", "matplotlib",
                   "plotly", "image", "html", "sql", "delta", "spark", "polars.", "memory",
                   "partitioned", "hdf", "xml", "gbq", "ibis", "pandas.", "metrics")
MODEL_WORDS = frozenset({
    "model", "models", "estimator", "estimators", "regressor", "regressors", "classifier",
    "classifiers", "clf", "transformer", "transformers", "encoder", "encoders", "scaler",
    "scalers", "imputer", "imputers", "vectorizer", "vectoriser", "tokenizer", "tokeniser",
    "pipeline", "preprocessor", "featurizer", "selector", "booster", "forest", "xgb",
    "xgboost", "lgbm", "lightgbm", "catboost", "svm", "svc", "knn", "kmeans", "pca",
    "calibrator", "explainer", "checkpoint", "weights", "predictor", "net", "network",
})
DATA_WORDS = frozenset({
    "df", "dataframe", "frame", "frames", "table", "tables", "data", "dataset", "datasets",
    "rows", "input", "inputs", "features", "config", "configs", "conf", "params",
    "parameters", "settings", "options", "plot", "plots", "fig", "figure", "figures",
    "chart", "charts", "histogram", "image", "images", "report", "reports", "metrics",
    "metric", "scores", "score", "predictions", "prediction", "preds", "results",
    "output", "outputs", "x", "y", "list", "dict", "mapping", "columns", "ids", "index",
    "sample", "samples", "split", "train", "test", "val", "eval", "raw", "clean",
    "cleaned", "processed", "preprocessed", "intermediate", "primary", "summary", "stats",
    "statistics",
})
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def is_model_dataset(entry: CatalogEntry) -> bool:
    """Whether `entry` stores a serialized model or fitted transformer (see module doc).

    The class name decides first: a project's own `...spark_models.SparkMLModelDataset`
    is a model although its module path says "spark", which alone means a table.
    """
    kind = entry.type.lower()
    if any(hint in kind.rsplit(".", 1)[-1] for hint in MODEL_CLASS_HINTS):
        return True
    if any(hint in kind for hint in DATA_TYPE_HINTS):
        return False
    return name_says_model(entry.name)


def name_says_model(name: str) -> bool:
    """A dataset name with a word for a model and none for data (`trained_model`,
    `feature_scaler`; not `model_input_table`, `preprocessed_df`, `feature_config`)."""
    words = {word.lower() for word in _WORD.findall(dataset_base(name))}
    return bool(words & MODEL_WORDS) and not words & DATA_WORDS


__all__ = ["DATA_TYPE_HINTS", "MODEL_CLASS_HINTS", "is_model_dataset", "name_says_model"]
