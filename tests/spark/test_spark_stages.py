"""A spark project's stages as a user runs them: alone in order, all together (with
ThreadRunner: the same results), too early.

Every stage runs in Spark local mode; the checks read what it wrote (parquet folders,
Spark ML model folders, metrics) with the tools a user would, see tests/spark/outputs.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.spark import outputs
from tests.support import kedro, tree_hashes

pytestmark = [pytest.mark.spark, pytest.mark.e2e]

STAGES = ("01_data_preprocessing", "02_feature_engineering", "03_model_training",
          "04_model_evaluation", "05_api")


def test_each_stage_runs_alone_in_order_and_writes_what_it_owns(
    project_copy, spark_project: Path, trained_spark_project: Path
):
    project = project_copy(spark_project)
    sizes: dict[str, int] = {}
    for stage in STAGES:
        result = kedro(["run", "--pipelines", stage], project)
        assert result.returncode == 0, f"{stage} failed:\n{result.stderr[-3000:]}"
        if stage == "01_data_preprocessing":
            sizes = outputs.check_splits(project)
            assert not (project / "models/feature_transformers").exists()
        elif stage == "02_feature_engineering":
            outputs.check_features(project, sizes)
            assert not (project / "models/model").exists()
        elif stage == "03_model_training":
            outputs.check_model(project, sizes)
            assert not (project / "data/05_reporting/metrics.json").exists()
        elif stage == "04_model_evaluation":
            outputs.check_metrics(project, sizes)
            assert not (project / outputs.PREDICTIONS).exists()
        else:
            outputs.check_predictions(project)

    # The full run with ThreadRunner (independent nodes in parallel threads, one shared
    # session) gives the same results as these stages run one by one.
    metrics = [json.loads((p / "data/05_reporting/metrics.json").read_text())
               for p in (project, trained_spark_project)]
    for split in ("eval", "test"):
        assert metrics[0][split]["confusion_matrix"] == metrics[1][split]["confusion_matrix"]

    # Training again adds a model version (and its graph) and keeps the one being served.
    first = outputs.only_version(project / "models/model").name
    kedro(["run", "--pipelines", "03_model_training"], project, check=True)
    for dataset in ("model", "model.onnx"):
        versions = sorted(p.name for p in (project / "models" / dataset).iterdir())
        assert len(versions) == 2 and versions[0] == first, versions
    assert all((project / "models/model" / v / "model" / "metadata").is_dir() for v in versions)


@pytest.mark.parametrize(
    ("stage", "dataset", "path", "first"),
    [
        ("02_feature_engineering", "penguins_train", "data/02_train/penguins_train.parquet",
         "01_data_preprocessing"),
        ("05_api", "feature_transformers", "models/feature_transformers",
         "02_feature_engineering"),
    ],
)
def test_a_stage_before_its_input_exists_names_the_stage_to_run_first(
    project_copy, spark_project: Path, stage: str, dataset: str, path: str, first: str
):
    project = project_copy(spark_project)
    before = tree_hashes(project)

    result = kedro(["run", "--pipelines", stage], project)

    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: dataset '{dataset}' ({path}) does not exist yet: "
        f"run `kedro run --pipelines {first}` first"
    )
    assert tree_hashes(project) == before


def test_the_full_run_writes_every_stages_outputs(trained_spark_project: Path):
    outputs.check_all_stages(trained_spark_project)
    assert not (trained_spark_project / outputs.PREDICTIONS).exists()


def test_parallel_runner_is_refused_in_one_line_and_thread_runner_named(project_copy,
                                                                         spark_project: Path):
    project = project_copy(spark_project)
    before = tree_hashes(project)

    result = kedro(["run", "--runner", "ParallelRunner"], project)

    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: ParallelRunner runs nodes in separate processes"), last
    assert "--runner ThreadRunner" in last
    assert tree_hashes(project) == before
