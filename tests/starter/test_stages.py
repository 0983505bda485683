"""The generated stages, run as a user runs them: alone in order, together, and wrongly."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.support import kedro

pytestmark = pytest.mark.e2e

STAGES = ("01_data_preprocessing", "02_feature_engineering", "03_model_training",
          "04_model_evaluation", "05_api")
OUTPUTS = {
    "01_data_preprocessing": ["data/02_train/penguins_train.parquet",
                              "data/03_eval/penguins_eval.parquet",
                              "data/04_test/penguins_test.parquet"],
    "02_feature_engineering": ["models/feature_transformers.pkl",
                               "data/02_train/train_features.parquet",
                               "data/03_eval/eval_features.parquet",
                               "data/04_test/test_features.parquet"],
    "03_model_training": ["models/model.pkl", "models/model_metadata.json", "models/model.onnx"],
    "04_model_evaluation": ["data/05_reporting/metrics.json",
                            "data/05_reporting/confusion_matrix.png"],
    "05_api": ["data/06_scoring/predictions.csv"],
}
SPECIES = {"Adelie", "Chinstrap", "Gentoo"}


def _output(result) -> str:
    return result.stdout + result.stderr


def _last_line(result) -> str:
    return result.stderr.strip().splitlines()[-1]


def test_each_stage_runs_alone_in_order(project_copy, generated_project: Path):
    project = project_copy(generated_project)
    for stage in STAGES:
        kedro(["run", "--pipelines", stage], project, check=True)
        for path in OUTPUTS[stage]:
            assert (project / path).exists(), f"{stage} did not write {path}"
    versions = list((project / "models/model.pkl").iterdir())
    assert len(versions) == 1 and (versions[0] / "model.pkl").is_file()
    # The ONNX graph stage 03 exports carries the model's version.
    graphs = list((project / "models/model.onnx").iterdir())
    assert [g.name for g in graphs] == [versions[0].name]
    assert (graphs[0] / "model.onnx").stat().st_size > 1000


@pytest.mark.parametrize(
    ("stage", "dataset", "path", "first"),
    [
        ("02_feature_engineering", "penguins_train", "data/02_train/penguins_train.parquet",
         "01_data_preprocessing"),
        ("03_model_training", "train_features", "data/02_train/train_features.parquet",
         "02_feature_engineering"),
    ],
)
def test_stage_without_its_inputs_says_which_stage_to_run_first(
    generated_project: Path, stage: str, dataset: str, path: str, first: str
):
    before = sorted(p.name for p in (generated_project / "data/02_train").iterdir())
    result = kedro(["run", "--pipelines", stage], generated_project)
    assert result.returncode != 0
    assert "Traceback" not in _output(result)
    assert _last_line(result) == (
        f"Error: dataset '{dataset}' ({path}) does not exist yet: "
        f"run `kedro run --pipelines {first}` first"
    )
    assert sorted(p.name for p in (generated_project / "data/02_train").iterdir()) == before


def test_batch_scoring_before_training_says_what_to_run(generated_project: Path):
    """Batch scoring uses the newest promoted version: with none trained, it says so."""
    result = kedro(["run", "--pipelines", "05_api"], generated_project)
    assert result.returncode != 0
    assert "Traceback" not in _output(result)
    assert _last_line(result) == ("Error: no trained model in models/: run `kedro run` first "
                                  "(it trains, evaluates and promotes)")
    assert not (generated_project / "data/06_scoring/predictions.csv").exists()


def test_full_run_writes_real_metrics_and_a_png(trained_project: Path):
    metrics = json.loads((trained_project / "data/05_reporting/metrics.json").read_text())
    for split in ("eval", "test"):
        assert metrics[split]["rows"] == 69
        assert metrics[split]["accuracy"] > 0.95
        assert metrics[split]["f1_macro"] > 0.95
        assert set(metrics[split]["per_class"]) == SPECIES
    png = (trained_project / "data/05_reporting/confusion_matrix.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    metadata = json.loads((trained_project / "models/model_metadata.json").read_text())
    assert metadata["train_rows"] == 204
    assert not (trained_project / "data/06_scoring/predictions.csv").exists()


def test_parallel_runner_gives_the_same_metrics(project_copy, generated_project: Path,
                                                trained_project: Path):
    """Stage 01 passes its frames through Kedro's default in-memory datasets, which
    ParallelRunner shares between processes: the run works and learns the same model."""
    project = project_copy(generated_project)
    kedro(["run", "--runner", "ParallelRunner"], project, check=True)
    parallel = json.loads((project / "data/05_reporting/metrics.json").read_text())
    sequential = json.loads((trained_project / "data/05_reporting/metrics.json").read_text())
    assert parallel == sequential


def test_batch_scoring_predicts_every_new_row(project_copy, trained_project: Path):
    project = project_copy(trained_project)
    kedro(["run", "--pipelines", "05_api"], project, check=True)
    with (project / "data/06_scoring/new_penguins.csv").open() as stream:
        new_rows = list(csv.DictReader(stream))
    with (project / "data/06_scoring/predictions.csv").open() as stream:
        predictions = list(csv.DictReader(stream))
    assert len(predictions) == len(new_rows) == 7
    assert {row["predicted_species"] for row in predictions} <= SPECIES
    for row, new in zip(predictions, new_rows):
        assert row["island"] == new["island"]
        total = sum(float(row[f"probability_{s}"]) for s in SPECIES)
        assert abs(total - 1) < 1e-3


def _rewrite_raw(project: Path, edit) -> None:
    path = project / "data/01_raw/penguins.csv"
    with path.open(newline="") as stream:
        rows = list(csv.reader(stream))
    with path.open("w", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(edit(rows))


def _broken(project_copy, generated_project: Path, edit) -> str:
    project = project_copy(generated_project)
    _rewrite_raw(project, edit)
    result = kedro(["run", "--pipelines", "01_data_preprocessing"], project)
    assert result.returncode != 0
    assert "Traceback" not in _output(result)
    assert not (project / "data/02_train/penguins_train.parquet").exists()
    return _last_line(result)


def test_text_in_a_numeric_column_names_column_and_row(project_copy, generated_project):
    def edit(rows):
        rows[6][5] = "heavy"  # data row 5 (0-based), line 7 of the file; body_mass_g
        return rows

    assert _broken(project_copy, generated_project, edit) == (
        "Error: invalid data in raw_penguins (data/01_raw/penguins.csv): column "
        "'body_mass_g' must hold numbers: found 'heavy' in row 5 (CSV line 7)"
    )


def test_a_missing_column_is_named(project_copy, generated_project):
    def edit(rows):
        return [row[:4] + row[5:] for row in rows]  # drops flipper_length_mm

    line = _broken(project_copy, generated_project, edit)
    assert line.startswith("Error: invalid data in raw_penguins (data/01_raw/penguins.csv): "
                           "column 'flipper_length_mm' is missing; expected columns: species")
