"""Checks and asks while cookiecutter renders its context, before any folder exists.

Cookiecutter creates the project folder *before* it runs the pre-generation hook, and a
failing hook reaches the user as a long logged traceback. So the template's
cookiecutter.json renders one private variable, `__checked`, through the
`refuse_bad_answers` filter registered here (`_extensions`). A bad answer then stops
`kedro new` with one line on stderr and exit code 1, and nothing is written. Kedro
catches `Exception` around cookiecutter and replaces the message, so this exits with
SystemExit, which it lets through.

The `engine`, `tracking` and `task` questions cannot be prompts.yml prompts: Kedro asks every one
of those interactively (even with `--name`), which aborts when stdin is not a terminal.
Their defaults are rendered through `ask_engine`, `ask_tracking` and `ask_task`
instead: cookiecutter skips the filter when `--config` gives the key, and the filter asks
only when someone can answer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import click
from jinja2 import Environment
from jinja2.ext import Extension

from kedro_ml_starter.naming import (
    ENGINES,
    TASKS,
    TRACKINGS,
    InvalidName,
    check_answers,
    check_engine,
    check_names,
    check_target_free,
    check_task,
    check_tracking,
)

ENGINE_PROMPT_TITLE = "Engine"
ENGINE_PROMPT_TEXT = """\
Which engine runs the stages whose cost grows with the data?
  pandas: one machine, no JVM.
  spark:  every data-sized stage on Spark DataFrames and MLlib; needs Java 17+ and pyspark.
To skip this step in future use --config with an `engine:` key"""

TRACKING_PROMPT_TITLE = "Tracking"
TRACKING_PROMPT_TEXT = """\
Record each training run with MLflow?
  none:   no experiment tracking; metrics stay in data/05_reporting/.
  mlflow: each `kedro run` that trains or evaluates is an MLflow run (parameters, metrics,
          the evaluation figure, the model, registered) in mlflow.db inside the project.
To skip this step in future use --config with a `tracking:` key"""

TASK_PROMPT_TITLE = "Task"
TASK_PROMPT_TEXT = """\
What does the model predict?
  classification: a category (the penguins' species); binary or more classes.
  regression:     a number (the penguins' body mass in grams).
Either way the data contract (conf/base/parameters_data_contract.yml) says which column;
`kedro layout use-data FILE --target COLUMN` adopts your own data later.
To skip this step in future use --config with a `task:` key"""


def refuse_bad_answers(answers: Mapping[str, object]) -> str:
    """Jinja filter: 'ok' when every answer is usable and the target folder is free, else exit 1."""
    _refuse_unless(check_answers, answers)
    return "ok"


def ask_engine(answers: Mapping[str, object]) -> str:
    """Jinja filter: the engine, asked on a terminal; the default without one (CI, scripts).

    The names are checked first, so a bad name or a taken folder is refused before the
    user is asked anything more.
    """
    _refuse_unless(check_names, answers)
    return _ask(ENGINE_PROMPT_TITLE, ENGINE_PROMPT_TEXT, ENGINES, check_engine)


def ask_tracking(answers: Mapping[str, object]) -> str:
    """Jinja filter: experiment tracking, asked on a terminal after the engine; `none`
    without one."""
    return _ask(TRACKING_PROMPT_TITLE, TRACKING_PROMPT_TEXT, TRACKINGS, check_tracking)


def ask_task(answers: Mapping[str, object]) -> str:
    """Jinja filter: the task, asked on a terminal after tracking; `classification` without
    one."""
    return _ask(TASK_PROMPT_TITLE, TASK_PROMPT_TEXT, TASKS, check_task)


class NameGuardExtension(Extension):
    """Adds the `refuse_bad_answers`, `ask_engine`, `ask_tracking` and `ask_task` filters to
    the template's Jinja env."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["refuse_bad_answers"] = refuse_bad_answers
        environment.filters["ask_engine"] = ask_engine
        environment.filters["ask_tracking"] = ask_tracking
        environment.filters["ask_task"] = ask_task


def _ask(title: str, text: str, choices: tuple[str, ...],
         check: Callable[[str], str]) -> str:
    """The answer typed on a terminal (the first choice on Enter); without one, the first."""
    if not _stdin_is_a_terminal():
        return choices[0]
    click.echo(_question(title, text))
    try:
        return click.prompt("", default=choices[0], type=_Choice(choices, check))
    except click.Abort:
        print("Aborted!", file=sys.stderr)
        raise SystemExit(1) from None


class _Choice(click.Choice):
    """Accepts ` Spark ` for `spark`; anything else is re-asked with `check`'s message."""

    def __init__(self, choices: tuple[str, ...], check: Callable[[str], str]) -> None:
        super().__init__(choices)
        self.check = check

    def convert(self, value: object, param: object, ctx: object) -> str:
        try:
            return self.check(str(value).strip().lower())
        except InvalidName as exc:
            self.fail(str(exc), None, None)


def _question(title: str, text: str) -> str:
    """The question in the shape of Kedro's prompts (kedro.framework.cli.starters._Prompt).

    It is printed once; a wrong answer re-asks with only the error line and the prompt line.
    """
    styled = click.style(title, fg="cyan", bold=True)
    rule = click.style("=" * len(title), fg="cyan", bold=True)
    return f"\n{styled}\n{rule}\n{text}"


def _stdin_is_a_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (OSError, ValueError):
        return False


def _refuse_unless(check: Callable[[Mapping[str, object]], None],
                   answers: Mapping[str, object]) -> None:
    try:
        check(answers)
        output_dir = Path(str(answers.get("output_dir") or ".")).resolve()
        check_target_free(output_dir / str(answers["repo_name"]))
    except InvalidName as exc:
        print(f"Error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
