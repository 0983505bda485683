"""The files a new stage gets, as plain `string.Template` text (package data).

`add-stage` renders them; nothing here runs the user's code or needs cookiecutter.
"""

from __future__ import annotations

from importlib import resources
from string import Template

STAGE_FILES = ("__init__.py", "nodes.py", "pipeline.py")


def _template(name: str) -> Template:
    text = resources.files(__name__).joinpath("stage", f"{name}.tmpl").read_text("utf-8")
    return Template(text)


def render(template: str, **values: str) -> str:
    """One scaffold file filled in; a missing value is a bug here, so it raises KeyError."""
    return _template(template).substitute(values)


def stage_files(*, name: str, folder: str, package: str, utils: str) -> dict[str, str]:
    """The stage package's files by file name: `__init__.py`, `nodes.py`, `pipeline.py`."""
    values = {"name": name, "folder": folder, "package": package, "utils": utils}
    return {file: render(file, **values) for file in STAGE_FILES}


def parameters_file(*, name: str) -> str:
    return render("parameters.yml", name=name)


def stage_test_file(*, name: str, folder: str, package: str) -> str:
    return render("test_pipeline.py", name=name, folder=folder, package=package)


def smoke_test_file(*, folder: str, package: str) -> str:
    """A first test for an existing stage that has none: it builds a non-empty pipeline."""
    return render("smoke_test.py", folder=folder, package=package)


def stage_init_file(*, folder: str) -> str:
    """`__init__.py` for an existing stage folder whose pipeline.py defines create_pipeline."""
    return render("stage_init.py", folder=folder)
