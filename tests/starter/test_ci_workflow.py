"""The generated project's CI (`.github/workflows/ci.yml`): valid, and what its README says.

Every `run:` of the workflow is a command the README gives, verbatim, and the commands
pass here, in a new project, with this test environment: the install with pip's index
switched off (everything is already installed: nothing is downloaded), then the lint,
the project's tests and both layout checks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.support import run

pytestmark = pytest.mark.e2e

PROJECTS = ["generated_project", "plain_project", "spark_project", "tracked_project"]


def workflow(project: Path) -> dict:
    # PyYAML reads the `on:` key as True (YAML 1.1); GitHub reads it as "on".
    return yaml.safe_load((project / ".github/workflows/ci.yml").read_text(encoding="utf-8"))


def commands(document: dict) -> list[str]:
    """The `run:` commands of every job, in order."""
    return [step["run"] for job in document["jobs"].values() for step in job["steps"]
            if "run" in step]


def step_using(job: dict, action: str) -> dict:
    [step] = [s for s in job["steps"] if s.get("uses", "").startswith(f"{action}@")]
    return step


@pytest.mark.parametrize("fixture", PROJECTS)
def test_the_workflow_has_a_test_job_and_a_layout_job_that_uploads_sarif(
        fixture: str, request: pytest.FixtureRequest):
    project: Path = request.getfixturevalue(fixture)
    document = workflow(project)

    assert document[True] == {"push": None, "pull_request": None}
    assert document["permissions"] == {"contents": "read"}
    test, layout = document["jobs"]["test"], document["jobs"]["layout"]
    assert [s["run"] for s in test["steps"] if "run" in s] == [
        "pip install -r requirements.txt", "ruff check . && ruff format --check .",
        "python -m pytest"]
    assert step_using(test, "actions/setup-python")["with"]["python-version"] == "3.11"
    java = [s for s in test["steps"] if s.get("uses", "").startswith("actions/setup-java@")]
    if fixture == "spark_project":
        assert java[0]["with"] == {"distribution": "temurin", "java-version": "17"}
    else:
        assert java == []
    assert layout["permissions"] == {"contents": "read", "security-events": "write"}
    steps = {s.get("run", s.get("uses")): s for s in layout["steps"]}
    assert "kedro layout check --format github" in steps
    sarif = steps["kedro layout check --format sarif --output layout.sarif"]
    upload = step_using(layout, "github/codeql-action/upload-sarif")
    assert sarif["if"] == "always()" and upload["if"] == "always()"
    assert upload["with"]["sarif_file"] == "layout.sarif"
    assert list(steps).index(sarif["run"]) < list(steps).index(upload["uses"])


@pytest.mark.parametrize("fixture", PROJECTS)
def test_every_command_of_the_workflow_is_in_the_readme(fixture: str,
                                                        request: pytest.FixtureRequest):
    project: Path = request.getfixturevalue(fixture)
    readme = (project / "README.md").read_text(encoding="utf-8")

    missing = [command for command in commands(workflow(project))
               if not any(line.strip().startswith(command) for line in readme.splitlines())]

    assert missing == []


@pytest.mark.parametrize("fixture", ["generated_project", "plain_project"])
def test_the_workflow_commands_pass_in_a_new_project(fixture: str,
                                                     request: pytest.FixtureRequest,
                                                     project_copy):
    """The CI a new project gets is green: each command, as the workflow runs it."""
    project = project_copy(request.getfixturevalue(fixture))
    for command in commands(workflow(project)):
        result = run(["bash", "-c", command], project, PIP_NO_INDEX="1")
        assert result.returncode == 0, (command, result.stdout[-3000:], result.stderr[-3000:])
        if command.startswith("pip install"):
            assert "Requirement already satisfied: kedro-ml-structure" in result.stdout
        if command == "kedro layout check --format github":
            assert "::error" not in result.stdout
    log = json.loads((project / "layout.sarif").read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0" and log["runs"][0]["results"] == []
