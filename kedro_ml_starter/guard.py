"""Checks and asks while cookiecutter renders its context, before any folder exists.

Cookiecutter creates the project folder *before* it runs the pre-generation hook, and a
failing hook reaches the user as a long logged traceback. So the template's
cookiecutter.json renders one private variable, `__checked`, through the
`refuse_bad_answers` filter registered here (`_extensions`). A bad answer then stops
`kedro new` with one line on stderr and exit code 1, and nothing is written. Kedro
catches `Exception` around cookiecutter and replaces the message, so this exits with
SystemExit, which it lets through.

The `engine` question cannot be a prompts.yml prompt: Kedro asks every one of those
interactively (even with `--name`), which aborts when stdin is not a terminal. Its
default is rendered through `ask_engine` instead: cookiecutter skips the filter when
`--config` gives `engine`, and the filter asks only when someone can answer.
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
    InvalidName,
    check_answers,
    check_engine,
    check_names,
    check_target_free,
)

DEFAULT_ENGINE = ENGINES[0]

ENGINE_PROMPT_TITLE = "Engine"
ENGINE_PROMPT_TEXT = """\
Which engine runs the stages whose cost grows with the data?
  pandas: one machine, no JVM.
  spark:  every data-sized stage on Spark DataFrames and MLlib; needs Java 17+ and pyspark.
To skip this step in future use --config with an `engine:` key"""


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
    if not _stdin_is_a_terminal():
        return DEFAULT_ENGINE
    click.echo(_engine_question())
    try:
        return click.prompt("", default=DEFAULT_ENGINE, type=_EngineChoice(ENGINES))
    except click.Abort:
        print("Aborted!", file=sys.stderr)
        raise SystemExit(1) from None


class NameGuardExtension(Extension):
    """Adds the `refuse_bad_answers` and `ask_engine` filters to the template's Jinja env."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["refuse_bad_answers"] = refuse_bad_answers
        environment.filters["ask_engine"] = ask_engine


class _EngineChoice(click.Choice):
    """Accepts ` Spark ` for `spark`; anything else is re-asked with check_engine's message."""

    def convert(self, value: object, param: object, ctx: object) -> str:
        try:
            return check_engine(str(value).strip().lower())
        except InvalidName as exc:
            self.fail(str(exc), None, None)


def _engine_question() -> str:
    """The question in the shape of Kedro's prompts (kedro.framework.cli.starters._Prompt).

    It is printed once; a wrong answer re-asks with only the error line and the prompt line.
    """
    title = click.style(ENGINE_PROMPT_TITLE, fg="cyan", bold=True)
    rule = click.style("=" * len(ENGINE_PROMPT_TITLE), fg="cyan", bold=True)
    return f"\n{title}\n{rule}\n{ENGINE_PROMPT_TEXT}"


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
