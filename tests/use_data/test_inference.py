"""`use-data`'s inference: each column's kind and role, the task, the contract it makes.

Pure functions of data frames: no project, no files but the ones a test writes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from kedro_plugin_layout.adopt.columns import plausible_bounds
from kedro_plugin_layout.adopt.inference import infer
from kedro_plugin_layout.errors import UseDataError
from tests.use_data import datasets


def roles(inference):
    return {c.name: (c.kind, c.role) for c in inference.columns}


def test_the_messy_table_keeps_only_columns_a_model_can_read():
    inference = infer(datasets.messy_frame(), "churned")

    assert roles(inference) == {
        "Customer ID": ("integer", "ignored"),
        "age (years)": ("number", "feature"),
        "plan type": ("category", "feature"),
        "country": ("text", "ignored"),
        "comment": ("text", "ignored"),
        "signup date": ("text", "ignored"),
        "is active?": ("category", "feature"),
        "monthly spend ($)": ("number", "feature"),
        "churned": ("category", "target"),
    }
    reasons = inference.ignored
    assert reasons["Customer ID"].startswith("an identifier")
    assert reasons["country"] == "one value only (NL)"
    assert reasons["comment"].startswith("free text")
    assert reasons["signup date"].startswith("a date (2023-01-01 to 2023-11-")
    column = {c.name: c for c in inference.columns}
    assert column["is active?"].categories == ("False", "True")
    assert column["plan type"].categories == ("basic", "plus", "premium")
    assert column["plan type"].nullable and column["age (years)"].nullable
    assert not column["monthly spend ($)"].nullable
    assert column["age (years)"].missing == pytest.approx(18 / 160)


def test_the_contract_validates_the_file_it_was_inferred_from_and_names_columns_as_it_does():
    frame = datasets.messy_frame()
    contract = infer(frame, "churned").contract()

    validated = contract.validate(frame)

    assert list(validated.columns) == list(frame.columns)
    assert contract.feature_names == ("age (years)", "plan type", "is active?",
                                      "monthly spend ($)")
    assert contract.column("monthly spend ($)").field.isidentifier()
    assert "index" not in contract.to_parameters()["schema"]
    # a request carries every column but the target, the way the file names them
    assert set(contract.example) == set(frame.columns) - {"churned"}
    assert contract.example["is active?"] in ("True", "False")
    assert isinstance(contract.example["age (years)"], float)


def test_bounds_are_plausibility_limits_wider_than_the_observed_range():
    assert plausible_bounds(32.1, 59.6, False) == (4.6, 88.0)  # span 27.5 each side, rounded
    assert plausible_bounds(3.0, 8.0, False) == (0.0, 13.0)  # never below 0 when none is
    assert plausible_bounds(-0.107, 0.199, False) == (-0.42, 0.51)
    assert plausible_bounds(18, 79, True) == (0.0, 140.0)
    assert plausible_bounds(5.0, 5.0, False) == (0.0, 10.0)  # no span: the value's size


def test_a_new_row_just_outside_the_training_range_is_still_valid():
    frame = datasets.messy_frame()
    contract = infer(frame, "churned").contract()
    row = frame.iloc[[0]].copy()
    row["age (years)"] = frame["age (years)"].max() + 5
    row["monthly spend ($)"] = frame["monthly spend ($)"].min() * 0.5

    contract.validate(row)


@pytest.mark.parametrize(("build", "task", "classes"), [
    (datasets.iris, "classification", ("setosa", "versicolor", "virginica")),
    (datasets.wine, "classification", ("1", "2", "3")),
    (datasets.breast_cancer, "classification", ("0", "1")),
    (datasets.diabetes, "regression", ()),
])
def test_the_task_follows_the_target(tmp_path, build, task, classes):
    file = build(tmp_path)
    frame = pd.read_parquet(file.path) if file.path.suffix == ".parquet" else \
        pd.read_csv(file.path)

    inference = infer(frame, file.target)

    assert inference.task == task
    assert tuple(c for c, _ in inference.class_counts) == classes
    assert sum(n for _, n in inference.class_counts) in (0, len(frame))
    assert len(inference.features) == len(frame.columns) - 1
    if task == "regression":
        low, high, _ = inference.target_range
        assert low == frame[file.target].min() and high == frame[file.target].max()


def test_task_decides_when_given():
    frame = datasets.messy_frame()
    frame["visits"] = np.arange(len(frame)) % 5  # five whole numbers: classes by default

    assert infer(frame, "visits").task == "classification"
    regression = infer(frame, "visits", task="regression")
    assert regression.task == "regression"
    assert regression.why_task == "chosen with --task"
    target = next(c for c in regression.columns if c.role == "target")
    assert target.kind == "integer" and target.bounds == (0.0, 8.0)


def test_a_binary_target_takes_its_positive_class_in_any_case():
    inference = infer(datasets.messy_frame(), "churned", positive_class=" YES")

    assert inference.positive_class == "yes"
    assert inference.contract().positive == "yes"
    assert infer(datasets.messy_frame(), "churned").contract().positive == "yes"  # the last


def test_categories_are_read_as_validation_reads_them():
    frame = pd.DataFrame({
        "colour": ["red", " Red", "blue ", "BLUE", "   ", None] * 5,
        "size": np.arange(30) % 7 + 0.5,
        "label": ["a", "b", "c"] * 10,
    })

    inference = infer(frame, "label")

    colour = next(c for c in inference.columns if c.name == "colour")
    assert colour.categories == ("blue", "red")
    assert colour.nullable  # a blank is a missing value
    inference.contract().validate(frame)


def test_a_schema_pandera_reads_back_with_the_kinds_it_was_written_with():
    import pandera.pandas as pa

    frame = datasets.messy_frame()
    schema_config = infer(frame, "churned").contract().to_parameters()["schema"]
    text = yaml.safe_dump(schema_config, sort_keys=False)
    schema = pa.DataFrameSchema.from_yaml(text)

    assert list(schema.columns) == list(frame.columns)
    assert str(schema.columns["plan type"].dtype) == "category"
    assert schema.strict and schema.coerce


@pytest.mark.parametrize(("change", "target", "task", "message"), [
    (None, "Churned", None,
     "the file has no column 'Churned' (names are case-sensitive); did you mean 'churned'?"),
    (lambda f: f.assign(churned="yes"), "churned", None,
     "the target 'churned' has one value (yes) in every row: there is nothing to learn; "
     "choose another --target"),
    (lambda f: f.assign(churned=np.nan), "churned", None,
     "the target 'churned' has no values; choose another --target"),
    (None, "monthly spend ($)", "classification",
     "the target 'monthly spend ($)' holds continuous numbers (157 distinct values), which "
     "are not classes; use --task regression"),
    (None, "churned", "regression",
     "the target 'churned' holds text values (no, yes, ...), which regression cannot "
     "predict; use --task classification"),
    (None, "signup date", None,
     "the target 'signup date' holds dates, which the model cannot predict; choose another "
     "--target"),
    (lambda f: f.assign(code=np.arange(len(f)) % 60), "code", "classification",
     "the target 'code' has 60 distinct values in 160 rows: too many classes to learn (fewer "
     "than 5 rows each); use --task regression"),
    (lambda f: f.head(15), "churned", None,
     "only 15 rows have a value of the target 'churned'; a train/eval/test split needs at "
     "least 20"),
    (lambda f: f[["Customer ID", "comment", "country", "churned"]], "churned", None,
     "every column but the target 'churned' is ignored (identifiers, constants, free text, "
     "dates): the model has nothing to learn from; add columns of numbers or categories"),
])
def test_a_target_that_cannot_serve_the_task_is_refused_in_one_line(change, target, task,
                                                                     message):
    frame = datasets.messy_frame()
    frame = change(frame) if change else frame

    with pytest.raises(UseDataError) as refused:
        infer(frame, target, task=task)

    assert refused.value.message == message


@pytest.mark.parametrize(("target", "positive", "message"), [
    ("churned", "maybe", "--positive-class 'maybe' is not a class of 'churned'; its classes "
                         "are no, yes"),
    ("plan type", "plus", "--positive-class applies to binary classification; the target "
                          "'plan type' has 3 classes"),
])
def test_a_positive_class_that_is_not_one_of_two_is_refused(target, positive, message):
    with pytest.raises(UseDataError) as refused:
        infer(datasets.messy_frame(), target, positive_class=positive)

    assert refused.value.message == message
