"""The names (and choices) a new project may have: checked before anything is written.

`kedro new` validates the project name with a loose regex and only when it is typed or
given with `--name`; a `--config` file can set `repo_name` and `python_package` directly,
and nothing stops `../x` or `café`. These checks run twice: while cookiecutter renders its
context (so a bad name is refused before any folder exists, see `guard.py`) and again in
the template's pre-generation hook.
"""

from __future__ import annotations

import keyword
import re
import sys
from collections.abc import Mapping
from pathlib import Path

STAGE_STYLES = ("numbered", "plain")
ENGINES = ("pandas", "spark")
TRACKINGS = ("none", "mlflow")
TASKS = ("classification", "regression")

# Packages a generated project imports: a project package with one of these names
# would shadow it and break `kedro run` in a confusing way.
SHADOWED_PACKAGES = frozenset({
    "kedro", "kedro_datasets", "sklearn", "pandas", "numpy", "pyarrow", "matplotlib",
    "fastapi", "uvicorn", "pydantic", "httpx", "pytest", "scipy", "joblib", "click",
    "yaml", "cookiecutter", "kedro_ml_starter", "kedro_plugin_layout", "tests",
})

_PROJECT_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9 _-]*[A-Za-z0-9]$")
_REPO_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_PACKAGE_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
_MAX_LENGTH = 100


class InvalidName(ValueError):
    """Raised when a project, folder or package name cannot be used; the message is one line."""


def repo_name_for(project_name: str) -> str:
    """The folder name Kedro derives from a project name (same rule as cookiecutter.json)."""
    return project_name.strip().replace(" ", "-").replace("_", "-").lower()


def package_name_for(project_name: str) -> str:
    """The package name Kedro derives from a project name (same rule as cookiecutter.json)."""
    return project_name.strip().replace(" ", "_").replace("-", "_").lower()


def check_project_name(name: str) -> str:
    """The project name, stripped; InvalidName if it could not name a folder and a package."""
    stripped = name.strip() if isinstance(name, str) else ""
    what = f"invalid project name {name!r}:"
    _common_refusals(stripped, what)
    if len(stripped) < 2:
        raise InvalidName(f"{what} use at least 2 characters, e.g. 'Penguin Lab'")
    if not _PROJECT_NAME_RE.match(stripped):
        raise InvalidName(
            f"{what} start with a letter and use only ASCII letters, digits, spaces, '-' and '_'"
        )
    check_python_package(package_name_for(stripped))
    return stripped


def check_repo_name(name: str) -> str:
    """The project folder name; InvalidName unless it is one plain folder name."""
    what = f"invalid repo_name {name!r}:"
    _common_refusals(name, what)
    if name in {".", ".."} or not _REPO_NAME_RE.match(name):
        raise InvalidName(
            f"{what} use one folder name of lower-case ASCII letters, digits, '-', '_' or '.', "
            "starting with a letter or digit"
        )
    return name


def check_python_package(name: str) -> str:
    """The package name; InvalidName unless `import <name>` would import this project."""
    what = f"invalid python_package {name!r}:"
    _common_refusals(name, what)
    if not _PACKAGE_RE.match(name) or not name.isidentifier():
        raise InvalidName(
            f"{what} use lower-case ASCII letters, digits and '_', not starting with a digit"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise InvalidName(f"{what} it is a Python keyword; choose another project name")
    if name in sys.stdlib_module_names:
        raise InvalidName(
            f"{what} it is a standard library module and would shadow it; choose another name"
        )
    if name in SHADOWED_PACKAGES:
        raise InvalidName(
            f"{what} the project imports a package of that name; choose another name"
        )
    return name


def check_stage_style(style: str) -> str:
    """The stage folder style: `numbered` (01_data_preprocessing) or `plain` (importable)."""
    if style not in STAGE_STYLES:
        raise InvalidName(
            f"invalid stage_style {style!r}: use one of {', '.join(STAGE_STYLES)}"
        )
    return style


def check_engine(engine: str) -> str:
    """The engine the data-sized stages run on: `pandas` (one machine) or `spark`."""
    if engine not in ENGINES:
        raise InvalidName(f"invalid engine {engine!r}: use one of {', '.join(ENGINES)}")
    return engine


def check_tracking(tracking: str) -> str:
    """Experiment tracking: `none`, or `mlflow` (each training run recorded in MLflow)."""
    if tracking not in TRACKINGS:
        raise InvalidName(
            f"invalid tracking {tracking!r}: use one of {', '.join(TRACKINGS)}"
        )
    return tracking


def check_runtime_requirement(line: str) -> str:
    """The requirements.txt line that installs kedro-ml-structure (see `origin.py`): one
    PEP 508 requirement of that distribution, e.g. `kedro-ml-structure==0.3.0`."""
    # packaging loads only for this answer: `kedro new` checks the others without it
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    what = f"invalid runtime_requirement {line!r}:"
    try:
        requirement = Requirement(line)
    except InvalidRequirement:
        requirement = None
    if "\n" in line or requirement is None or \
            canonicalize_name(requirement.name) != "kedro-ml-structure":
        raise InvalidName(
            f"{what} write one requirement of kedro-ml-structure, e.g. "
            "'kedro-ml-structure>=0.3,<0.4' or 'kedro-ml-structure @ git+https://HOST/REPO@TAG'"
        )
    return line


def check_task(task: str) -> str:
    """What the model predicts: `classification` (a category) or `regression` (a number)."""
    if task not in TASKS:
        raise InvalidName(f"invalid task {task!r}: use one of {', '.join(TASKS)}")
    return task


def check_names(answers: Mapping[str, object]) -> None:
    """Checks the answers known before the engine is asked: the names and the stage style."""
    check_project_name(str(answers.get("project_name", "")))
    check_repo_name(str(answers.get("repo_name", "")))
    check_python_package(str(answers.get("python_package", "")))
    check_stage_style(str(answers.get("stage_style", "")))


def check_answers(answers: Mapping[str, object]) -> None:
    """Checks every answer in a cookiecutter context; InvalidName names the first bad one.

    `tracking`, `task` and `runtime_requirement` are checked when present: templates
    made before they were asked (rendered again by `kedro layout upgrade`, with this
    guard) lack them.
    """
    check_names(answers)
    check_engine(str(answers.get("engine", "")))
    if "tracking" in answers:
        check_tracking(str(answers["tracking"]))
    if "task" in answers:
        check_task(str(answers["task"]))
    if "runtime_requirement" in answers:
        check_runtime_requirement(str(answers["runtime_requirement"]))


def check_target_free(target: Path) -> Path:
    """The folder the project will be created in; InvalidName if something is already there."""
    if target.exists() or target.is_symlink():
        raise InvalidName(
            f"{target} already exists; choose another project name or remove it first "
            "(kedro new never overwrites a folder)"
        )
    return target


def _common_refusals(name: str, what: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise InvalidName(f"{what} it is empty")
    if "/" in name or "\\" in name or ".." in name or "\x00" in name:
        raise InvalidName(f"{what} path separators and '..' are not allowed")
    if not name.isascii():
        raise InvalidName(f"{what} use ASCII characters only")
    if len(name) > _MAX_LENGTH:
        raise InvalidName(f"{what} use at most {_MAX_LENGTH} characters")
