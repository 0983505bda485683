"""The pandera schema checked on Spark: the same rules and words as pandas, counts instead
of rows, in one pass; and the types of the validated columns."""

from __future__ import annotations

import pandas as pd
import pytest

from kedro_ml_starter.runtime.validation import DataValidationError
from tests.runtime.schemas import raw_schema, raw_table
from tests.support import PYTHON, run

pytestmark = pytest.mark.spark


def _frame(spark, table: pd.DataFrame):
    """The table as Spark reads a CSV without a schema: every column text."""
    rows = [[None if pd.isna(v) else str(v) for v in row] for row in table.to_numpy()]
    return spark.createDataFrame(rows, ", ".join(f"{c} string" for c in table.columns))


def _line(spark, table: pd.DataFrame) -> str:
    from kedro_ml_starter.runtime.spark_validation import validate_spark

    with pytest.raises(DataValidationError) as error:
        validate_spark(_frame(spark, table), raw_schema())
    return str(error.value)


def test_valid_rows_get_the_schemas_types_in_its_order(spark):
    from kedro_ml_starter.runtime.spark_validation import spark_ddl, validate_spark

    table = raw_table()[["year", "mass", "colour", "length"]].astype(object)
    table.loc[0, "colour"] = " BLACK "
    table.loc[1, "mass"] = "NA"
    validated = validate_spark(_frame(spark, table), raw_schema())
    assert validated.dtypes == [("colour", "string"), ("mass", "double"),
                                ("length", "double"), ("year", "int")]
    rows = validated.collect()
    assert rows[0]["colour"] == "black" and rows[1]["mass"] is None
    assert spark_ddl(raw_schema(), ["mass", "year"]) == "`mass` double, `year` int"


@pytest.mark.parametrize(
    ("column", "values", "line"),
    [
        ("mass", ["heavy", "x"], "column 'mass' must hold numbers: found 'heavy', 'x' in 2 rows"),
        ("mass", ["-1"], "column 'mass' must be greater than 0: found '-1' in 1 row"),
        ("length", ["11"], "column 'length' must be between 1 and 10: found '11' in 1 row"),
        ("year", ["2007.5"], "column 'year' must hold whole numbers: found '2007.5' in 1 row"),
        ("colour", ["green"],
         "column 'colour' must be one of black, white (or empty): found 'green' in 1 row"),
    ],
)
def test_a_broken_rule_names_column_value_and_count(spark, column, values, line):
    table = raw_table().astype({column: object})
    for row, value in enumerate(values):
        table.loc[row, column] = value
    assert _line(spark, table) == line


def test_missing_and_unknown_columns_and_no_rows(spark):
    assert _line(spark, raw_table().drop(columns="mass")) == (
        "column 'mass' is missing; expected columns: colour, mass, length, year"
    )
    assert _line(spark, raw_table().assign(size="1")) == (
        "unknown column 'size'; expected columns: colour, mass, length, year"
    )
    assert _line(spark, raw_table().iloc[0:0]) == (
        "the data has no rows; expected at least one row"
    )


def test_every_problem_is_a_line_with_a_few_values_and_a_count(spark):
    table = raw_table().astype(object)
    table.loc[0, "colour"] = "green"
    table.loc[[1, 2], "mass"] = ["-1", "-2"]
    table.loc[3, "mass"] = "500"
    table.loc[[0, 1, 2, 3], "length"] = ["0.1", "0.2", "0.3", "0.4"]
    assert _line(spark, table.assign(size="1")).splitlines() == [
        "unknown column 'size'; expected columns: colour, mass, length, year",
        "column 'colour' must be one of black, white (or empty): found 'green' in 1 row",
        "column 'mass' must be greater than 0: found '-1', '-2' in 2 rows",
        "column 'mass' must be at most 100: found '500' in 1 row",
        ("column 'length' must be between 1 and 10: found '0.1', '0.2', '0.3' and 1 more "
         "value in 4 rows"),
    ]


def test_a_missing_value_where_none_may_be_is_named(spark):
    import pandera.pandas as pa

    from kedro_ml_starter.runtime.spark_validation import validate_spark

    schema = pa.DataFrameSchema({"mass": pa.Column(float, nullable=False)})
    with pytest.raises(DataValidationError) as error:
        validate_spark(spark.createDataFrame([("1",), ("NA",), (None,)], "mass string"), schema)
    assert str(error.value) == "column 'mass' must not be empty: found a missing value in 2 rows"


def test_names_with_dots_spaces_and_backquotes_are_taken_literally(spark):
    import pandera.pandas as pa

    from kedro_ml_starter.runtime.spark_validation import spark_ddl, validate_spark

    names = ["a.b", "body mass (g)", "odd`name"]
    schema = pa.DataFrameSchema({name: pa.Column(float, pa.Check.gt(0), nullable=True)
                                 for name in names}, strict=True)
    ddl = ", ".join(f"`{name.replace('`', '``')}` string" for name in names)
    frame = spark.createDataFrame([("1", "2", "3"), ("4", "-5", None)], ddl)
    with pytest.raises(DataValidationError) as error:
        validate_spark(frame, schema)
    assert str(error.value) == "column 'body mass (g)' must be greater than 0: found '-5' in 1 row"
    valid = validate_spark(frame.limit(1), schema)
    assert valid.columns == names and valid.first()["a.b"] == 1.0
    assert spark_ddl(schema) == "`a.b` double, `body mass (g)` double, `odd``name` double"


def test_a_check_spark_cannot_run_is_named_in_one_line():
    import pandera.pandas as pa
    from pyspark.sql import SparkSession

    from kedro_ml_starter.errors import UserError
    from kedro_ml_starter.runtime.spark_validation import validate_spark

    spark = SparkSession.getActiveSession()
    assert spark is not None
    schema = pa.DataFrameSchema({"mass": pa.Column(float, pa.Check(lambda s: s > 0))})
    with pytest.raises(UserError, match="check '<lambda>' has no Spark translation"):
        validate_spark(spark.createDataFrame([("1",)], "mass string"), schema)


def test_pandera_pyspark_still_cannot_be_imported_next_to_pandas(tmp_path):
    """Canary for docs/spark.md ("pandera's own pyspark support cannot be imported next to
    pandas 3") and the spark_validation docstring: the first reason the Spark validator is
    our own. When pandera or pyspark fixes it, this fails: measure pandera.pyspark again
    and update both texts.

    Imported in a child process (a failed import would leave half a package in this one),
    from a script file: under `python -c`, pyspark.sql.connect takes itself for a doctest
    run and exits 0.
    """
    from importlib.metadata import version

    script = tmp_path / "canary.py"
    script.write_text("import pandera.pyspark\n")

    result = run([PYTHON, str(script)], tmp_path)

    assert result.returncode == 1, (version("pandas"), version("pandera"), version("pyspark"))
    assert ("ImportError: cannot import name 'DateOffset' from "
            "'pandas.tseries.frequencies'") in result.stderr
