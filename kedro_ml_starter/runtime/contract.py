"""The data contract: what the raw data holds and what the model learns from it, in one place.

A generated project keeps its contract in `conf/base/parameters_data_contract.yml`, under
the parameter `data_contract`, so a command can rewrite it (`kedro layout use-data`) without
touching Python the user owns, and every stage receives it as `params:data_contract`:

    data_contract:
      target: species                # the column the model predicts
      task: classification           # classification | regression
      positive_class: null           # binary classification: the class ROC AUC, precision
                                     # and recall are about (null: the last category)
      ignored:                       # columns the model does not read, and why
        year: the year of observation does not describe a new penguin
      example: {island: Torgersen, ...}   # the API's example request row
      schema:                        # the raw columns: a pandera YAML schema
        schema_type: dataframe
        api: pandas
        columns:
          species: {dtype: category, nullable: true, isin: [Adelie, Chinstrap, Gentoo]}
          bill_length_mm: {dtype: float64, nullable: true, greater_than: 0,
                           less_than_or_equal_to: 200, description: bill length in mm}
          ...

`DataContract` reads it (`from_parameters`, `load`), writes it (`to_parameters`, `save`)
and derives what the stages need: each column's kind (number, integer, category, text)
and role (feature, target, ignored), the pandera schema that validates raw rows and new
rows, the columns a request carries, and the names of the prediction columns. A column
name may hold spaces or symbols: files and requests use it as it is; `Column.field` is
the Python identifier used where a name must be one (the request model's fields).

Every mistake in the contract is a `ContractError`: one line naming the key and the fix.
pandas, pandera and pydantic are imported when a contract is read, never at import time
(`kedro layout` imports this module for its file name); PyYAML is Kedro's own.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import keyword
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kedro_ml_starter.errors import UserError
from kedro_ml_starter.runtime.validation import at_least_one_row, normalised_categories, validate

PARAMETERS_KEY = "data_contract"
CONTRACT_FILE = "conf/base/parameters_data_contract.yml"
TASKS = ("classification", "regression")
KINDS = ("number", "integer", "category", "text")
ROLES = ("feature", "target", "ignored")
PREDICTION_PREFIX = "predicted_"
PROBABILITY_PREFIX = "probability_"
_KEYS = ("target", "task", "positive_class", "ignored", "example", "schema")
# pandera's names of the bound checks a request model can enforce too (pydantic's names).
_BOUNDS = {"greater_than": "gt", "greater_than_or_equal_to": "ge", "less_than": "lt",
           "less_than_or_equal_to": "le"}
_HEADER = """\
# The data contract: what the raw data holds and what the model learns from it. Every
# stage, the tests, the notebook and the API read it (as `params:data_contract`); nothing
# in src/ names a column. `kedro layout use-data FILE --target COLUMN` rewrites this file
# for your own data. Reference: docs/data-contract.md of kedro-ml-structure.
"""


class ContractError(UserError):
    """Raised when the data contract cannot be used; the message names the key and the fix."""


@dataclass(frozen=True)
class Column:
    """One raw column: how it is stored (`kind`), what the model does with it (`role`),
    what it may hold (categories, bounds, nullability) and `field`, its Python name."""

    name: str
    kind: str
    role: str
    field: str
    nullable: bool = True
    categories: tuple[str, ...] = ()
    # dataclasses.field by its module: `field` names a column's Python name in this class
    bounds: Mapping[str, float] = dataclasses.field(default_factory=dict)  # gt ge lt le
    description: str = ""
    reason: str = ""  # why an ignored column is ignored

    @property
    def feature(self) -> bool:
        return self.role == "feature"

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "integer")

    @property
    def dtype(self) -> Any:
        """The pandas dtype of the validated column."""
        import pandas as pd  # loads when a contract is read, not when its file name is

        if self.kind == "category":
            return pd.CategoricalDtype(list(self.categories))
        return {"number": "float64", "integer": "Int64", "text": "str"}[self.kind]


@dataclass(frozen=True)
class DataContract:
    """The raw columns, the target and the task: see the module docstring."""

    columns: tuple[Column, ...]
    target: str
    task: str
    positive_class: str | None = None
    example: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    schema_config: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False,
                                                         repr=False)

    # --- reading and writing -----------------------------------------------------------
    @classmethod
    def from_parameters(cls, parameters: object) -> DataContract:
        """The contract of `params:data_contract` (checked; ContractError names the key)."""
        if not isinstance(parameters, Mapping):
            raise ContractError(f"`{PARAMETERS_KEY}` in {CONTRACT_FILE} must be a mapping "
                                f"with the keys {', '.join(_KEYS)}")
        return _parse(json.dumps(parameters, default=str))

    @classmethod
    def load(cls, project: Path | str) -> DataContract:
        """The contract in the project's `conf/base/parameters_data_contract.yml`."""
        path = Path(project) / CONTRACT_FILE
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            raise ContractError(f"{path} does not exist: write it with `kedro layout use-data "
                                "FILE --target COLUMN`") from None
        except yaml.YAMLError as error:
            raise ContractError(f"{path} is not valid YAML ({_first_line(error)})") from None
        if not isinstance(document, Mapping) or PARAMETERS_KEY not in document:
            raise ContractError(f"{path} has no `{PARAMETERS_KEY}:` key")
        return cls.from_parameters(document[PARAMETERS_KEY])

    @classmethod
    def from_schema(cls, schema: Any, *, target: str, task: str,
                    positive_class: str | None = None, ignored: Mapping[str, str] | None = None,
                    example: Mapping[str, Any] | None = None) -> DataContract:
        """A contract from a pandera `DataFrameSchema` (or its YAML as a mapping or text)."""
        if hasattr(schema, "to_yaml"):
            schema = schema.to_yaml()
        if isinstance(schema, str):
            schema = yaml.safe_load(schema)
        return cls.from_parameters({
            "target": target, "task": task, "positive_class": positive_class,
            "ignored": dict(ignored or {}), "example": dict(example or {}), "schema": schema})

    def to_parameters(self) -> dict[str, Any]:
        """What `from_parameters` reads back: `params:data_contract`, plain YAML types."""
        return {
            "target": self.target,
            "task": self.task,
            "positive_class": self.positive_class,
            "ignored": {c.name: c.reason for c in self.columns if c.role == "ignored"},
            "example": dict(self.example),
            "schema": json.loads(json.dumps(self.schema_config, default=str)),
        }

    def save(self, project: Path | str) -> Path:
        """Writes the contract to the project's `conf/base/parameters_data_contract.yml`."""
        path = Path(project) / CONTRACT_FILE
        body = yaml.safe_dump({PARAMETERS_KEY: self.to_parameters()}, sort_keys=False,
                              allow_unicode=True, width=88)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_HEADER + body, encoding="utf-8")
        return path

    # --- what the stages need ----------------------------------------------------------
    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        """Every raw column, in the file's order."""
        return tuple(c.name for c in self.columns)

    @property
    def features(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.feature)

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.features)

    @property
    def numeric_features(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.features if c.numeric)

    @property
    def categorical_features(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.features if c.kind == "category")

    def feature_kinds(self) -> dict[str, str]:
        """Each feature, in order, and its kind: the ONNX graph's inputs."""
        return {c.name: c.kind for c in self.features}

    @property
    def request_columns(self) -> tuple[Column, ...]:
        """What a request row (and a row to score in batch) carries: all but the target."""
        return tuple(c for c in self.columns if c.role != "target")

    @property
    def classification(self) -> bool:
        return self.task == "classification"

    @property
    def classes(self) -> tuple[str, ...]:
        """The target's categories (classification); empty for regression."""
        return self.column(self.target).categories if self.classification else ()

    @property
    def binary(self) -> bool:
        return len(self.classes) == 2

    @property
    def positive(self) -> str | None:
        """The class binary metrics are about: `positive_class`, else the last category."""
        if not self.binary:
            return None
        return self.positive_class or self.classes[-1]

    @property
    def prediction_column(self) -> str:
        """`predicted_<target>`: the batch output's prediction column."""
        return PREDICTION_PREFIX + self.target

    @property
    def probability_columns(self) -> tuple[str, ...]:
        """`probability_<class>` per class, in the order of `classes` (none for regression)."""
        return tuple(PROBABILITY_PREFIX + c for c in self.classes)

    @property
    def output_columns(self) -> tuple[str, ...]:
        return (self.prediction_column, *self.probability_columns)

    def schema(self, *, new_rows: bool = False) -> Any:
        """The pandera `DataFrameSchema` raw rows are validated with: exactly these columns
        (any order, the target optional with `new_rows`), at least one row, each column
        converted to its `Column.dtype`, categories compared ignoring case and spaces."""
        # Built once per contract (they are frozen, and shared through `_parse`'s cache).
        schemas = self.__dict__.setdefault("_schemas", {})
        if new_rows not in schemas:
            schemas[new_rows] = _schema(self, new_rows)
        return schemas[new_rows]

    def validate(self, rows: Any, *, new_rows: bool = False) -> Any:
        """`rows` validated and typed; `DataValidationError` lists every problem, a line each."""
        return validate(self.schema(new_rows=new_rows), rows)


