"""The data contract of a user's file: the columns (see `columns`), the target and the task.

The task follows the target unless `--task` says otherwise: text, true/false and whole
numbers with few distinct values (at most `CLASS_LIMIT`) are classes; other numbers are
regression. A target that cannot serve the task is refused with one line naming the
problem and the fix (`UseDataError`), before anything is written.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kedro_ml_starter.runtime import ContractError, DataContract
from kedro_plugin_layout.adopt.columns import (
    ColumnDecision,
    decide,
    labels,
    nature,
    observed_range,
    ordered,
    plausible_bounds,
)
from kedro_plugin_layout.errors import UseDataError

TASKS = ("classification", "regression")
CLASS_LIMIT = 20  # a whole-number target with at most this many values is classes
ROWS_PER_CLASS = 5  # fewer rows per class on average: too many classes to learn
MIN_ROWS = 20  # fewest rows with a target value that a train/eval/test split can use
RARE_CLASS = 3  # a class with fewer rows cannot be in every split


@dataclass(frozen=True)
class Inference:
    """What `use-data` decided about a file: its columns, the target, the task and why."""

    columns: tuple[ColumnDecision, ...]
    target: str
    task: str
    why_task: str
    rows: int
    positive_class: str | None = None
    class_counts: tuple[tuple[str, int], ...] = ()
    target_range: tuple[float, float, float] | None = None  # regression: min, max, mean
    example: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def features(self) -> tuple[ColumnDecision, ...]:
        return tuple(c for c in self.columns if c.role == "feature")

    @property
    def ignored(self) -> dict[str, str]:
        return {c.name: c.reason for c in self.columns if c.role == "ignored"}

    def schema(self) -> Any:
        """The contract's pandera schema: every column of the file, strict, coerced."""
        # pandera loads inside the command's warnings filter: with pyspark installed, its
        # import warns that PySpark does not support pandas 3
        import pandera.pandas as pa

        columns = {}
        for column in self.columns:
            checks = []
            if column.bounds:
                checks = [pa.Check.greater_than_or_equal_to(_number(column.bounds[0])),
                          pa.Check.less_than_or_equal_to(_number(column.bounds[1]))]
            if column.categories:
                checks = [pa.Check.isin(list(column.categories))]
            columns[column.name] = pa.Column(column.dtype, checks, nullable=column.nullable)
        return pa.DataFrameSchema(columns, coerce=True, strict=True, name="raw data")

    def contract(self) -> Any:
        """The `DataContract` of this inference; `UseDataError` if the contract refuses it."""
        try:
            return DataContract.from_schema(
                self.schema(), target=self.target, task=self.task,
                positive_class=self.positive_class, ignored=self.ignored,
                example=self.example)
        except ContractError as error:
            raise UseDataError(f"the data contract inferred from the file is refused: "
                               f"{error}") from None


def infer(frame: Any, target: str, *, task: str | None = None,
          positive_class: str | None = None) -> Inference:
    """Decides every column's kind and role, and the task, from the rows of a file."""
    # pandera loads inside the command's warnings filter: with pyspark installed, its
    # import warns that PySpark does not support pandas 3
    import pandera.pandas as pa

    if target not in frame.columns:
        raise UseDataError(_no_such_column(target, list(frame.columns)))
    try:
        schema = pa.infer_schema(frame)  # a frame's: a DataFrameSchema, never a SeriesSchema
        inferred = dict(schema.columns) if isinstance(schema, pa.DataFrameSchema) else {}
    except Exception:  # noqa: BLE001 - a dtype pandera cannot infer: read the data directly
        inferred = {}
    target_column, task, why = _target(frame[target], target, task)
    columns = tuple(target_column if name == target else decide(name, frame[name],
                                                                inferred.get(name))
                    for name in frame.columns)
    if not any(c.role == "feature" for c in columns):
        raise UseDataError(f"every column but the target {target!r} is ignored (identifiers, "
                           "constants, free text, dates): the model has nothing to learn from; "
                           "add columns of numbers or categories")
    with_target = int(frame[target].notna().sum())
    if with_target < MIN_ROWS:
        raise UseDataError(f"only {with_target} rows have a value of the target {target!r}; a "
                           f"train/eval/test split needs at least {MIN_ROWS}")
    counts, target_range, notes = _target_facts(frame[target], target_column, task)
    return Inference(
        columns=columns, target=target, task=task, why_task=why, rows=len(frame),
        positive_class=_positive(positive_class, target_column, task),
        class_counts=counts, target_range=target_range,
        example=example_row(frame, columns, target), notes=notes)


