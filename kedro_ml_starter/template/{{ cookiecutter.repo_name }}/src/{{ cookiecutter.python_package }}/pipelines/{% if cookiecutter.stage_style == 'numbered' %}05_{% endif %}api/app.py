"""Stage 05 online: the prediction API that `kedro serve` starts (FastAPI, OpenAPI at /docs).

What is yours here is the request: one field per raw input column of `utils/schema.py`,
so the API follows the data. The serving machinery (loading the newest complete model
version, scoring its ONNX graph, errors, limits, API key) is kedro-ml-structure's
`kedro_ml_starter.runtime.serving`, upgraded with pip like any library.

Every feature field must be present (a forgotten or misspelt field is an error, not a
silently imputed value) but may be `null`: the raw data has missing values and the
model imputes them, as in batch scoring. Columns the model does not use may be left out.
Numbers must be JSON numbers within the schema's bounds; categories one of the schema's,
compared as batch validation compares them (case and surrounding spaces ignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import numpy as np
from fastapi import FastAPI
from kedro_ml_starter.runtime.serving.app import create_app as create_serving_app
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from {{ cookiecutter.python_package }}.utils.schema import (
    COLUMNS_BY_NAME,
    FEATURE_COLUMNS,
    INPUT_COLUMNS,
    SPECIES,
    Column,
)

EXAMPLE_ROW: dict[str, Any] = {
    "island": "Torgersen", "bill_length_mm": 39.1, "bill_depth_mm": 18.7,
    "flipper_length_mm": 181.0, "body_mass_g": 3750.0, "sex": "male", "year": 2007,
}


def create_app(project_path: Optional[Path] = None, env: Optional[str] = None) -> FastAPI:
    """The app for the project at `project_path` (default: the project around the cwd)."""
    return create_serving_app(
        build_row_model(),
        features={name: COLUMNS_BY_NAME[name].kind for name in FEATURE_COLUMNS},
        predict_frame=_predict_frame,
        classes=SPECIES,
        title="{{ cookiecutter.project_name }} prediction API",
        summary="Predicts the species of a penguin from its measurements.",
        project_path=project_path,
        env=env,
    )


def _predict_frame() -> Any:
    """utils/scoring.py's `predict_frame`, for `serving.runtime: {% if cookiecutter.engine == 'spark' %}spark{% else %}sklearn{% endif %}` only: imported when
    asked for, so an ONNX server never imports the training libraries."""
    from {{ cookiecutter.python_package }}.utils.scoring import predict_frame

    return predict_frame


def build_row_model() -> type[BaseModel]:
    """One raw row without its target, as a pydantic model (the OpenAPI schema shows it)."""
    # Any: mypy checks `**fields` against create_model's own keywords (`__config__`...) too.
    fields: dict[str, Any] = {name: _field(COLUMNS_BY_NAME[name]) for name in INPUT_COLUMNS}
    return create_model(
        "Row",
        __config__=ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE_ROW]}),
        __doc__="One row of raw measurements to score.",
        **fields,
    )


def _field(column: Column) -> tuple[Any, Any]:
    """Features are required (but nullable); other columns default to null."""
    notes = [column.description]
    if column.kind == "category":
        notes.append(f"one of {', '.join(column.categories)}")
    if column.maximum is not None:
        notes.append(f"positive, at most {column.maximum:g}")
    if not column.feature:
        notes.append("not used by the model, may be left out")
    notes.append("null if unknown")
    default = ... if column.feature else None
    return Optional[_value_type(column)], Field(default, description="; ".join(notes))


def _value_type(column: Column) -> Any:
    if column.kind == "category":
        canonical = {category.lower(): category for category in column.categories}

        def normalise(value: Any) -> Any:
            return canonical.get(value.strip().lower(), value) if isinstance(value, str) else value

        return Annotated[Literal[column.categories], BeforeValidator(normalise)]
    if column.kind == "number":
        return Annotated[
            float, Field(strict=True, allow_inf_nan=False, gt=0, le=column.maximum)
        ]
    limits = np.iinfo(np.int16)  # integers are stored as Int16 (schema.Column.dtype)
    return Annotated[int, Field(strict=True, ge=limits.min, le=limits.max),
                     BeforeValidator(_whole_float_as_int)]


def _whole_float_as_int(value: Any) -> Any:
    """2007.0 is an integer in JSON (and the OpenAPI schema); "2007" and true are not."""
    return int(value) if isinstance(value, float) and value.is_integer() else value
