"""Kedro hooks that turn the two common mistakes into one readable line.

- Running a stage before the stages it depends on: `StageInputsHook` names the stage to
  run first, before anything runs.
- Raw data that does not match its schema: `ReadableErrorsHook` reports the column, the
  value and the rows (pandera's report, or the Spark validator's) instead of a traceback.

Hooks are where `kedro run` meets this library: the library raises plain `UserError`s
(`kedro_ml_starter.errors`), and a hook turns one into `click.ClickException` with
`one_line` (the only place the runtime uses click besides `kedro serve`'s command), which
the Kedro CLI prints as `Error: <message>` with exit code 1. They know nothing of a
particular project: the package and its stage folders come from Kedro (`PACKAGE_NAME`,
`find_pipelines`), the file paths from the project's catalog configuration.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any

import click
from kedro.framework.hooks import hook_impl

from kedro_ml_starter.errors import UserError
from kedro_ml_starter.runtime.validation import is_validation_error, problems

IN_MEMORY = "in memory"
MODELS_FOLDER = "models/"


class StageInputMissing(UserError):
    """Raised when a stage's input has not been produced yet by the stage that makes it."""


class InvalidData(UserError):
    """Raised when rows fail schema validation; the message names column, value and rows."""


@contextmanager
def one_line() -> Iterator[None]:
    """A `UserError` raised in the block leaves it as `click.ClickException`: Kedro's CLI
    prints that as one `Error:` line, any other exception with its traceback."""
    try:
        yield
    except UserError as error:
        raise click.ClickException(str(error)) from error


class _CatalogPaths:
    """Where each dataset lives, from the catalog configuration: read when an error message
    first needs it (Kedro's config loader parses and merges the YAML on every read, and a
    run that succeeds never asks)."""

    def __init__(self) -> None:
        self._config_loader: Any = None
        self._catalog: dict[str, Any] | None = None

    @hook_impl
    def after_context_created(self, context: Any) -> None:
        self._config_loader, self._catalog = context.config_loader, None

    def filepath(self, dataset: str) -> str:
        if self._catalog is None:
            loader = self._config_loader
            self._catalog = dict(loader["catalog"]) if loader is not None else {}
        entry = self._catalog.get(dataset)
        path = entry.get("filepath") if isinstance(entry, dict) else None
        return str(path) if path else IN_MEMORY


class StageInputsHook(_CatalogPaths):
    """Checks, before a run, that every dataset the run reads but does not make exists.

    Inputs are checked in the order the nodes run, so the message names the first one
    the run would have missed.
    """

    @hook_impl
    def before_pipeline_run(self, run_params: dict[str, Any], pipeline: Any, catalog: Any) -> None:
        free_inputs = pipeline.inputs()
        in_run_order = dict.fromkeys(
            name for node in pipeline.nodes for name in node.inputs if name in free_inputs
        )
        for name in in_run_order:
            if name.startswith("params:") or name == "parameters" or name not in catalog:
                continue
            if not catalog.exists(name):
                with one_line():
                    raise StageInputMissing(self._message(name))

    def _message(self, name: str) -> str:
        stage = producing_stage(name)
        fix = (
            f"run `kedro run --pipelines {stage}` first"
            if stage
            else "create it or point conf/base/catalog.yml at it"
        )
        return f"dataset '{name}' ({self.filepath(name)}) does not exist yet: {fix}"


def producing_stage(dataset: str) -> str | None:
    """The first stage folder under `<package>.pipelines` whose pipeline writes `dataset`.

    Looks at the folders itself: during `kedro run --pipelines X`, Kedro's registry and
    `find_pipelines` hold only X, and the stage that makes X's inputs is the question.
    """
    # importing it configures Kedro's logging: a process that imports the hooks alone
    # (a test, a notebook) keeps its own until a stage is looked for
    from kedro.framework import project

    package = f"{project.PACKAGE_NAME}.pipelines"
    folders = sorted(
        entry.name
        for entry in resources.files(package).iterdir()
        if entry.is_dir() and not entry.name.startswith(("_", "."))
    )
    for folder in folders:
        module = importlib.import_module(f"{package}.{folder}")
        create_pipeline = getattr(module, "create_pipeline", None)
        if create_pipeline is not None and dataset in create_pipeline().all_outputs():
            return folder
    return None


class ReadableErrorsHook(_CatalogPaths):
    """Reports a data validation failure as one line naming dataset, column, value and rows,
    and any `kedro_ml_starter.errors.UserError` a node raised as its one line."""

    def __init__(self) -> None:
        super().__init__()
        self._failed_inputs: list[str] = []

    @hook_impl
    def on_node_error(self, error: Exception, node: Any) -> None:
        self._failed_inputs = [name for name in node.inputs if not name.startswith("param")]

    @hook_impl
    def on_pipeline_error(self, error: Exception) -> None:
        with one_line():
            self._raise_readable(error)

    def _raise_readable(self, error: Exception) -> None:
        """Raises the UserError that says `error` readably; returns for other errors."""
        if is_validation_error(error):  # a DataValidationError too: named with its file
            raise InvalidData(self._invalid_data(problems, error)) from None
        if isinstance(error, UserError):
            raise error  # a node's own UserError is already its one line

    def _invalid_data(self, problems: Any, error: Exception) -> str:
        """`invalid data in <dataset> (<file>): <problem>`, one line per problem.

        The datasets are the failed node's inputs that hold rows: a node that validates
        reads one (the project's stages validate in a node of their own), and fitted models
        (`models/`) are never data that can be invalid.
        """
        names = [name for name in self._failed_inputs
                 if not self.filepath(name).startswith(MODELS_FOLDER)] or self._failed_inputs
        paths = [self.filepath(name) for name in names]
        where = ", ".join(f"{name} ({path})" for name, path in zip(names, paths))
        # Rows of a CSV file are also named by their line: one more for the header.
        csv_header = len(paths) == 1 and paths[0].lower().endswith(".csv")
        lines = problems(error, csv_header=csv_header)
        if len(lines) == 1:
            return f"invalid data in {where}: {lines[0]}"
        listed = "\n".join(f"  {line}" for line in lines)
        return f"invalid data in {where}: {len(lines)} problems\n{listed}"