def _target(values: Any, name: str, task: str | None) -> tuple[ColumnDecision, str, str]:
    """The target's column, the task and why that task; refuses a target that cannot
    serve it. The target is nullable whatever the file holds: stage 01 drops a row without
    a target (it teaches nothing) rather than refusing the file."""
    present = values.dropna()
    missing = 1 - len(present) / len(values)
    kind_of = nature(values)
    if present.empty:
        raise UseDataError(f"the target {name!r} has no values; choose another --target")
    if kind_of == "date":
        raise UseDataError(f"the target {name!r} holds dates, which the model cannot predict; "
                           "choose another --target")
    numeric = kind_of in ("integer", "number")
    named = labels(present) if not numeric else {}
    distinct = int(present.nunique()) if numeric else len(set(named.values()))
    if distinct < 2:
        only = present.iloc[0] if len(present) else ""
        raise UseDataError(f"the target {name!r} has one value ({only}) in every row: there is "
                           "nothing to learn; choose another --target")
    whole = numeric and bool((present == present.round()).all())
    chosen, why = _task(kind_of, whole, distinct, task)
    if chosen == "regression":
        if not numeric:
            shown = ", ".join(ordered(set(named.values()))[:3])
            what = "true/false" if kind_of == "boolean" else kind_of
            raise UseDataError(f"the target {name!r} holds {what} values ({shown}, ...), "
                               "which regression cannot predict; use --task classification")
        low, high = observed_range(present)
        return ColumnDecision(name=name, kind=kind_of, role="target", missing=missing,
                              distinct=distinct, nullable=True,
                              bounds=plausible_bounds(low, high, kind_of == "integer")), \
            chosen, why
    if numeric and not whole:
        raise UseDataError(f"the target {name!r} holds continuous numbers ({distinct} distinct "
                           "values), which are not classes; use --task regression")
    if distinct > len(present) / ROWS_PER_CLASS:
        fix = "use --task regression" if numeric else "is it the right column?"
        raise UseDataError(f"the target {name!r} has {distinct} distinct values in {len(present)} "
                           f"rows: too many classes to learn (fewer than {ROWS_PER_CLASS} rows "
                           f"each); {fix}")
    categories: tuple[str, ...]
    if kind_of == "boolean":
        categories = ("False", "True")
    else:
        categories = ordered({str(v) for v in present.unique()} if numeric
                             else set(named.values()))
    return ColumnDecision(name=name, kind="category", role="target", missing=missing,
                          distinct=distinct, nullable=True, categories=categories), chosen, why


def _task(kind_of: str, whole: bool, distinct: int, task: str | None) -> tuple[str, str]:
    if task is not None:
        if task not in TASKS:
            raise UseDataError(f"--task {task!r} is not a task; use one of {', '.join(TASKS)}")
        return task, "chosen with --task"
    if kind_of == "boolean":
        return "classification", "true or false"
    if kind_of == "text":
        return "classification", f"text with {distinct} values"
    if whole and distinct <= CLASS_LIMIT:
        return "classification", (f"{distinct} whole numbers: classes; --task regression "
                                  "predicts them as numbers")
    return "regression", f"numbers with {distinct} distinct values"


Balance = tuple[tuple[str, int], ...]
Range = tuple[float, float, float]


def _target_facts(values: Any, column: ColumnDecision,
                  task: str) -> tuple[Balance, Range | None, tuple[str, ...]]:
    """The class balance (classification) or the target's range (regression), and notes."""
    present = values.dropna()
    if task == "regression":
        return (), (float(present.min()), float(present.max()), float(present.mean())), ()
    canonical = {c.lower(): c for c in column.categories}
    names = present.map(lambda v: canonical.get(str(v).strip().lower(), str(v)))
    counts = names.value_counts()
    balance = tuple((c, int(counts.get(c, 0))) for c in column.categories)
    rare = [c for c, n in balance if n < RARE_CLASS]
    if not rare:
        return balance, None, ()
    note = (f"class {', '.join(map(repr, rare))} of {column.name!r} has fewer than "
            f"{RARE_CLASS} rows: the split cannot put it in train, eval and test")
    return balance, None, (note,)


def _positive(asked: str | None, target: ColumnDecision, task: str) -> str | None:
    if asked is None:
        return None
    if task != "classification" or len(target.categories) != 2:
        raise UseDataError(f"--positive-class applies to binary classification; the target "
                           f"{target.name!r} has {len(target.categories) or 'no'} classes")
    match = {c.lower(): c for c in target.categories}.get(asked.strip().lower())
    if match is None:
        raise UseDataError(f"--positive-class {asked!r} is not a class of {target.name!r}; its "
                           f"classes are {', '.join(target.categories)}")
    return match


def example_row(frame: Any, columns: tuple[ColumnDecision, ...], target: str) -> dict[str, Any]:
    """The API's example request: the first row with every feature, as JSON values."""
    features = [c.name for c in columns if c.role == "feature"]
    complete = frame[features].notna().all(axis=1) & frame[target].notna()
    row = frame[complete].iloc[0] if complete.any() else frame.iloc[0]
    return {c.name: json_value(row[c.name], c) for c in columns if c.name != target}


def json_value(value: Any, column: ColumnDecision) -> Any:
    """A cell as a request carries it: numbers as numbers, categories as their text."""
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    if column.kind == "category":
        text = str(value).strip()
        return {c.lower(): c for c in column.categories}.get(text.lower(), text) or None
    if column.kind == "number":
        return float(value)
    if column.kind == "integer":
        return int(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() and math.isfinite(value) else value


def _no_such_column(target: str, names: list[str]) -> str:
    close = difflib.get_close_matches(target, names, n=1) or [
        n for n in names if n.lower() == target.lower()]
    hint = f"did you mean {close[0]!r}?" if close else f"the columns are {', '.join(names)}"
    return f"the file has no column {target!r} (names are case-sensitive); {hint}"
