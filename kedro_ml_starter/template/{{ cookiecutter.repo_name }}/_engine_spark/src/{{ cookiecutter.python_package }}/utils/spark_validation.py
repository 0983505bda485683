"""Validation of raw rows on Spark: the rules and messages of `validation.py`, in one pass.

The raw CSV is read as text (no schema inference, which would cost a pass of its own);
each column is cast here, and every value that fails a rule is flagged in the same
`select`. One aggregation counts the flags, so a valid file costs one read, and the typed
rows are cached for the stages that follow. Spark rows have no fixed order, so an error
names the column, one offending value and how many rows have the problem.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyspark import StorageLevel
from pyspark.sql import Column as SparkColumn
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import BooleanType, DataType

from .schema import COLUMNS, INPUT_COLUMNS, TARGET, Column
from .validation import RawDataError, check_columns

# Text that means "no value" in a raw file, besides an empty field.
MISSING_TOKENS = ("", "NA")
SPARK_TYPES = {"number": "double", "integer": "int", "category": "string"}


@dataclass(frozen=True)
class _Check:
    """One column's typed value and the rule its raw value breaks (null when none)."""

    column: Column
    value: SparkColumn
    problem: SparkColumn

    @property
    def flag(self) -> str:
        return f"__problem_{self.column.name}"


def validate_spark_frame(frame: DataFrame, *, require_target: bool) -> DataFrame:
    """The rows with schema columns in schema order and schema types, or RawDataError."""
    expected = (TARGET, *INPUT_COLUMNS) if require_target else INPUT_COLUMNS
    check_columns(frame.columns, expected)
    checks = [_check(c, frame.schema[c.name].dataType) for c in COLUMNS
              if c.name in frame.columns]
    checked = frame.select(
        *(check.value.alias(check.column.name) for check in checks),
        *(check.problem.alias(check.flag) for check in checks),
    ).persist(StorageLevel.MEMORY_AND_DISK)
    counts = checked.agg(
        F.count(F.lit(1)).alias("rows"),
        *(F.count(check.flag).alias(check.flag) for check in checks),
    ).first()
    assert counts is not None  # an aggregation always has one row
    if counts["rows"] == 0:
        checked.unpersist()
        raise RawDataError("the data has no rows; expected at least one row")
    for check in checks:
        if counts[check.flag]:
            checked.unpersist()
            raise _error(frame, check, counts[check.flag])
    return checked.select(*(check.column.name for check in checks))


def spark_schema_ddl(columns: tuple[str, ...]) -> str:
    """`name type, ...` for `columns`: the schema of validated rows, e.g. for new frames."""
    by_name = {c.name: c for c in COLUMNS}
    return ", ".join(f"{name} {SPARK_TYPES[by_name[name].kind]}" for name in columns)


def _check(column: Column, raw_type: DataType) -> _Check:
    raw = F.col(column.name)
    text = F.trim(raw.cast("string"))
    missing = raw.isNull() | text.isin(*MISSING_TOKENS)
    if column.kind == "category":
        lookup = F.create_map(*(F.lit(x) for c in column.categories for x in (c.lower(), c)))
        value = F.when(~missing, lookup[F.lower(text)])
        rule = f"must be one of {', '.join(column.categories)} (or empty)"
        return _Check(column, value, F.when(~missing & value.isNull(), F.lit(rule)))
    if isinstance(raw_type, BooleanType):
        never = F.lit(None).cast("double")
        return _Check(column, never, F.when(~missing, F.lit("must hold numbers, not true/false")))
    number = F.when(~missing, text.try_cast("double"))
    not_number = ~missing & number.isNull()
    if column.kind == "integer":
        problem = (F.when(not_number, F.lit("must hold numbers"))
                   .when(number != F.floor(number), F.lit("must hold whole numbers")))
        return _Check(column, number.cast("int"), problem)
    problem = (F.when(not_number, F.lit("must hold numbers"))
               .when(number <= 0, F.lit("must hold positive numbers")))
    return _Check(column, number, problem)


def _error(frame: DataFrame, check: _Check, rows: int) -> RawDataError:
    """The message for the first rule `check` found broken (this query runs only on error)."""
    example = (frame.select(F.col(check.column.name).cast("string").alias("value"),
                            check.problem.alias("rule"))
               .where(F.col("rule").isNotNull()).first())
    assert example is not None  # the aggregation counted at least one
    plural = "s" if rows > 1 else ""
    return RawDataError(
        f"column {check.column.name!r} {example['rule']}: found {example['value']!r} "
        f"in {rows} row{plural}"
    )