# --- parsing ----------------------------------------------------------------------------
@functools.lru_cache(maxsize=32)
def _parse(text: str) -> DataContract:
    """The contract of a `data_contract` mapping (as JSON text: cached, as every node of a
    run reads the same one)."""
    parameters = json.loads(text)
    unknown = sorted(set(parameters) - set(_KEYS))
    if unknown:
        raise ContractError(f"unknown key `{PARAMETERS_KEY}.{unknown[0]}` in {CONTRACT_FILE}; "
                            f"the keys are {', '.join(_KEYS)}")
    task = parameters.get("task", "classification")
    if task not in TASKS:
        raise ContractError(f"`{PARAMETERS_KEY}.task` in {CONTRACT_FILE} must be one of "
                            f"{', '.join(TASKS)}, got {task!r}")
    schema_config = parameters.get("schema")
    if not isinstance(schema_config, Mapping) or not isinstance(schema_config.get("columns"),
                                                                Mapping):
        raise ContractError(f"`{PARAMETERS_KEY}.schema` in {CONTRACT_FILE} must be a pandera "
                            "YAML schema with `columns:` (pandera.infer_schema(df).to_yaml())")
    # A frame's index is not data: a contract validates columns only.
    schema_config = {key: value for key, value in schema_config.items() if key != "index"}
    ignored = parameters.get("ignored") or {}
    if not isinstance(ignored, Mapping):
        raise ContractError(f"`{PARAMETERS_KEY}.ignored` in {CONTRACT_FILE} must map each "
                            "ignored column to the reason it is ignored")
    target = parameters.get("target")
    columns = _columns(_pandera_columns(schema_config), target, ignored)
    # An example row taken from the file may hold the target: a request does not.
    example = {k: v for k, v in (parameters.get("example") or {}).items() if k != target}
    contract = DataContract(
        columns=columns, target=str(target), task=task,
        positive_class=_optional_text(parameters.get("positive_class")),
        example=example, schema_config=schema_config)
    _check(contract, ignored)
    return contract


