"""A spark project as its developers check it, for both tasks: its own test suite, and
`kedro layout check` once it is trained and scored."""

from __future__ import annotations

import json

import pytest

from tests.support import PYTHON, kedro, run

pytestmark = [pytest.mark.spark, pytest.mark.e2e]


@pytest.mark.parametrize("fixture", ["spark_project", "spark_regression_project"])
def test_the_spark_projects_own_tests_pass(project_copy, request, fixture: str):
    project = project_copy(request.getfixturevalue(fixture))

    result = run([PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider"], project,
                 timeout=1200)

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout


@pytest.mark.parametrize("fixture", ["scored_spark_project",
                                     "trained_spark_regression_project"])
def test_layout_check_is_clean_on_a_trained_and_scored_project(request, fixture: str):
    """Spark writes folders of part files under data/ and models/: none is a finding."""
    project = request.getfixturevalue(fixture)
    assert list((project / "data/02_train").glob("*.parquet/part-*"))

    text = kedro(["layout", "check"], project)
    as_json = kedro(["layout", "check", "--format", "json"], project)

    assert text.returncode == 0, text.stdout + text.stderr
    assert "No findings" in text.stdout
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert report["summary"]["findings"] == 0 and report["summary"]["failed"] == 0
    statuses = {result["rule"]: result["status"] for result in report["results"]}
    assert statuses["KL304"] == "pass" and statuses["KL303"] == "pass"
