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
    "01_data_preprocessing": ["data/02_train/train.parquet",
                              "data/03_eval/eval.parquet",
                              "data/04_test/test.parquet"],
    "02_feature_engineering": ["models/feature_transformers.pkl",
                               "data/02_train/train_features.parquet",
                               "data/03_eval/eval_features.parquet",
                               "data/04_test/test_features.parquet"],
    "03_model_training": ["models/model.pkl", "models/model_metadata.json", "models/model.onnx"],
    "04_model_evaluation": ["data/05_reporting/metrics.json",
                            "data/05_reporting/evaluation.png"],
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
        ("02_feature_engineering", "train_split", "data/02_train/train.parquet",
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
        assert not {"roc_auc", "precision", "recall"} & set(metrics[split])  # 3 classes
        assert set(metrics[split]["per_class"]) == SPECIES
    assert (metrics["task"], metrics["target"]) == ("classification", "species")
    png = (trained_project / "data/05_reporting/evaluation.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    metadata = json.loads((trained_project / "models/model_metadata.json").read_text())
    assert metadata["train_rows"] == 206  # 60% of 344 rows (every row has a feature value)
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
    assert not (project / "data/02_train/train.parquet").exists()
    return _last_line(result)


def test_text_in_a_numeric_column_names_column_and_row(project_copy, generated_project):
    def edit(rows):
        rows[6][5] = "heavy"  # data row 5 (0-based), line 7 of the file; body_mass_g
        return rows

    assert _broken(project_copy, generated_project, edit) == (
        "Error: invalid data in raw_data (data/01_raw/penguins.csv): column "
        "'body_mass_g' must hold numbers: found 'heavy' in row 5 (CSV line 7)"
    )


def test_a_missing_column_is_named(project_copy, generated_project):
    def edit(rows):
        return [row[:4] + row[5:] for row in rows]  # drops flipper_length_mm

    line = _broken(project_copy, generated_project, edit)
    assert line.startswith("Error: invalid data in raw_data (data/01_raw/penguins.csv): "
                           "column 'flipper_length_mm' is missing; expected columns: species")


def test_every_problem_of_the_raw_data_is_a_line_of_its_own(project_copy, generated_project):
    """Issue 20: one line per problem (column, rule, values, rows), never pandera's report."""
    def edit(rows):
        rows[6][5] = "heavy"  # body_mass_g, data row 5
        rows[7][1] = "Atlantis"  # island, data row 6
        rows[8][1] = "Atlantis"
        return rows

    project = project_copy(generated_project)
    _rewrite_raw(project, edit)
    result = kedro(["run", "--pipelines", "01_data_preprocessing"], project)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in _output(result) and '"SCHEMA"' not in _output(result)
    assert lines[-3:] == [
        "Error: invalid data in raw_data (data/01_raw/penguins.csv): 2 problems",
        "  column 'body_mass_g' must hold numbers: found 'heavy' in row 5 (CSV line 7)",
        "  column 'island' must be one of Biscoe, Dream, Torgersen (or empty): found "
        "'Atlantis' in rows 6, 7 (CSV lines 8, 9)",
    ]


def test_invalid_new_rows_name_their_file_not_the_model_files(project_copy, trained_project):
    project = project_copy(trained_project)
    path = project / "data/06_scoring/new_penguins.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace("Torgersen", "Atlantis")
    path.write_text("\n".join(lines) + "\n")
    result = kedro(["run", "--pipelines", "05_api"], project)
    assert result.returncode != 0 and "Traceback" not in _output(result)
    assert _last_line(result) == (
        "Error: invalid data in new_rows (data/06_scoring/new_penguins.csv): column "
        "'island' must be one of Biscoe, Dream, Torgersen (or empty): found 'Atlantis' in "
        "row 0 (CSV line 2)")


def test_regression_runs_every_stage_and_scores_numbers(project_copy,
                                                       trained_regression_project: Path):
    """`task: regression`: RMSE, MAE and R² on eval and test, the predicted-vs-actual
    figure, a checked ONNX graph, and `predicted_body_mass_g` for each new row."""
    project = project_copy(trained_regression_project)
    metrics = json.loads((project / "data/05_reporting/metrics.json").read_text())
    assert (metrics["task"], metrics["target"]) == ("regression", "body_mass_g")
    for split in ("eval", "test"):
        assert set(metrics[split]) == {"rows", "rmse", "mae", "r2"}
        assert metrics[split]["r2"] > 0.75  # Ridge on the penguins: 0.82-0.88
        assert 0 < metrics[split]["mae"] <= metrics[split]["rmse"] < 500  # grams
    parity = metrics["onnx_parity"]
    assert parity["checked"] and parity["max_relative_difference"] < 1e-5
    png = (project / "data/05_reporting/evaluation.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    kedro(["run", "--pipelines", "05_api"], project, check=True)
    with (project / "data/06_scoring/predictions.csv").open() as stream:
        predictions = list(csv.DictReader(stream))
    assert len(predictions) == 7
    # the prediction, then the model version that made it (the promoted one)
    assert list(predictions[0])[-2:] == ["predicted_body_mass_g", "model_version"]
    assert all(2000 < float(row["predicted_body_mass_g"]) < 7000 for row in predictions)
    assert "species" in predictions[0] and "body_mass_g" not in predictions[0]


def test_the_estimator_is_a_parameter_and_one_skl2onnx_cannot_convert_says_so(
        project_copy, trained_project: Path):
    """Any scikit-learn estimator by import path; HistGradientBoosting has no ONNX converter:
    stage 03 stops in one line naming `serving.runtime: sklearn`, which then serves it."""
    project = project_copy(trained_project)
    (project / "conf/base/parameters_model_training.yml").write_text(
        "model_training:\n  estimator:\n"
        "    type: sklearn.ensemble.HistGradientBoostingClassifier\n"
        "    arguments: {max_iter: 50}\n")
    refused = kedro(["run", "--pipelines", "03_model_training"], project)
    assert refused.returncode != 0 and "Traceback" not in _output(refused)
    assert _last_line(refused).startswith("Error: cannot export ")
    assert _last_line(refused).endswith(
        "set `serving.runtime: sklearn` in conf/base/parameters_api.yml to serve with "
        "scikit-learn instead")
    for stage in ("03_model_training", "04_model_evaluation"):
        kedro(["run", "--pipelines", stage, "--params", "serving.runtime=sklearn"], project,
              check=True)
    metrics = json.loads((project / "data/05_reporting/metrics.json").read_text())
    assert metrics["model_class"].endswith(".HistGradientBoostingClassifier")
    assert metrics["onnx_parity"] == {"checked": False, "reason": "serving.runtime is sklearn"}
    assert metrics["test"]["accuracy"] > 0.9


def test_layout_check_is_clean_on_a_trained_regression_project(trained_regression_project):
    result = kedro(["layout", "check"], trained_regression_project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout


def test_another_contract_needs_no_other_edit_binary_classification(project_copy,
                                                                    generated_project):
    """Issue 20: swap the contract (the sex of a penguin, two classes, `male` positive;
    the species now a feature) and nothing else: `kedro run`, batch scoring and `kedro
    layout check` pass, with the binary metrics. (The project's own tests on other
    contracts: tests/use_data/, on scikit-learn's datasets.)"""
    import yaml

    project = project_copy(generated_project)
    path = project / "conf/base/parameters_data_contract.yml"
    contract = yaml.safe_load(path.read_text())
    contract["data_contract"].update(target="sex", positive_class="male")
    path.write_text(yaml.safe_dump(contract, sort_keys=False))
    sample = project / "data/06_scoring/new_penguins.csv"
    raw = (project / "data/01_raw/penguins.csv").read_text().splitlines()
    sample.write_text("\n".join(",".join(line.split(",")[:6] + line.split(",")[7:])
                                for line in raw[:1] + raw[1::50]) + "\n")

    kedro(["run"], project, check=True)
    kedro(["run", "--pipelines", "05_api"], project, check=True)
    checked = kedro(["layout", "check"], project)

    metrics = json.loads((project / "data/05_reporting/metrics.json").read_text())
    assert (metrics["target"], metrics["positive_class"]) == ("sex", "male")
    assert {"roc_auc", "precision", "recall", "f1_macro"} <= set(metrics["test"])
    assert metrics["test"]["roc_auc"] > 0.8
    with (project / "data/06_scoring/predictions.csv").open() as stream:
        header = next(csv.reader(stream))
    assert header[-4:] == ["predicted_sex", "probability_female", "probability_male",
                           "model_version"]
    assert checked.returncode == 0, checked.stdout + checked.stderr