def _pandera_columns(schema_config: Mapping[str, Any]) -> dict[str, Any]:
    """pandera's own reading of the schema: its columns by name."""
    import pandera.pandas as pa  # loads when a contract is read, not when its file name is

    try:
        schema = pa.DataFrameSchema.from_yaml(yaml.safe_dump(dict(schema_config),
                                                             sort_keys=False))
    except Exception as error:  # noqa: BLE001 - pandera raises many kinds for a bad schema
        raise ContractError(f"`{PARAMETERS_KEY}.schema` in {CONTRACT_FILE} is not a pandera "
                            f"schema pandera can read ({_first_line(error)})") from None
    return dict(schema.columns)


def _columns(pandera_columns: Mapping[str, Any], target: Any,
             ignored: Mapping[str, Any]) -> tuple[Column, ...]:
    if target not in pandera_columns:
        raise ContractError(f"`{PARAMETERS_KEY}.target` in {CONTRACT_FILE} is {target!r}, "
                            f"which is not a column of the schema; the columns are "
                            f"{', '.join(map(str, pandera_columns))}")
    fields = _fields(pandera_columns)
    out = []
    for name, column in pandera_columns.items():
        kind, categories = _kind(name, column)
        role = "target" if name == target else "ignored" if name in ignored else "feature"
        bounds = {_BOUNDS[check.name]: float(value) for check in column.checks
                  if check.name in _BOUNDS for value in (check.statistics or {}).values()}
        out.append(Column(
            name=str(name), kind=kind, role=role, field=fields[name],
            nullable=bool(column.nullable), categories=categories, bounds=bounds,
            description=str(column.description or column.title or ""),
            reason=str(ignored.get(name) or "") if role == "ignored" else ""))
    return tuple(out)


def _kind(name: str, column: Any) -> tuple[str, tuple[str, ...]]:
    """A pandera column's kind and, for a category, its categories (from `isin`)."""
    import pandas as pd  # loads when a contract is read, not when its file name is

    native = getattr(column.dtype, "type", column.dtype)
    allowed = next((check.statistics.get("allowed_values") for check in column.checks
                    if check.name == "isin"), None)
    categories = tuple(str(value) for value in allowed or ())
    if isinstance(native, pd.CategoricalDtype) or (categories and not _numeric(native)):
        if not categories and native.categories is not None:
            categories = tuple(str(value) for value in native.categories)
        if not categories:
            raise ContractError(f"column {name!r} in {CONTRACT_FILE} is a category without its "
                                "categories: list them with `isin: [...]`")
        return "category", categories
    if pd.api.types.is_bool_dtype(native):
        return "category", ("False", "True")
    if pd.api.types.is_integer_dtype(native):
        return "integer", ()
    if pd.api.types.is_float_dtype(native):
        return "number", ()
    return "text", ()


