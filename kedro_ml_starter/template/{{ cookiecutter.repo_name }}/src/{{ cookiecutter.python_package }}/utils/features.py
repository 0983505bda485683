"""Feature transformers: fitted on the training split only, applied the same way everywhere.

Stage 02 fits and persists them; stage 02 and the batch scorer turn raw rows into model
inputs through `build_features`, so training and scoring cannot drift. Stage 03 exports
them with the model as one ONNX graph, which the HTTP app serves. Which columns are
numbers and which are categories is the data contract's to say.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from kedro_ml_starter.runtime import DataContract
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

MISSING = "missing"  # the category a missing value becomes, before one-hot encoding


def make_feature_transformer(
    contract: DataContract,
    numeric_imputation: str = "median",
    scale_numbers: bool = True,
) -> ColumnTransformer:
    """Unfitted: numbers imputed (then scaled); categories one-hot encoded, missing as its
    own category.

    A missing category is filled with MISSING first, so it is one explicit value that the
    ONNX graph (stage 03) encodes exactly as scikit-learn does, not a NaN category.
    """
    numeric = [SimpleImputer(strategy=numeric_imputation)]
    if scale_numbers:
        numeric.append(StandardScaler())
    categorical = make_pipeline(
        SimpleImputer(strategy="constant", fill_value=MISSING),
        OneHotEncoder(handle_unknown="ignore", sparse_output=False, dtype=np.float32),
    )
    parts = [
        ("numeric", make_pipeline(*numeric), list(contract.numeric_features)),
        ("categorical", categorical, list(contract.categorical_features)),
    ]
    return ColumnTransformer(
        [part for part in parts if part[2]], verbose_feature_names_out=False
    )


def build_features(rows: pd.DataFrame, transformer: Any) -> pd.DataFrame:
    """Model inputs for validated raw rows: float32 columns named by the transformer."""
    columns = list(transformer.feature_names_in_)
    # Selecting copies the frame: only when the columns differ.
    if list(rows.columns) != columns:
        rows = rows.loc[:, columns]
    values = transformer.transform(rows)
    return pd.DataFrame(
        np.asarray(values, dtype=np.float32),
        columns=list(transformer.get_feature_names_out()),
        index=rows.index,
    )
