"""Project hooks that turn the two common mistakes into one readable line.

- Running a stage before the stages it depends on: `StageInputsHook` names the stage to
  run first, before anything runs.
- Raw data that does not match the schema: `ReadableErrorsHook` reports the validation
  message (column, value, rows) instead of a traceback.

Both raise `click.ClickException`, which the Kedro CLI prints as `Error: <message>` and
turns into exit code 1.
"""

from __future__ import annotations

import importlib
from importlib import resources
from typing import Any

import click
from kedro.framework.hooks import hook_impl
from kedro.pipeline import Pipeline

from {{ cookiecutter.python_package }}.utils.validation import RawDataError


class StageInputMissing(click.ClickException):
    """Raised when a stage's input has not been produced yet by the stage that makes it."""


class InvalidData(click.ClickException):
    """Raised when rows fail schema validation; the message names column and rows."""


class StageInputsHook:
    """Checks, before a run, that every dataset the run reads but does not make exists.

    Inputs are checked in the order the nodes run, so the message names the first one
    the run would have missed.
    """

    def __init__(self) -> None:
        self._catalog_config: dict[str, Any] = {}

    @hook_impl
    def after_context_created(self, context: Any) -> None:
        self._catalog_config = dict(context.config_loader["catalog"])

    @hook_impl
    def before_pipeline_run(self, run_params: dict[str, Any], pipeline: Pipeline,
                            catalog: Any) -> None:
        free_inputs = pipeline.inputs()
        in_run_order = dict.fromkeys(
            name for node in pipeline.nodes for name in node.inputs if name in free_inputs
        )
        for name in in_run_order:
            if name.startswith("params:") or name == "parameters" or name not in catalog:
                continue
            if not catalog.exists(name):
                raise StageInputMissing(self._message(name))

    def _message(self, name: str) -> str:
        filepath = self._catalog_config.get(name, {}).get("filepath", "in memory")
        stage = producing_stage(name)
        fix = (f"run `kedro run --pipelines {stage}` first" if stage
               else "create it or point conf/base/catalog.yml at it")
        return f"dataset '{name}' ({filepath}) does not exist yet: {fix}"


def producing_stage(dataset: str) -> str | None:
    """The stage folder under `pipelines/` whose pipeline writes `dataset`, if any.

    Looks at the folders itself: during `kedro run --pipelines X` Kedro's registry
    holds only X.
    """
    package = f"{__package__}.pipelines"
    folders = sorted(
        entry.name for entry in resources.files(package).iterdir()
        if entry.is_dir() and not entry.name.startswith(("_", "."))
    )
    for folder in folders:
        create_pipeline = getattr(importlib.import_module(f"{package}.{folder}"),
                                  "create_pipeline", None)
        if create_pipeline is not None and dataset in create_pipeline().all_outputs():
            return folder
    return None


class ReadableErrorsHook:
    """Reports a data validation failure as one line naming the dataset, column and rows."""

    def __init__(self) -> None:
        self._catalog_config: dict[str, Any] = {}
        self._failed_inputs: list[str] = []

    @hook_impl
    def after_context_created(self, context: Any) -> None:
        self._catalog_config = dict(context.config_loader["catalog"])

    @hook_impl
    def on_node_error(self, error: Exception, node: Any) -> None:
        self._failed_inputs = [name for name in node.inputs if not name.startswith("param")]

    @hook_impl
    def on_pipeline_error(self, error: Exception) -> None:
        if isinstance(error, RawDataError):
            where = ", ".join(
                f"{name} ({self._catalog_config.get(name, {}).get('filepath', 'in memory')})"
                for name in self._failed_inputs
            )
            raise InvalidData(f"invalid data in {where}: {error}") from None
