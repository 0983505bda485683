"""Stage 01: validation errors name the column and rows; the split is seeded and stratified."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers import stage_module
from {{ cookiecutter.python_package }}.utils.schema import NUMERIC_FEATURES
from {{ cookiecutter.python_package }}.utils.validation import RawDataError

nodes = stage_module("preprocessing")


def test_valid_raw_data_gets_schema_dtypes(raw):
    validated = nodes.validate_raw_data(raw)
    assert len(validated) == len(raw)
    assert validated["bill_length_mm"].dtype == "float32"
    assert isinstance(validated["island"].dtype, pd.CategoricalDtype)
    assert list(validated["species"].cat.categories) == ["Adelie", "Chinstrap", "Gentoo"]


def test_missing_column_is_named(raw):
    with pytest.raises(RawDataError, match="column 'flipper_length_mm' is missing"):
        nodes.validate_raw_data(raw.drop(columns=["flipper_length_mm"]))


def test_unknown_column_is_named(raw):
    with pytest.raises(RawDataError, match="unknown column 'colour'"):
        nodes.validate_raw_data(raw.assign(colour="black"))


def test_text_in_a_numeric_column_names_column_value_and_row(raw):
    broken = raw.astype({"body_mass_g": object})
    broken.loc[7, "body_mass_g"] = "heavy"
    with pytest.raises(RawDataError) as error:
        nodes.validate_raw_data(broken)
    message = str(error.value)
    assert "'body_mass_g'" in message and "'heavy'" in message
    assert "row 7 (CSV line 9)" in message


def test_unknown_category_value_is_named(raw):
    broken = raw.copy()
    broken.loc[[3, 10], "island"] = "Atlantis"
    with pytest.raises(RawDataError, match=r"'island'.*'Atlantis' in rows 3, 10"):
        nodes.validate_raw_data(broken)


def test_category_case_and_spaces_are_normalised(raw):
    messy = raw.copy()
    messy.loc[0, "sex"] = " MALE "
    messy.loc[1, "species"] = "adelie"
    validated = nodes.validate_raw_data(messy)
    assert validated.loc[0, "sex"] == "male"
    assert validated.loc[1, "species"] == "Adelie"


def test_no_rows_is_refused(raw):
    with pytest.raises(RawDataError, match="no rows"):
        nodes.validate_raw_data(raw.iloc[0:0])


def test_clean_drops_rows_without_species_or_measurements(raw, split_parameters):
    validated = nodes.validate_raw_data(raw)
    validated.loc[0, "species"] = None
    clean = nodes.clean_data(validated, split_parameters)
    measured = validated[list(NUMERIC_FEATURES)].notna().any(axis=1)
    assert clean["species"].notna().all()
    assert len(clean) == int((validated["species"].notna() & measured).sum())


def test_split_is_disjoint_complete_and_sized(splits, raw):
    train, evaluation, test = splits
    indexes = [set(part.index) for part in splits]
    assert not (indexes[0] & indexes[1] or indexes[0] & indexes[2] or indexes[1] & indexes[2])
    total = len(train) + len(evaluation) + len(test)
    assert total == 342  # 344 rows, 2 without any measurement
    assert abs(len(test) / total - 0.2) < 0.01 and abs(len(evaluation) / total - 0.2) < 0.01


def test_split_is_stratified(splits):
    shares = [part["species"].value_counts(normalize=True).sort_index() for part in splits]
    for other in shares[1:]:
        assert (other - shares[0]).abs().max() < 0.03


def test_split_is_reproducible_and_seeded(raw, split_parameters):
    clean = nodes.clean_data(nodes.validate_raw_data(raw), split_parameters)
    first = nodes.split_data(clean, split_parameters)
    again = nodes.split_data(clean, split_parameters)
    other = nodes.split_data(clean, {**split_parameters, "random_state": 7})
    assert list(first[2].index) == list(again[2].index)
    assert list(first[2].index) != list(other[2].index)


def test_split_refuses_sizes_that_leave_no_training_rows(raw, split_parameters):
    clean = nodes.validate_raw_data(raw)
    with pytest.raises(ValueError, match="parameters_data_preprocessing.yml"):
        nodes.split_data(clean, {**split_parameters, "test_size": 0.5, "eval_size": 0.5})
