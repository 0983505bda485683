"""The request row derived from a data contract's columns: what it accepts, what it
refuses, and what its OpenAPI schema says (descriptions, bounds, enums, the example);
names with spaces and symbols are the request's keys."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kedro_ml_starter.runtime import DataContract
from kedro_ml_starter.runtime.serving.rows import feature_kinds, row_model

CONTRACT = DataContract.from_parameters({
    "target": "kind",
    "task": "classification",
    "ignored": {"year": "when it was seen says nothing"},
    "schema": {"columns": {
        "island": {"dtype": "category", "nullable": True, "isin": ["Biscoe", "Dream"],
                   "description": "island"},
        "mass (g)": {"dtype": "float64", "nullable": True, "greater_than": 0,
                     "less_than_or_equal_to": 20_000, "description": "body mass in grams"},
        "class": {"dtype": "float64", "nullable": False},
        "year": {"dtype": "int64", "nullable": True, "description": "year of the observation"},
        "kind": {"dtype": "category", "isin": ["a", "b"]},
    }},
})
EXAMPLE = {"island": "Dream", "mass (g)": 3300.0, "class": 1.0, "year": 2007}
Row = row_model(CONTRACT.request_columns, example=EXAMPLE, description="One penguin.")


def _refused(**values) -> list[tuple]:
    with pytest.raises(ValidationError) as raised:
        Row(**values)
    return [(e["loc"][0], e["type"]) for e in raised.value.errors()]


def _row(**changes) -> dict:
    return {**EXAMPLE, **changes}


def test_the_schema_has_a_field_per_column_with_its_rules_in_words():
    schema = Row.model_json_schema()
    assert list(schema["properties"]) == ["island", "mass (g)", "class", "year"]
    assert schema["required"] == ["island", "mass (g)", "class"]
    assert schema["additionalProperties"] is False
    assert schema["description"] == "One penguin." and schema["examples"] == [EXAMPLE]
    island, mass, cls, year = (schema["properties"][n] for n in ("island", "mass (g)",
                                                                  "class", "year"))
    assert island["description"] == "island; one of Biscoe, Dream; null if unknown"
    assert island["anyOf"] == [{"enum": ["Biscoe", "Dream"], "type": "string"},
                               {"type": "null"}]
    assert mass["description"] == ("body mass in grams; greater than 0, at most 20000; "
                                   "null if unknown")
    assert mass["anyOf"][0] == {"exclusiveMinimum": 0, "maximum": 20_000, "type": "number"}
    assert cls == {"title": "Class", "type": "number"}  # not nullable: no null, required
    assert year["description"] == ("year of the observation; not used by the model, may be "
                                   "left out; null if unknown")
    assert year["anyOf"][0]["type"] == "integer" and year["default"] is None


def test_a_request_names_a_column_as_the_data_does():
    row = Row.model_validate(_row())
    assert (row.mass_g, row.class_) == (3300.0, 1.0)  # the Python fields behind the names
    assert _refused(island="Dream", mass_g=1.0, class_=1.0) == [
        ("mass (g)", "missing"), ("class", "missing"), ("mass_g", "extra_forbidden"),
        ("class_", "extra_forbidden")]


def test_features_must_be_present_and_null_only_where_the_contract_allows():
    row = Row.model_validate(_row(island=None, **{"mass (g)": None}, year=None))
    assert (row.island, row.mass_g, row.year) == (None, None, None)
    without_mass = {k: v for k, v in EXAMPLE.items() if k != "mass (g)"}
    with pytest.raises(ValidationError, match="mass \\(g\\)"):
        Row.model_validate(without_mass)
    with pytest.raises(ValidationError, match="class"):
        Row.model_validate(_row(**{"class": None}))
    with pytest.raises(ValidationError, match="colour"):
        Row.model_validate(_row(colour="red"))


def test_categories_ignore_case_and_spaces_and_refuse_the_rest():
    assert Row.model_validate(_row(island=" dREAM ")).island == "Dream"
    for island in ("Atlantis", 3):
        with pytest.raises(ValidationError, match="island"):
            Row.model_validate(_row(island=island))


@pytest.mark.parametrize("mass", ["3300", True, 0, -1.0, 20_000.5, float("inf")])
def test_a_number_is_a_json_number_within_its_bounds(mass):
    with pytest.raises(ValidationError, match="mass \\(g\\)"):
        Row.model_validate(_row(**{"mass (g)": mass}))


def test_an_integer_is_whole():
    assert Row.model_validate(_row(year=2007.0)).year == 2007
    for year in (2007.5, "2007", True):
        with pytest.raises(ValidationError, match="year"):
            Row.model_validate(_row(year=year))


def test_the_features_are_the_feature_columns_and_their_kinds():
    assert feature_kinds(CONTRACT.columns) == {"island": "category", "mass (g)": "number",
                                               "class": "number"}
