"""A spark project as its developers check it: its own test suite, and `kedro layout check`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import PYTHON, kedro, run

pytestmark = [pytest.mark.spark, pytest.mark.e2e]


def test_the_spark_projects_own_tests_pass(project_copy, spark_project: Path):
    project = project_copy(spark_project)

    result = run([PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider"], project)

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_layout_check_is_clean_on_a_trained_and_scored_project(scored_spark_project: Path):
    """Spark writes folders of part files under data/ and models/: none is a finding."""
    assert list((scored_spark_project / "data/02_train").glob("*.parquet/part-*"))

    text = kedro(["layout", "check"], scored_spark_project)
    as_json = kedro(["layout", "check", "--format", "json"], scored_spark_project)

    assert text.returncode == 0, text.stdout + text.stderr
    assert "No findings" in text.stdout
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert report["summary"]["findings"] == 0 and report["summary"]["failed"] == 0
    statuses = {result["rule"]: result["status"] for result in report["results"]}
    assert statuses["KL304"] == "pass" and statuses["KL303"] == "pass"
