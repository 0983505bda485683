"""A spark project's stages as a user runs them: each alone in order, all together (with
ThreadRunner: the same results), too early, with ParallelRunner; and a regression
project whose columns have spaces and symbols in their names, in one run.

Every stage runs in Spark local mode; the checks read what it wrote (parquet folders,
Spark ML model folders, metrics) with the tools a user would, see tests/spark/outputs.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.spark import outputs
from tests.spark.conftest import STAGES, Staged
from tests.support import kedro, tree_hashes

pytestmark = [pytest.mark.spark, pytest.mark.e2e]


def test_each_stage_runs_alone_in_order_and_writes_what_it_owns(
    staged_spark_project: Staged,
):
    written: set[str] = set()
    for stage in STAGES:
        result = staged_spark_project.runs.get(stage)
        assert result is not None, f"{stage} did not run: a stage before it failed"
        assert result.returncode == 0, f"{stage} failed:\n{result.stderr[-3000:]}"
        written |= set(outputs.STAGE_OUTPUTS[stage])
        assert staged_spark_project.present[stage] == written, stage  # nothing of later ones
    project = staged_spark_project.project
    outputs.check_all_stages(project)
    outputs.check_predictions(project)


def test_a_full_run_with_thread_runner_gives_the_same_results_and_keeps_the_served_model(
    project_copy, scored_spark_project: Path
):
    """ThreadRunner runs independent nodes in parallel threads sharing the session; run
    again on the staged project it trains a second model version and keeps the first."""
    project = project_copy(scored_spark_project)
    first = {d: outputs.complete_versions(project / "models" / d) for d in ("model", "model.onnx")}

    kedro(["run", "--runner", "ThreadRunner"], project, check=True)

    metrics = [json.loads((p / outputs.METRICS).read_text())
               for p in (project, scored_spark_project)]
    for split in ("eval", "test"):
        assert metrics[0][split]["confusion_matrix"] == metrics[1][split]["confusion_matrix"]
    for dataset, versions in first.items():
        again = outputs.complete_versions(project / "models" / dataset)
        assert len(again) == 2 and again[0] == versions[0], again
    model = project / "models/model"
    assert all((model / v / "model" / "metadata").is_dir()
               for v in outputs.complete_versions(model))


def test_a_regression_with_any_column_names_runs_every_stage(
    trained_spark_regression_project: Path,
):
    """`body mass (g)` predicted from `bill.length (mm)`, `bill depth/mm`, ...: a name
    with a dot is a struct field to Spark unless quoted, and not a Python name."""
    project = trained_spark_regression_project
    metrics = outputs.check_all_stages(project)
    assert metrics["target"] == "body mass (g)"
    assert set(metrics["eval"]) == {"rows", "rmse", "mae", "r2"}
    predictions = outputs.check_predictions(project)
    assert "bill.length (mm)" in predictions.columns
    assert "predicted_body mass (g)" in predictions.columns
    metadata = json.loads((project / "models/model_metadata.json").read_text())
    assert metadata["model_class"] == "pyspark.ml.regression.LinearRegressionModel"
    assert metadata["feature_names"][:2] == ["bill.length (mm)", "bill depth/mm"]


@pytest.mark.parametrize(
    ("stage", "error"),
    [
        ("02_feature_engineering",
         ("Error: dataset 'train_split' (data/02_train/train.parquet) does not exist yet: "
          "run `kedro run --pipelines 01_data_preprocessing` first")),
        # batch scoring uses the newest promoted version: with none trained, it says so
        ("05_api", ("Error: no trained model in models/: run `kedro run` first (it trains, "
                    "evaluates and promotes)")),
    ],
)
def test_a_stage_before_its_input_exists_names_what_to_run_first(
    project_copy, spark_project: Path, stage: str, error: str
):
    project = project_copy(spark_project)
    before = tree_hashes(project)

    result = kedro(["run", "--pipelines", stage], project)

    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.strip().splitlines()[-1] == error
    # Nothing written but kedro-viz's record of a failed node (05_api fails in its node).
    after = {path: digest for path, digest in tree_hashes(project).items()
             if not path.startswith(".viz/")}
    assert after == before


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
