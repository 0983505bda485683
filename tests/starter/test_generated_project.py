"""What a user of a new project runs first: its own test suite, and installing it."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.support import PYTHON, copy_project, run

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


# The default project's tests run as its CI runs them: tests/starter/test_ci_workflow.py.
@pytest.mark.parametrize("fixture", ["plain_project", "regression_project"])
def test_the_projects_own_tests_pass(fixture: str, request: pytest.FixtureRequest,
                                     project_copy):
    project = project_copy(request.getfixturevalue(fixture))
    result = run([PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider"], project)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_the_project_installs_in_a_fresh_venv_without_downloading_anything(
        wheel_generated, fresh_venv: Path, tmp_path: Path):
    """`pip install -e .` of a project kedro-ml-structure's wheel generated, in a venv
    holding what its requirements.txt names (its dependencies are the file's lines)."""
    generated = wheel_generated("numbered")
    package = generated.project.name.replace("-", "_")
    project = copy_project(generated.project, tmp_path)
    pip = [str(fresh_venv), "-m", "pip"]
    try:
        result = run([*pip, "install", "--no-index", "--no-build-isolation", "-q", "-e", "."],
                     project)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        shown = run([*pip, "show", package], project, check=True).stdout
        assert "Version: 0.1.0" in shown
        probe = (f"import {package}.utils.scoring as m, kedro_ml_starter as k; "
                 "print(m.__file__); print(k.__file__)")
        imported = run([str(fresh_venv), "-c", probe], tmp_path, check=True).stdout.split()
        assert imported[0].startswith(str(project))
        assert imported[1].startswith(str(fresh_venv.parents[1]))  # the wheel's, not ours
    finally:
        run([*pip, "uninstall", "-y", "-q", package], tmp_path)


def _extra(name: str) -> dict[str, Requirement]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    lines = parser["options.extras_require"][name].strip().splitlines()
    return {Requirement(line).name: Requirement(line) for line in lines
            if line.strip() and not line.startswith("#")}


@pytest.mark.parametrize(("fixture", "extras"), [("generated_project", ("project",)),
                                                 ("spark_project", ("project", "spark")),
                                                 ("tracked_project", ("project", "tracking"))])
def test_requirements_match_setup_cfg_and_the_installed_environment(
    fixture: str, extras: tuple[str, ...], request: pytest.FixtureRequest
):
    """requirements.txt = kedro + this distribution (the runtime the project imports, from
    where it is installed) + setup.cfg's `project` extra (+ `spark` for a spark project,
    + `tracking` for one tracked with MLflow)."""
    from importlib.metadata import PackageNotFoundError, version

    project: Path = request.getfixturevalue(fixture)
    lines = [line for line in (project / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    requirements = {Requirement(line).name: Requirement(line) for line in lines}
    extra = {name: req for group in extras for name, req in _extra(group).items()}
    for name, requirement in extra.items():
        assert str(requirements[name]) == str(requirement), name
    assert set(requirements) == set(extra) | {"kedro", "kedro-ml-structure"}
    # The runtime from where this environment has it: this checkout, editable (make install).
    assert requirements["kedro-ml-structure"].url == ROOT.as_uri()
    assert ("pyspark" in requirements) == ("spark" in extras)
    for requirement in requirements.values():
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            pytest.fail(f"{requirement} is not installed")
        assert requirement.specifier.contains(installed, prereleases=True), (
            f"{requirement} is not satisfied by the installed {installed}"
        )
