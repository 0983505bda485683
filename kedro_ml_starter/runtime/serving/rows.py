"""The request row of a project's API, derived from the columns of its data contract.

`row_model` turns the columns a request carries (`DataContract.request_columns`: every raw
column but the target) into the pydantic model that validates one row (FastAPI documents
it in the OpenAPI schema); `feature_kinds` tells the scorer which of them the model reads.
Anything with the attributes of `RawColumn` works (a contract's `Column` is one).

The rules, written once here for every project:
- A feature field must be present (a forgotten or misspelt field is an error, not a
  silently imputed value) and may be `null` when its column is nullable: the model
  imputes missing values, as in batch scoring. A column the model does not use may be
  left out. Unknown fields are refused.
- A number is a JSON number (not a string, not a boolean) within the column's bounds; an
  integer is a whole number (2007.0 counts) within its bounds.
- A category is one of the column's, compared as batch validation compares them: case
  and surrounding spaces ignored (` MALE` is `male`).
- A request names a column as the data does (`od280/od315`, `body mass (g)`): the JSON
  key is the column's name; the model's Python field is `field`, a name Python accepts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

# Whole numbers JSON carries exactly (a double holds integers up to 2**53): the request's
# integers, whatever the contract's bounds add.
INTEGER_RANGE = (-(2**53 - 1), 2**53 - 1)
_BOUND_WORDS = {"gt": "greater than", "ge": "at least", "lt": "less than", "le": "at most"}


class RawColumn(Protocol):
    """One raw column, as the data contract describes it (`contract.Column`)."""

    @property
    def name(self) -> str: ...

    @property
    def field(self) -> str:
        """A Python identifier for the column (its name, where the name is one)."""
        ...

    @property
    def kind(self) -> str:
        """"number", "integer", "category" or "text"."""
        ...

    @property
    def description(self) -> str: ...

    @property
    def categories(self) -> tuple[str, ...]: ...

    @property
    def feature(self) -> bool:
        """Read by the model: a request must carry it."""
        ...

    @property
    def nullable(self) -> bool: ...

    @property
    def bounds(self) -> Mapping[str, float]:
        """pydantic's gt / ge / lt / le of a number or an integer."""
        ...


def row_model(columns: Iterable[RawColumn], *, example: Mapping[str, Any] | None = None,
              description: str = "One row of raw values to score.",
              name: str = "Row") -> type[BaseModel]:
    """The pydantic model of one request row: a field per column, in order; `example` is
    the row and `description` the words the OpenAPI page shows."""
    fields: dict[str, Any] = {column.field: _field(column) for column in columns}
    config = ConfigDict(extra="forbid", populate_by_name=False,
                        json_schema_extra={"examples": [dict(example)]} if example else None)
    return create_model(name, __config__=config, __doc__=description, **fields)


def feature_kinds(columns: Iterable[RawColumn]) -> dict[str, str]:
    """Each feature column the model reads, in order, and its kind (what the scorer needs
    to build the model's inputs)."""
    return {column.name: column.kind for column in columns if column.feature}


def field_names(columns: Iterable[RawColumn]) -> dict[str, str]:
    """Each column's name and the request model's field holding it."""
    return {column.name: column.field for column in columns}


def _field(column: RawColumn) -> tuple[Any, Any]:
    """Features are required (null allowed if nullable); other columns default to null."""
    notes = [column.description] if column.description else []
    if column.kind == "category":
        notes.append(f"one of {', '.join(column.categories)}")
    bounds = dict(column.bounds) if column.kind in ("number", "integer") else {}
    if bounds:
        notes.append(", ".join(f"{_BOUND_WORDS[k]} {v:g}" for k, v in bounds.items()))
    if not column.feature:
        notes.append("not used by the model, may be left out")
    nullable = column.nullable or not column.feature
    if nullable:
        notes.append("null if unknown")
    value = _value_type(column, bounds)
    default = ... if column.feature else None
    return (value | None if nullable else value), Field(
        default, alias=column.name, description="; ".join(notes) or None)


def _value_type(column: RawColumn, bounds: Mapping[str, float]) -> Any:
    if column.kind == "category":
        return Annotated[Literal[tuple(column.categories)],
                         BeforeValidator(_canonical_category(column.categories))]
    if column.kind == "number":
        return Annotated[float, Field(strict=True, allow_inf_nan=False, gt=bounds.get("gt"),
                                      ge=bounds.get("ge"), lt=bounds.get("lt"),
                                      le=bounds.get("le"))]
    if column.kind == "integer":
        low, high = INTEGER_RANGE
        limits = {"ge": low, "le": high, **{k: int(v) if float(v).is_integer() else v
                                            for k, v in bounds.items()}}
        return Annotated[int, Field(strict=True, gt=limits.get("gt"), ge=limits.get("ge"),
                                    lt=limits.get("lt"), le=limits.get("le")),
                         BeforeValidator(_whole_float_as_int)]
    if column.kind == "text":
        return Annotated[str, Field(strict=True)]
    raise ValueError(f"column {column.name!r} has kind {column.kind!r}; "
                     "expected number, integer, category or text")


def _canonical_category(categories: Sequence[str]) -> Any:
    canonical = {category.lower(): category for category in categories}

    def normalise(value: Any) -> Any:
        if isinstance(value, (bool, int)):  # JSON true / 1 for a category `True` / `1`
            value = str(value)
        return canonical.get(value.strip().lower(), value) if isinstance(value, str) else value

    return normalise


def _whole_float_as_int(value: Any) -> Any:
    """2007.0 is an integer in JSON (and the OpenAPI schema); "2007" and true are not."""
    return int(value) if isinstance(value, float) and value.is_integer() else value
