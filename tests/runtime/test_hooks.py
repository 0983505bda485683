"""The error hooks on their own: a missing input names the stage to run first, invalid
data is one line naming dataset, column, value and rows; and importing the runtime (which
every `kedro` command does through settings.py) pulls in nothing heavy."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from types import SimpleNamespace

import click
import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Node, Pipeline
from pandera.errors import SchemaError, SchemaErrors

from kedro_ml_starter.runtime.hooks import (
    InvalidData,
    ReadableErrorsHook,
    StageInputMissing,
    StageInputsHook,
    producing_stage,
)
from tests.runtime.schemas import raw_schema, raw_table
from tests.support import PYTHON, run

STAGE = """
from kedro.pipeline import Node, Pipeline


def create_pipeline(**kwargs):
    return Pipeline([Node(lambda x: x, "{source}", "{target}", name="{target}_node")])
"""


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A project package with two numbered stages, `01_make` then `02_use`."""
    root = tmp_path / "hook_probe"
    for folder, source, target in (("01_make", "raw", "made"), ("02_use", "made", "used")):
        (root / "pipelines" / folder).mkdir(parents=True)
        code = STAGE.format(source=source, target=target)
        (root / "pipelines" / folder / "__init__.py").write_text(textwrap.dedent(code))
    (root / "__init__.py").write_text("")
    (root / "pipelines" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("kedro.framework.project.PACKAGE_NAME", "hook_probe")
    return "hook_probe"


def _context(catalog: dict) -> SimpleNamespace:
    return SimpleNamespace(config_loader={"catalog": catalog})


def test_the_stage_that_makes_a_dataset_is_found_by_folder(package):
    assert producing_stage("made") == "01_make"
    assert producing_stage("used") == "02_use"
    assert producing_stage("raw") is None


def test_a_missing_input_names_the_stage_to_run_first(package):
    hook = StageInputsHook()
    hook.after_context_created(_context({"made": {"type": "x", "filepath": "data/made.csv"}}))
    pipeline = Pipeline([Node(lambda x: x, "made", "used", name="use")])
    catalog = DataCatalog({"made": MemoryDataset()})
    with pytest.raises(click.ClickException) as error:  # Kedro's CLI prints it as one line
        hook.before_pipeline_run({}, pipeline, catalog)
    assert isinstance(error.value.__cause__, StageInputMissing)
    assert error.value.message == (
        "dataset 'made' (data/made.csv) does not exist yet: "
        "run `kedro run --pipelines 01_make` first"
    )
    catalog = DataCatalog({"made": MemoryDataset([1])})
    hook.before_pipeline_run({}, pipeline, catalog)  # present: nothing to say


def test_an_input_no_stage_makes_says_to_create_it(package):
    hook = StageInputsHook()
    hook.after_context_created(_context({}))
    pipeline = Pipeline([Node(lambda x: x, "raw", "made", name="make")])
    with pytest.raises(click.ClickException,
                       match=r"'raw' \(in memory\) does not exist yet: create"):
        hook.before_pipeline_run({}, pipeline, DataCatalog({"raw": MemoryDataset()}))


def _validation_error() -> Exception:
    table = raw_table().astype({"mass": object})
    table.loc[3, "mass"] = "heavy"
    try:
        raw_schema().validate(table)
    except (SchemaError, SchemaErrors) as error:
        return error
    raise AssertionError("the table should not validate")


def test_invalid_data_is_one_line_with_the_dataset_and_its_csv_line():
    hook = ReadableErrorsHook()
    hook.after_context_created(_context({"raw": {"filepath": "data/01_raw/raw.csv"}}))
    node = SimpleNamespace(inputs=["raw", "params:stage"])
    error = _validation_error()
    hook.on_node_error(error=error, node=node)
    with pytest.raises(click.ClickException) as raised:
        hook.on_pipeline_error(error=error)
    assert isinstance(raised.value.__cause__, InvalidData)
    assert raised.value.message == (
        "invalid data in raw (data/01_raw/raw.csv): column 'mass' must hold numbers: "
        "found 'heavy' in row 3 (CSV line 5)"
    )


def test_every_problem_is_a_line_and_model_files_are_never_invalid_data():
    """A node that validated new rows and scored them with the model: the message names
    the rows' file only, and each problem of the rows on a line of its own."""
    from kedro_ml_starter.runtime import DataValidationError
    from kedro_ml_starter.runtime.validation import validate

    hook = ReadableErrorsHook()
    hook.after_context_created(_context({
        "new_rows": {"filepath": "data/06_scoring/new.csv"},
        "model": {"filepath": "models/model.pkl"},
    }))
    table = raw_table().astype({"mass": object, "colour": object})
    table.loc[3, "mass"] = "heavy"
    table.loc[[1, 2], "colour"] = "green"
    with pytest.raises(DataValidationError) as raised:
        validate(raw_schema(), table)
    hook.on_node_error(error=raised.value, node=SimpleNamespace(
        inputs=["new_rows", "model", "params:batch"]))
    with pytest.raises(click.ClickException) as invalid:
        hook.on_pipeline_error(error=raised.value)
    assert isinstance(invalid.value.__cause__, InvalidData)
    lines = invalid.value.message.splitlines()
    assert lines[0] == "invalid data in new_rows (data/06_scoring/new.csv): 2 problems"
    assert sorted(lines[1:]) == [
        "  column 'colour' must be one of black, white (or empty): found 'green' in rows 1, "
        "2 (CSV lines 3, 4)",
        "  column 'mass' must hold numbers: found 'heavy' in row 3 (CSV line 5)",
    ]


def test_a_user_error_a_node_raises_is_its_one_line():
    from kedro_ml_starter.errors import UserError

    hook = ReadableErrorsHook()
    hook.after_context_created(_context({}))
    error = UserError("column 'mass' is the target and a feature: fix conf/base/x.yml")
    hook.on_node_error(error=error, node=SimpleNamespace(inputs=["raw"]))
    with pytest.raises(click.ClickException) as raised:
        hook.on_pipeline_error(error=error)
    assert raised.value.message == str(error)


def test_other_errors_are_left_to_kedro():
    hook = ReadableErrorsHook()
    hook.after_context_created(_context({}))
    hook.on_node_error(error=KeyError("x"), node=SimpleNamespace(inputs=["a"]))
    assert hook.on_pipeline_error(error=KeyError("x")) is None


IMPORTS = """
import json, sys
import kedro_ml_starter.runtime.hooks, kedro_ml_starter.runtime.progress
import kedro_ml_starter.runtime.spark, kedro_ml_starter.runtime.validation
print(json.dumps(sorted(sys.modules)))
"""


def test_the_runtime_imports_nothing_heavy(tmp_path: Path):
    modules = json.loads(run([PYTHON, "-c", IMPORTS], tmp_path, check=True).stdout)
    heavy = {"pandas", "pandera", "numpy", "pyspark", "sklearn", "pyarrow"}
    assert sorted({m.split(".")[0] for m in modules} & heavy) == []
