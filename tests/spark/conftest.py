"""Session fixtures for the Spark engine: trained copies of `spark_project` (the generated
spark project, from tests/conftest.py), one of them also scored on new rows.

Every `kedro` command on a spark project starts a JVM (seconds), so the tests share these
projects and copy them before changing anything.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from tests.support import copy_project, kedro

# A version newer than any a test run saves: what a run killed while saving leaves behind.
PARTIAL = "2099-01-01T00.00.00.000Z"
PARTIAL_DATASETS = ("feature_transformers", "model", "model.onnx")


@pytest.fixture(scope="session")
def trained_spark_project(spark_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the spark project after a full `kedro run --runner ThreadRunner` (stages
    01-04, independent nodes in parallel threads sharing the session; 05_api runs by name).
    test_spark_stages.py compares its results with a stage-by-stage sequential run."""
    project = copy_project(spark_project, tmp_path_factory.mktemp("spark-trained"))
    kedro(["run", "--runner", "ThreadRunner"], project, check=True)
    return project


@pytest.fixture(scope="session")
def scored_spark_project(trained_spark_project: Path,
                         tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trained copy whose new rows include missing values, scored by `05_api` on Spark,
    after a killed run left a partial newest version of each model (`add_partial_version`).
    The scoring run's log is `scoring.log` next to the project folder."""
    project = copy_project(trained_spark_project, tmp_path_factory.mktemp("spark-scored"))
    write_new_rows_with_missing_values(project)
    for dataset in PARTIAL_DATASETS:
        add_partial_version(project, dataset)
    result = kedro(["run", "--pipelines", "05_api"], project, check=True)
    (project.parent / "scoring.log").write_text(result.stderr)
    return project


def add_partial_version(project: Path, dataset: str) -> None:
    """A copy of the newest version of models/<dataset> as version PARTIAL, without its
    completeness record: a run stopped after writing the model, before its record."""
    folder = project / "models" / dataset
    partial = folder / PARTIAL
    shutil.copytree(max(folder.iterdir()), partial)
    (partial / f"{dataset}.complete").unlink()


def write_new_rows_with_missing_values(project: Path) -> None:
    """Replaces data/06_scoring/new_penguins.csv with raw rows, the ones with an NA among them."""
    with (project / "data" / "01_raw" / "penguins.csv").open(newline="") as file:
        raw = list(csv.DictReader(file))
    chosen = [r for r in raw if "NA" in r.values()] + raw[::40]
    with (project / "data" / "06_scoring" / "new_penguins.csv").open("w", newline="") as file:
        writer = csv.DictWriter(file, [k for k in raw[0] if k != "species"])
        writer.writeheader()
        writer.writerows({k: v for k, v in r.items() if k != "species"} for r in chosen)
