"""Stage 05 online: the prediction API that `kedro serve` starts (FastAPI, OpenAPI at /docs).

What is yours here: which raw columns a request carries (from `utils/schema.py`, so the
API follows the data), the words and the example row the OpenAPI page shows. How
a field is validated (present but nullable, numbers within the schema's bounds,
categories ignoring case) and the serving itself (the newest complete model version, its
ONNX graph, errors, limits, API key) are kedro-ml-structure's
`kedro_ml_starter.runtime.serving`, upgraded with pip like any library.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from kedro_ml_starter.runtime.serving.app import create_app as create_serving_app
from kedro_ml_starter.runtime.serving.rows import feature_kinds, row_model

from {{ cookiecutter.python_package }}.utils.schema import (
    COLUMNS,
    SPECIES,
    TARGET,
)

# A request row: every raw column but the one the model predicts.
REQUEST_COLUMNS = [column for column in COLUMNS if column.name != TARGET]
ROW_DESCRIPTION = "One row of raw measurements to score."
EXAMPLE_ROW: dict[str, Any] = {
    "island": "Torgersen",
    "bill_length_mm": 39.1,
    "bill_depth_mm": 18.7,
    "flipper_length_mm": 181.0,
    "body_mass_g": 3750.0,
    "sex": "male",
    "year": 2007,
}


def create_app(project_path: Path | None = None, env: str | None = None) -> FastAPI:
    """The app for the project at `project_path` (default: the project around the cwd)."""
    return create_serving_app(
        row_model(REQUEST_COLUMNS, example=EXAMPLE_ROW, description=ROW_DESCRIPTION),
        features=feature_kinds(REQUEST_COLUMNS),
        classes=SPECIES,
        title="{{ cookiecutter.project_name }} prediction API",
        summary="Predicts the species of a penguin from its measurements.",
        # For `serving.runtime: {% if cookiecutter.engine == 'spark' %}spark{% else %}sklearn{% endif %}` only, imported then: the ONNX server needs none.
        predict_frame="{{ cookiecutter.python_package }}.utils.scoring:predict_frame",
        project_path=project_path,
        env=env,
    )
