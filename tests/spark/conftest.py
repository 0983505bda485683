"""Session fixtures for the Spark engine: trained copies of `spark_project` (the generated
spark project, from tests/conftest.py), one of them also scored on new rows.

Every `kedro` command on a spark project starts a JVM (seconds), so the tests share these
projects and copy them before changing anything.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.support import copy_project, kedro


@pytest.fixture(scope="session")
def trained_spark_project(spark_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the spark project after a full `kedro run` (stages 01-04; 05_api runs by name)."""
    project = copy_project(spark_project, tmp_path_factory.mktemp("spark-trained"))
    kedro(["run"], project, check=True)
    return project


@pytest.fixture(scope="session")
def scored_spark_project(trained_spark_project: Path,
                         tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trained copy whose new rows include missing values, scored by `05_api` on Spark."""
    project = copy_project(trained_spark_project, tmp_path_factory.mktemp("spark-scored"))
    write_new_rows_with_missing_values(project)
    kedro(["run", "--pipelines", "05_api"], project, check=True)
    return project


def write_new_rows_with_missing_values(project: Path) -> None:
    """Replaces data/06_scoring/new_penguins.csv with raw rows, the ones with an NA among them."""
    with (project / "data" / "01_raw" / "penguins.csv").open(newline="") as file:
        raw = list(csv.DictReader(file))
    chosen = [r for r in raw if "NA" in r.values()] + raw[::40]
    with (project / "data" / "06_scoring" / "new_penguins.csv").open("w", newline="") as file:
        writer = csv.DictWriter(file, [k for k in raw[0] if k != "species"])
        writer.writeheader()
        writer.writerows({k: v for k, v in r.items() if k != "species"} for r in chosen)
