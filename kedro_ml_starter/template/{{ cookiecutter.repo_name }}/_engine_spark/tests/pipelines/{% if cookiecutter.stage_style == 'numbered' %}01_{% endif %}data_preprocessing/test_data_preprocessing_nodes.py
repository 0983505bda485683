"""Stage 01 on Spark: validation errors name the column, a value and how many rows; the
split is seeded, and a row's part depends on its values only, not on how Spark holds it."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from pyspark.sql import functions as F

from tests.helpers import stage_module
from {{ cookiecutter.python_package }}.utils.schema import NUMERIC_FEATURES
from {{ cookiecutter.python_package }}.utils.validation import RawDataError

nodes = stage_module("preprocessing")
GENTOO = "species = 'Gentoo'"  # a SQL condition: a Column needs a running session


def _broken(raw: Any, column: str, value: str, where: str = GENTOO) -> tuple[Any, int]:
    """`raw` with `value` in `column` on the rows `where` selects, and how many those are."""
    changed = F.when(F.expr(where), F.lit(value)).otherwise(F.col(column))
    return raw.withColumn(column, changed), raw.where(where).count()


def _one_row(spark: Any, raw: Any, **values: str | None) -> Any:
    """One raw row (all text, like the CSV) from the first shipped row with `values` set."""
    first = raw.first().asDict()
    return spark.createDataFrame([{**first, **values}], schema=raw.schema)


def _rows(frame: Any) -> Counter:
    return Counter(tuple(row) for row in frame.collect())


def test_valid_raw_data_gets_schema_types(raw):
    validated = nodes.validate_raw_data(raw)
    types = dict(validated.dtypes)
    assert validated.count() == 344
    assert types["bill_length_mm"] == "double" and types["year"] == "int"
    assert types["island"] == "string"
    species = {row["species"] for row in validated.select("species").distinct().collect()}
    assert species == {"Adelie", "Chinstrap", "Gentoo"}


def test_missing_column_is_named(raw):
    with pytest.raises(RawDataError, match="column 'flipper_length_mm' is missing"):
        nodes.validate_raw_data(raw.drop("flipper_length_mm"))


def test_unknown_column_is_named(raw):
    with pytest.raises(RawDataError, match="unknown column 'colour'"):
        nodes.validate_raw_data(raw.withColumn("colour", F.lit("black")))


def test_text_in_a_numeric_column_names_column_value_and_count(raw):
    broken, rows = _broken(raw, "body_mass_g", "heavy")
    with pytest.raises(RawDataError) as error:
        nodes.validate_raw_data(broken)
    assert str(error.value) == (
        f"column 'body_mass_g' must hold numbers: found 'heavy' in {rows} rows"
    )


def test_unknown_category_value_is_named(raw):
    broken, rows = _broken(raw, "island", "Atlantis", "bill_length_mm = '39.1'")
    with pytest.raises(RawDataError, match=rf"'island' must be one of .*: found 'Atlantis' "
                                           rf"in {rows} rows?$"):
        nodes.validate_raw_data(broken)


def test_a_fractional_year_is_refused(raw):
    broken, rows = _broken(raw, "year", "2007.5")
    with pytest.raises(RawDataError, match=rf"'year' must hold whole numbers: found "
                                           rf"'2007.5' in {rows} rows"):
        nodes.validate_raw_data(broken)


def test_a_negative_mass_is_refused(spark, raw):
    with pytest.raises(RawDataError, match=r"'body_mass_g' must hold positive numbers: "
                                           r"found '-3' in 1 row$"):
        nodes.validate_raw_data(_one_row(spark, raw, body_mass_g="-3"))


def test_no_rows_is_refused(raw):
    with pytest.raises(RawDataError, match="no rows"):
        nodes.validate_raw_data(raw.limit(0))


def test_category_case_and_spaces_are_normalised(spark, raw):
    row = nodes.validate_raw_data(
        _one_row(spark, raw, sex=" MALE ", species="adelie", island="torgersen ")
    ).first()
    assert (row["sex"], row["species"], row["island"]) == ("male", "Adelie", "Torgersen")


def test_na_and_empty_text_are_missing_values(spark, raw):
    row = nodes.validate_raw_data(
        _one_row(spark, raw, bill_length_mm="NA", body_mass_g="", sex="NA", island=" ")
    ).first()
    assert row["bill_length_mm"] is None and row["body_mass_g"] is None
    assert row["sex"] is None and row["island"] is None
    assert row["bill_depth_mm"] == pytest.approx(18.7)


def test_clean_drops_rows_without_species_or_measurements(raw, split_parameters):
    validated = nodes.validate_raw_data(
        _broken(raw, "species", "", "bill_length_mm = '39.1'")[0]
    )
    clean = nodes.clean_data(validated, split_parameters)
    expected = validated.toPandas()
    measured = expected[list(NUMERIC_FEATURES)].notna().any(axis=1)
    assert clean.where(F.col("species").isNull()).count() == 0
    assert clean.count() == int((expected["species"].notna() & measured).sum())
    assert clean.count() < 342  # the raw data has 342 rows with species and measurements


def test_split_is_disjoint_complete_and_sized(splits, clean):
    train, evaluation, test = (_rows(part) for part in splits)
    assert train + evaluation + test == _rows(clean)
    assert not (set(train) & set(evaluation) or set(train) & set(test)
                or set(evaluation) & set(test))
    total = clean.count()
    assert total == 342  # 344 rows, 2 without any measurement
    for part in (evaluation, test):
        assert abs(sum(part.values()) / total - 0.2) < 0.06


def test_split_is_the_same_however_spark_partitions_the_rows(clean, splits, split_parameters):
    again = nodes.split_data(clean, split_parameters)
    shuffled = nodes.split_data(clean.repartition(5, "body_mass_g"), split_parameters)
    for part, second, third in zip(splits, again, shuffled):
        assert _rows(second) == _rows(part)
        assert _rows(third) == _rows(part)


def test_identical_rows_land_in_the_same_part(clean, splits, split_parameters):
    doubled = nodes.split_data(clean.unionByName(clean), split_parameters)
    for part, twice in zip(splits, doubled):
        assert _rows(twice) == Counter({row: 2 * n for row, n in _rows(part).items()})


def test_the_seed_changes_the_split(clean, splits, split_parameters):
    other = nodes.split_data(clean, {**split_parameters, "random_state": 7})
    assert _rows(other[2]) != _rows(splits[2])


@pytest.mark.parametrize("test_size, eval_size", [(0.5, 0.5), (0.0, 0.2), (0.2, 1.2)])
def test_split_refuses_sizes_that_leave_no_training_rows(clean, split_parameters,
                                                         test_size, eval_size):
    with pytest.raises(ValueError, match=rf"test_size \({test_size}\) and eval_size "
                                         rf"\({eval_size}\) must be between 0 and 1.*"
                                         "parameters_data_preprocessing.yml"):
        nodes.split_data(clean, {**split_parameters, "test_size": test_size,
                                 "eval_size": eval_size})
