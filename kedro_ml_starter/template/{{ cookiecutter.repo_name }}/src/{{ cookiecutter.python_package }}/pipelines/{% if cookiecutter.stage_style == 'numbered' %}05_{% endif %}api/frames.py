"""Between JSON rows and the frames `predict_frame` works on.

Request rows are already validated by the request model, so they become a frame of the
feature columns directly, in a fraction of a millisecond: numbers as float32, as batch
validation stores them; categories as plain strings with NaN for missing, which the
fitted one-hot encoder encodes exactly as it encodes batch validation's categoricals,
only faster (the generated tests check that the app and the batch pipeline agree).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from {{ cookiecutter.python_package }}.utils.schema import COLUMNS_BY_NAME, FEATURE_COLUMNS
from {{ cookiecutter.python_package }}.utils.scoring import PREDICTION, PROBABILITY_PREFIX

_DTYPES = {
    name: object if COLUMNS_BY_NAME[name].kind == "category" else np.float32
    for name in FEATURE_COLUMNS
}
# Column labels as plain objects: sklearn looks columns up by name on every call, and that
# is several times slower on pandas' default (pyarrow) string index.
_LABELS = pd.Index(FEATURE_COLUMNS, dtype=object)


def rows_to_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The feature columns of `rows` (dicts from the request model), one frame row each."""
    return pd.DataFrame(
        {
            name: np.array([np.nan if (v := row.get(name)) is None else v for row in rows],
                           dtype=dtype)
            for name, dtype in _DTYPES.items()
        },
        columns=_LABELS,
    )


def frame_to_records(predictions: pd.DataFrame, decimals: int) -> list[dict[str, Any]]:
    """`predict_frame`'s output as one {"prediction", "probabilities"} record per row."""
    columns = [c for c in predictions.columns if c.startswith(PROBABILITY_PREFIX)]
    classes = [c[len(PROBABILITY_PREFIX):] for c in columns]
    probabilities = np.column_stack(
        [predictions[c].to_numpy(dtype=np.float64) for c in columns]
    ).round(decimals).tolist()
    labels = np.asarray(predictions[PREDICTION], dtype=object).tolist()
    return [
        {"prediction": str(label), "probabilities": dict(zip(classes, row))}
        for label, row in zip(labels, probabilities)
    ]
