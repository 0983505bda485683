"""The request row of a project's API, derived from its table of raw columns.

A generated project describes its raw data once, in `utils/schema.py`: one `Column` per
raw column. `row_model` turns the columns a request carries into the pydantic model that
validates one row (FastAPI documents it in the OpenAPI schema); `feature_kinds` tells the
scorer which of them the model reads. Anything with the attributes of `RawColumn` works.

The rules, written once here for every project:
- A feature field must be present (a forgotten or misspelt field is an error, not a
  silently imputed value) but may be `null`: the model imputes missing values, as in
  batch scoring. A column the model does not use may be left out. Unknown fields are
  refused.
- A number is a JSON number (not a string, not a boolean), positive, and at most the
  column's `maximum`; an integer is a whole number (2007.0 counts), within int16 as the
  validated column is stored.
- A category is one of the column's, compared as batch validation compares them: case
  and surrounding spaces ignored (` MALE` is `male`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

INTEGER_RANGE = (-32_768, 32_767)  # a validated integer column is stored as Int16


class RawColumn(Protocol):
    """One raw column, as a project's `utils/schema.py` describes it (read-only, so a
    frozen dataclass is one)."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str:
        """"number", "integer" or "category"."""
        ...

    @property
    def description(self) -> str: ...

    @property
    def categories(self) -> tuple[str, ...]: ...

    @property
    def feature(self) -> bool:
        """Read by the model: a request must carry it (null allowed)."""
        ...

    @property
    def maximum(self) -> float | None:
        """The largest plausible number; larger ones are refused."""
        ...


def row_model(columns: Iterable[RawColumn], *, example: Mapping[str, Any] | None = None,
              description: str = "One row of raw values to score.",
              name: str = "Row") -> type[BaseModel]:
    """The pydantic model of one request row: a field per column, in order; `example` is
    the row and `description` the words the OpenAPI page shows."""
    fields: dict[str, Any] = {column.name: _field(column) for column in columns}
    config = ConfigDict(extra="forbid",
                        json_schema_extra={"examples": [dict(example)]} if example else None)
    return create_model(name, __config__=config, __doc__=description, **fields)


def feature_kinds(columns: Iterable[RawColumn]) -> dict[str, str]:
    """Each feature column the model reads, in order, and its kind (what the scorer needs
    to build the model's inputs)."""
    return {column.name: column.kind for column in columns if column.feature}


def _field(column: RawColumn) -> tuple[Any, Any]:
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
    return _value_type(column) | None, Field(default, description="; ".join(notes))


def _value_type(column: RawColumn) -> Any:
    if column.kind == "category":
        return Annotated[Literal[tuple(column.categories)],
                         BeforeValidator(_canonical_category(column.categories))]
    if column.kind == "number":
        return Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0,
                                      le=column.maximum)]
    if column.kind == "integer":
        low, high = INTEGER_RANGE
        return Annotated[int, Field(strict=True, ge=low, le=high),
                         BeforeValidator(_whole_float_as_int)]
    raise ValueError(f"column {column.name!r} has kind {column.kind!r}; "
                     "expected number, integer or category")


def _canonical_category(categories: Sequence[str]) -> Any:
    canonical = {category.lower(): category for category in categories}

    def normalise(value: Any) -> Any:
        return canonical.get(value.strip().lower(), value) if isinstance(value, str) else value

    return normalise


def _whole_float_as_int(value: Any) -> Any:
    """2007.0 is an integer in JSON (and the OpenAPI schema); "2007" and true are not."""
    return int(value) if isinstance(value, float) and value.is_integer() else value
