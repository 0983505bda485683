"""Project commands, added to Kedro's own: `kedro generate-data` writes a synthetic raw
file of any size. (`kedro serve` comes with kedro-ml-structure, which this project requires.)

Kedro imports this module on every `kedro` call in the project and lists `cli`'s commands
next to its own (`kedro run` and the others are unchanged). `python -m {{ cookiecutter.python_package }}`
takes its `run` command from here, hence the re-export. Everything heavy is imported
inside the command.
"""

import os
from typing import Any

import click
from kedro.framework.cli.project import run  # noqa: F401 - `python -m` looks `run` up here


@click.group(name="{{ cookiecutter.python_package }}")
def cli() -> None:
    """Commands of this project."""


@cli.command(
    "generate-data",
    context_settings={"ignore_unknown_options": True, "help_option_names": []},
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def generate_data(metadata: Any, args: tuple[str, ...]) -> None:
    """Write a synthetic raw penguins CSV of any size: `--rows 1000000 --output FILE`.

    The options are those of `python -m {{ cookiecutter.python_package }}.utils.synthetic`
    (`kedro generate-data --help` lists them); paths are relative to the project root.
    """
    from {{ cookiecutter.python_package }}.utils import synthetic

    os.chdir(metadata.project_path)
    raise SystemExit(synthetic.main(list(args), prog="kedro generate-data"))

