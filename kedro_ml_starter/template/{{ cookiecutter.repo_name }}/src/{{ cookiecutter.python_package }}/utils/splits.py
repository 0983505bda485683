"""Split sizes, checked once for every engine: each split needs rows, train the most."""

from __future__ import annotations

from typing import Any


def split_sizes(parameters: dict[str, Any]) -> tuple[float, float]:
    """`test_size` and `eval_size`: fractions of all rows; train gets the rest."""
    test_size, eval_size = parameters["test_size"], parameters["eval_size"]
    if not (0 < test_size < 1 and 0 < eval_size < 1 and test_size + eval_size < 1):
        raise ValueError(
            f"test_size ({test_size}) and eval_size ({eval_size}) must be between 0 and 1 "
            "and leave rows for training; fix conf/base/parameters_data_preprocessing.yml"
        )
    return test_size, eval_size
