"""The request row derived from a project's column table: what it accepts, what it refuses,
and what its OpenAPI schema says (descriptions, bounds, enums, the example)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pydantic import ValidationError

from kedro_ml_starter.runtime.serving.rows import feature_kinds, row_model


@dataclass(frozen=True)
class Column:
    """A project's `utils/schema.py` Column, as generated projects define it."""

    name: str
    kind: str
    description: str
    categories: tuple[str, ...] = ()
    feature: bool = True
    maximum: float | None = None


COLUMNS = (
    Column("island", "category", "island", ("Biscoe", "Dream")),
    Column("mass", "number", "body mass in grams", maximum=20_000),
    Column("year", "integer", "year of the observation", feature=False),
)
EXAMPLE = {"island": "Dream", "mass": 3300.0, "year": 2007}
Row = row_model(COLUMNS, example=EXAMPLE, description="One penguin.")


def _refused(**values) -> list[tuple]:
    with pytest.raises(ValidationError) as raised:
        Row(**values)
    return [(e["loc"][0], e["type"]) for e in raised.value.errors()]


def test_the_schema_has_a_field_per_column_with_its_rules_in_words():
    schema = Row.model_json_schema()
    assert list(schema["properties"]) == ["island", "mass", "year"]
    assert schema["required"] == ["island", "mass"]
    assert schema["additionalProperties"] is False
    assert schema["description"] == "One penguin." and schema["examples"] == [EXAMPLE]
    island, mass, year = (schema["properties"][name] for name in ("island", "mass", "year"))
    assert island["description"] == "island; one of Biscoe, Dream; null if unknown"
    assert island["anyOf"] == [{"enum": ["Biscoe", "Dream"], "type": "string"},
                               {"type": "null"}]
    assert mass["description"] == "body mass in grams; positive, at most 20000; null if unknown"
    assert mass["anyOf"][0] == {"exclusiveMinimum": 0, "maximum": 20_000, "type": "number"}
    assert year["description"] == ("year of the observation; not used by the model, may be "
                                   "left out; null if unknown")
    assert year["anyOf"][0] == {"maximum": 32_767, "minimum": -32_768, "type": "integer"}
    assert year["default"] is None


def test_features_must_be_present_but_may_be_null():
    row = Row(island=None, mass=None)
    assert (row.island, row.mass, row.year) == (None, None, None)
    assert _refused(island="Dream") == [("mass", "missing")]
    assert _refused(island="Dream", mass=1.0, colour="red") == [("colour", "extra_forbidden")]


def test_categories_ignore_case_and_spaces_and_refuse_the_rest():
    assert Row(island=" dREAM ", mass=1.0).island == "Dream"
    assert _refused(island="Atlantis", mass=1.0) == [("island", "literal_error")]
    assert _refused(island=3, mass=1.0) == [("island", "literal_error")]


@pytest.mark.parametrize("mass", ["3300", True, 0, -1.0, 20_000.5, float("inf")])
def test_a_number_is_a_positive_json_number_within_its_maximum(mass):
    assert [field for field, _ in _refused(island="Dream", mass=mass)] == ["mass"]


def test_an_integer_is_whole_and_fits_its_storage():
    assert Row(island="Dream", mass=1.0, year=2007.0).year == 2007
    for year in (2007.5, "2007", True, 40_000):
        assert [field for field, _ in _refused(island="Dream", mass=1.0, year=year)] == ["year"]


def test_the_features_are_the_feature_columns_and_their_kinds():
    assert feature_kinds(COLUMNS) == {"island": "category", "mass": "number"}


def test_an_unknown_kind_is_refused_naming_the_column():
    with pytest.raises(ValueError, match="column 'when' has kind 'date'; expected number, "
                                         "integer or category"):
        row_model([Column("when", "date", "a date")])
