"""Feature transformers: fitted on the training split only, applied the same way everywhere.

Stage 02 fits and persists them; stage 02 and the batch scorer turn raw rows into model
inputs through `build_features`, so training and scoring cannot drift. Stage 03 exports
them with the model as one ONNX graph, which the HTTP app serves.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from .schema import CATEGORICAL_FEATURES, FEATURE_COLUMNS, NUMERIC_FEATURES

MISSING = "missing"  # the category a missing value becomes, before one-hot encoding


def make_feature_transformer(numeric_imputation: str = "median") -> ColumnTransformer:
    """Unfitted: numbers imputed then scaled; categories one-hot encoded, missing as its own.

    A missing category is filled with MISSING first, so it is one explicit value that the
    ONNX graph (stage 03) encodes exactly as scikit-learn does, not a NaN category.
    """
    numeric = make_pipeline(
        SimpleImputer(strategy=numeric_imputation),
        StandardScaler(),
    )
    categorical = make_pipeline(
        SimpleImputer(strategy="constant", fill_value=MISSING),
        OneHotEncoder(handle_unknown="ignore", sparse_output=False, dtype=np.float32),
    )
    return ColumnTransformer(
        [
            ("numeric", numeric, list(NUMERIC_FEATURES)),
            ("categorical", categorical, list(CATEGORICAL_FEATURES)),
        ],
        verbose_feature_names_out=False,
    )


def build_features(rows: pd.DataFrame, transformer: Any) -> pd.DataFrame:
    """Model inputs for validated raw rows: float32 columns named by the transformer."""
    # Selecting copies the frame: only when the columns differ.
    if list(rows.columns) != list(FEATURE_COLUMNS):
        rows = rows.loc[:, list(FEATURE_COLUMNS)]
    values = transformer.transform(rows)
    return pd.DataFrame(
        np.asarray(values, dtype=np.float32),
        columns=list(transformer.get_feature_names_out()),
        index=rows.index,
    )
