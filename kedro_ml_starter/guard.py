"""Refuses bad answers while cookiecutter renders its context, before any folder exists.

Cookiecutter creates the project folder *before* it runs the pre-generation hook, and a
failing hook reaches the user as a long logged traceback. So the template's
cookiecutter.json renders one private variable, `__checked`, through the
`refuse_bad_answers` filter registered here (`_extensions`). A bad name then stops
`kedro new` with one line on stderr and exit code 1, and nothing is written. Kedro
catches `Exception` around cookiecutter and replaces the message, so this exits with
SystemExit, which it lets through.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from jinja2 import Environment
from jinja2.ext import Extension

from kedro_ml_starter.naming import InvalidName, check_answers, check_target_free


def refuse_bad_answers(answers: Mapping[str, object]) -> str:
    """Jinja filter: 'ok' when every name is usable and the target folder is free, else exit 1."""
    try:
        check_answers(answers)
        output_dir = Path(str(answers.get("output_dir") or ".")).resolve()
        check_target_free(output_dir / str(answers["repo_name"]))
    except InvalidName as exc:
        print(f"Error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    return "ok"


class NameGuardExtension(Extension):
    """Adds the `refuse_bad_answers` filter to the template's Jinja environment."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["refuse_bad_answers"] = refuse_bad_answers
