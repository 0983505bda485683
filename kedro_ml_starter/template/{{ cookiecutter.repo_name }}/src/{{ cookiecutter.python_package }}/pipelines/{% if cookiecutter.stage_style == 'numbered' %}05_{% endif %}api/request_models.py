"""Request and response models, derived from `utils/schema.py` so the API follows the data.

A request row has one field per raw input column. Every feature field must be present (a
forgotten or misspelt field is an error, not a silently imputed value) but may be `null`:
the raw data has missing measurements and the fitted transformers impute them, exactly as
in batch scoring. Columns the model does not use may be left out. Numbers must be JSON
numbers within the schema's bounds; categories must be one of the schema's, compared as
batch validation compares them (case and surrounding spaces ignored).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from {{ cookiecutter.python_package }}.utils.schema import COLUMNS_BY_NAME, INPUT_COLUMNS, SPECIES, Column

EXAMPLE_ROW: dict[str, Any] = {
    "island": "Torgersen", "bill_length_mm": 39.1, "bill_depth_mm": 18.7,
    "flipper_length_mm": 181.0, "body_mass_g": 3750.0, "sex": "male", "year": 2007,
}


def _category_type(column: Column) -> Any:
    canonical = {category.lower(): category for category in column.categories}

    def normalise(value: Any) -> Any:
        return canonical.get(value.strip().lower(), value) if isinstance(value, str) else value

    return Annotated[Literal[column.categories], BeforeValidator(normalise)]


def _value_type(column: Column) -> Any:
    if column.kind == "category":
        return _category_type(column)
    if column.kind == "number":
        return Annotated[
            float, Field(strict=True, allow_inf_nan=False, gt=0, le=column.maximum)
        ]
    limits = np.iinfo(np.int16)  # integers are stored as Int16 (schema.Column.dtype)
    return Annotated[int, Field(strict=True, ge=limits.min, le=limits.max)]


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


def build_batch_model(row_model: type[BaseModel], max_rows: int) -> type[BaseModel]:
    """A batch of 1 to `max_rows` rows (serving.max_batch_size in parameters_api.yml)."""
    row_type: Any = row_model  # a class made at run time: mypy takes `list[...]` of it if Any
    return create_model(
        "Batch",
        __config__=ConfigDict(extra="forbid"),
        __doc__=f"Between 1 and {max_rows} rows to score in one request.",
        rows=(list[row_type], Field(..., min_length=1, max_length=max_rows)),
    )


# The species come from utils/schema.py; mypy takes no variable inside `Literal[...]`.
SpeciesName: Any = Literal[SPECIES]


class Prediction(BaseModel):
    """The predicted class of one row and the model's probability for each class."""

    prediction: SpeciesName
    probabilities: dict[str, float]


class PredictionResponse(Prediction):
    model_version: str


class BatchResponse(BaseModel):
    predictions: list[Prediction]
    model_version: str


class Status(BaseModel):
    status: str
    model_version: Optional[str] = None


class ModelInfo(BaseModel):
    """What is being served: versions of the persisted artifacts and how the model scored."""

    model_version: str
    transformers_version: str
    trained_at: Optional[str]
    model_class: Optional[str]
    classes: list[str]
    metrics: Optional[dict[str, Any]]