def _numeric(native: Any) -> bool:
    import pandas as pd  # loads when a contract is read, not when its file name is

    return pd.api.types.is_numeric_dtype(native) and not pd.api.types.is_bool_dtype(native)


def _fields(names: Iterable[str]) -> dict[str, str]:
    """A distinct Python identifier per column name, usable as a pydantic field."""
    from pydantic import BaseModel  # loads when a contract is read (its fields' names)

    taken: set[str] = set()
    out = {}
    for name in names:
        base = re.sub(r"[^0-9A-Za-z_]+", "_", str(name)).strip("_") or "column"
        if base[0].isdigit():
            base = f"c_{base}"
        if keyword.iskeyword(base) or hasattr(BaseModel, base) or base.startswith("model_"):
            base = f"{base}_"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        taken.add(candidate)
        out[name] = candidate
    return out


def _check(contract: DataContract, ignored: Mapping[str, Any]) -> None:
    where = f"in {CONTRACT_FILE}"
    names = set(contract.names)
    for name in ignored:
        if name not in names:
            raise ContractError(f"`{PARAMETERS_KEY}.ignored` {where} names {name!r}, which is "
                                "not a column of the schema")
        if name == contract.target:
            raise ContractError(f"the target {name!r} cannot also be ignored ({where})")
    target = contract.column(contract.target)
    if contract.classification:
        if target.kind != "category":
            raise ContractError(
                f"the target {target.name!r} holds {target.kind} values, which classification "
                f"cannot predict: give it `dtype: category` with `isin: [...]`, or set "
                f"`{PARAMETERS_KEY}.task: regression` ({where})")
        if len(target.categories) < 2:
            raise ContractError(f"the target {target.name!r} has fewer than 2 categories: "
                                f"there is nothing to classify ({where})")
    elif not target.numeric:
        raise ContractError(
            f"the target {target.name!r} holds {target.kind} values, which regression cannot "
            f"predict: choose a numeric target, or set `{PARAMETERS_KEY}.task: "
            f"classification` ({where})")
    if contract.positive_class is not None and contract.positive_class not in contract.classes:
        raise ContractError(f"`{PARAMETERS_KEY}.positive_class` {where} is "
                            f"{contract.positive_class!r}, which is not a class of the target "
                            f"({', '.join(contract.classes) or 'regression has none'})")
    if contract.positive_class is not None and not contract.binary:
        raise ContractError(f"`{PARAMETERS_KEY}.positive_class` {where} applies to binary "
                            "classification only: set it to null")
    for column in contract.features:
        if column.kind == "text":
            raise ContractError(
                f"column {column.name!r} holds free text, which the model cannot read: list it "
                f"under `{PARAMETERS_KEY}.ignored` with a reason, or give it categories "
                f"(`dtype: category`, `isin: [...]`) ({where})")
    if not contract.features:
        raise ContractError(f"the contract has no feature: every column is the target or "
                            f"ignored ({where})")
    unknown = sorted(set(contract.example) - {c.name for c in contract.request_columns})
    if unknown:
        raise ContractError(f"`{PARAMETERS_KEY}.example` {where} names {unknown[0]!r}, which is "
                            "not a column a request carries (every column but the target)")


def _schema(contract: DataContract, new_rows: bool) -> Any:
    import pandera.pandas as pa  # loads when a contract is read, not when its file name is

    declared = _pandera_columns(contract.schema_config)
    columns = {}
    for column in contract.columns:
        # The category's dtype enforces its categories; its isin check would say it twice.
        checks = [check for check in declared[column.name].checks
                  if not (column.kind == "category" and check.name == "isin")]
        parsers = normalised_categories(column.categories) if column.kind == "category" else None
        columns[column.name] = pa.Column(
            column.dtype, checks, parsers=parsers, nullable=column.nullable,
            required=not (new_rows and column.role == "target"),
            description=column.description or None)
    name = str(contract.schema_config.get("name") or "raw data")
    return pa.DataFrameSchema(columns, checks=at_least_one_row(), coerce=True, strict=True,
                              name=name)


def _optional_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
