"""The promotion gate end to end, as a user lives it, over real HTTP on 127.0.0.1.

`history` (module): a copy of the trained project (run 1, promoted by the shipped
criteria), then run 2 under an impossible criterion (`accuracy: 1.01`: saved, not
promoted, the run still succeeds) and run 3 under the shipped criteria (promoted). Each
test starts the servers it needs from it, or a copy of it taken at the right point:
serving and batch scoring follow the newest promoted version, or the pinned one.
"""

from __future__ import annotations

import csv
import json
import signal
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kedro_ml_starter.runtime import DataContract
from tests.api.test_serving_e2e import ROW, serve
from tests.support import KEDRO, copy_project, kedro, run
from tests.use_data import datasets

pytestmark = pytest.mark.e2e

SERVING_STAGE = "05_api"
IMPOSSIBLE = "model_evaluation.promotion.criteria.accuracy=1.01"


@dataclass(frozen=True)
class History:
    after_run_2: Path  # run 1 promoted, run 2 not
    after_run_3: Path  # and run 3 promoted
    versions: tuple[str, str, str]
    run_2_output: str


def _versions(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "models" / "model.pkl").iterdir())


@pytest.fixture(scope="module")
def history(trained_project: Path, tmp_path_factory: pytest.TempPathFactory) -> History:
    after_run_2 = copy_project(trained_project, tmp_path_factory.mktemp("run2"))
    [first] = _versions(after_run_2)
    second_run = kedro(["run", "--params", IMPOSSIBLE], after_run_2, check=True)
    after_run_3 = copy_project(after_run_2, tmp_path_factory.mktemp("run3"))
    kedro(["run"], after_run_3, check=True)
    first_, second, third = _versions(after_run_3)
    assert first_ == first
    return History(after_run_2, after_run_3, (first, second, third), second_run.stderr)


def _verdict(project: Path, version: str) -> dict:
    return json.loads((project / "models" / "verdicts" / f"{version}.json").read_text())


def _served(project: Path, log: Path, *args: str) -> tuple[dict, dict, dict, str]:
    """/ready, /predict and /model of a server started with `args`, and its log."""
    server = serve(project, log, *args)
    try:
        ready = httpx.get(f"{server.base_url}/ready").json()
        answer = httpx.post(f"{server.base_url}/predict", json=ROW).json()
        info = httpx.get(f"{server.base_url}/model").json()
    finally:
        assert server.stop(signal.SIGTERM) == 0
    return ready, answer, info, server.log()


def _batch_versions(project: Path, *args: str) -> set[str]:
    """The model versions batch scoring wrote next to its predictions."""
    kedro(["run", "--pipelines", SERVING_STAGE, *args], project, check=True)
    with (project / "data" / "06_scoring" / "predictions.csv").open() as file:
        return {row["model_version"] for row in csv.DictReader(file)}


def test_a_candidate_that_loses_is_kept_not_promoted_and_the_run_succeeds(history):
    first, second, _ = history.versions
    verdict = _verdict(history.after_run_2, second)

    assert not verdict["promoted"]
    assert verdict["reason"].startswith("accuracy ")
    assert verdict["reason"].endswith(" is below its minimum 1.01")
    assert verdict["settings"]["criteria"]["accuracy"] == 1.01
    assert _verdict(history.after_run_2, first)["promoted"]
    lines = [line for line in history.run_2_output.splitlines() if "not promoted" in line]
    assert len(lines) == 1
    assert lines[0].endswith(
        f"Model version {second} not promoted: {verdict['reason']}. It is kept in "
        f"models/model.pkl; serving stays on model version {first}, the newest promoted.")
    # kept and inspectable: every model file of the version, complete
    for name in ("model.pkl", "model.onnx", "feature_transformers.pkl"):
        assert (history.after_run_2 / "models" / name / second / f"{name}.complete").is_file()


def test_serving_and_batch_scoring_stay_on_the_promoted_version(history, tmp_path):
    first, second, _ = history.versions
    project = copy_project(history.after_run_2, tmp_path)
    ready, answer, info, log = _served(project, tmp_path / "server.log")

    assert ready["model_version"] == answer["model_version"] == first
    assert info["model_version"] == first != second  # the newest, second, lost
    assert ready["verdict"].startswith("promoted: f1_macro ") and ready["pinned"] is False
    assert f"Serving model version {first} (the newest promoted version" in log
    assert _batch_versions(project) == {first}


def test_a_promoted_run_moves_serving_and_batch_scoring_to_it(history, tmp_path):
    first, _, third = history.versions
    project = copy_project(history.after_run_3, tmp_path)
    verdict = _verdict(project, third)
    ready, answer, info, _ = _served(project, tmp_path / "server.log")

    assert verdict["promoted"]
    # by default: better than the naive baseline, and no worse than the promoted version on
    # the task's metric, all scored on this run's eval split
    assert [c["kind"] for c in verdict["checks"]] == ["better than naive",
                                                      "no worse than promoted"]
    comparison = [c for c in verdict["checks"] if c["kind"] == "no worse than promoted"]
    assert [(c["metric"], c["against"]) for c in comparison] == [("f1_macro", first)]
    assert comparison[0]["value"] == comparison[0]["limit"]  # the same data, the same model
    assert ready["model_version"] == answer["model_version"] == third
    assert info["metrics"]["eval"]["accuracy"] > 0.9  # metrics.json is about run 3
    assert _batch_versions(project) == {third}


def test_a_pin_serves_and_batch_scores_an_older_promoted_version(history, tmp_path):
    first = history.versions[0]
    project = copy_project(history.after_run_3, tmp_path)

    ready, answer, info, log = _served(project, tmp_path / "server.log",
                                       "--model-version", first)

    assert ready["model_version"] == answer["model_version"] == first and ready["pinned"]
    assert f"Serving model version {first} (pinned by --model-version" in log
    assert info["model_version"] == first and info["pinned"] is True
    assert info["verdict"] == _verdict(project, first)
    assert info["metrics"] is None  # metrics.json is about run 3, not the version served
    assert _batch_versions(project, "--params", f"serving.model_version={first}") == {first}


@pytest.mark.parametrize("which", ["not promoted", "unknown"])
def test_a_pin_that_cannot_be_served_is_refused_in_one_line_before_starting(
    history, which
):
    first, second, third = history.versions
    pin = second if which == "not promoted" else "2020-01-01T00.00.00.000Z"
    before = sorted(p.name for p in (history.after_run_3 / "models" / "verdicts").iterdir())

    result = run([KEDRO, "serve", "--port", "1", "--model-version", pin], history.after_run_3,
                 timeout=120)

    assert result.returncode == 1
    [line] = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    reason = ("which was not promoted (accuracy " if which == "not promoted"
              else "which models/ does not hold (complete)")
    assert line.startswith(f"Error: --model-version names model version {pin}, {reason}")
    assert line.endswith(f"promoted versions: {first}, {third} (newest last)")
    assert "Traceback" not in result.stderr
    assert "Uvicorn running" not in result.stderr + result.stdout
    after = sorted(p.name for p in (history.after_run_3 / "models" / "verdicts").iterdir())
    assert after == before


def test_batch_scoring_refuses_a_pin_on_a_version_that_lost(history):
    _, second, _ = history.versions
    result = kedro(["run", "--pipelines", SERVING_STAGE, "--params",
                    f"serving.model_version={second}"], history.after_run_3)
    assert result.returncode == 1
    assert (f"Error: `serving.model_version` in conf/base/parameters_api.yml names model "
            f"version {second}, which was not promoted") in result.stderr
    assert "Traceback" not in result.stderr


def test_with_no_promoted_version_the_server_answers_503_saying_what_to_run(
    trained_project, tmp_path
):
    """Stricter criteria, and run 1 evaluated again: its new verdict does not promote it,
    and no other version is promoted."""
    project = copy_project(trained_project, tmp_path)
    kedro(["run", "--pipelines", "04_model_evaluation", "--params", IMPOSSIBLE], project,
          check=True)
    server = serve(project, tmp_path / "server.log")
    try:
        ready = httpx.get(f"{server.base_url}/ready")
        predict = httpx.post(f"{server.base_url}/predict", json=ROW)
    finally:
        server.stop(signal.SIGTERM)
    for response in (ready, predict):
        assert response.status_code == 503
        message = response.json()["message"]
        assert message.startswith("no model version is promoted; the newest judged, ")
        assert message.endswith("run `kedro run` (stages 01-04) first, then restart the server")
    batch = kedro(["run", "--pipelines", SERVING_STAGE], project)
    assert batch.returncode == 1
    assert "Error: no model version is promoted; the newest judged, " in batch.stderr


# A deliberately bad candidate: the shipped estimator regularised until it barely uses
# the features. It trains and exports fine; only the gate stands between it and serving.
BAD_ESTIMATOR = {"classification": "model_training.estimator.arguments.C=0.0001",
                 "regression": "model_training.estimator.arguments.alpha=1000000"}
RETRAIN = "03_model_training,04_model_evaluation"


def _example(project: Path) -> dict:
    """The data contract's example row, as a client sends it (the target left out)."""
    contract = DataContract.load(project)
    return {k: v for k, v in contract.example.items() if k != contract.target}


def _served_example(project: Path, log: Path, *args: str) -> tuple[dict, dict]:
    """/ready and /predict (the contract's example row) of a server started with `args`."""
    server = serve(project, log, *args)
    try:
        ready = httpx.get(f"{server.base_url}/ready").json()
        answer = httpx.post(f"{server.base_url}/predict", json=_example(project)).json()
    finally:
        assert server.stop(signal.SIGTERM) == 0
    return ready, answer


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_a_worse_model_from_a_bad_parameter_is_kept_and_serving_keeps_the_old_one(
    task, request, tmp_path
):
    """Under the shipped defaults (no threshold of the user's): run 2 trains with a bad
    estimator parameter; it is saved and judged worse than run 1 on the same eval split,
    the run succeeds, and serving and batch scoring stay on run 1."""
    trained = request.getfixturevalue(
        "trained_project" if task == "classification" else "trained_regression_project")
    project = copy_project(trained, tmp_path)
    [first] = _versions(project)

    result = kedro(["run", "--pipelines", RETRAIN, "--params", BAD_ESTIMATOR[task]], project,
                   check=True)

    first_, second = _versions(project)
    verdict = _verdict(project, second)
    primary = "f1_macro" if task == "classification" else "rmse"
    assert first_ == first and _verdict(project, first)["promoted"]
    assert not verdict["promoted"]
    [worse] = [c for c in verdict["checks"] if c["kind"] == "no worse than promoted"]
    assert (worse["metric"], worse["against"], worse["passed"]) == (primary, first, False)
    assert f"{primary} " in verdict["reason"]
    assert f"is worse than {worse['limit']:.6g} of promoted version {first}" in verdict["reason"]
    [line] = [line for line in result.stderr.splitlines() if "not promoted" in line]
    assert line.endswith(f"serving stays on model version {first}, the newest promoted.")
    assert (project / "models" / "model.pkl" / second / "model.pkl.complete").is_file()

    ready, answer = _served_example(project, tmp_path / "server.log")
    assert ready["model_version"] == answer["model_version"] == first
    assert ready["verdict"].startswith("promoted: ")
    assert _batch_versions(project) == {first}


def test_after_use_data_on_a_trained_project_its_first_model_is_served(
    trained_project, tmp_path
):
    """`make demo`, then `kedro layout use-data` on another file: the penguins' promoted
    model is not compared with the new file's first model (it cannot score its rows) nor
    served for it, and cannot be pinned."""
    project = copy_project(trained_project, tmp_path)
    [penguins] = _versions(project)
    (tmp_path / "files").mkdir()
    iris = datasets.iris(tmp_path / "files")
    kedro(["layout", "use-data", str(iris.path), "--target", iris.target], project,
          check=True)

    kedro(["run"], project, check=True)

    _, first = _versions(project)
    verdict = _verdict(project, first)
    assert verdict["promoted"], verdict["reason"]
    assert verdict["reason"].endswith("; no promoted version to compare with yet")
    assert verdict["contract"]["classes"] == ["setosa", "versicolor", "virginica"]
    ready, answer = _served_example(project, tmp_path / "server.log")
    assert ready["model_version"] == answer["model_version"] == first
    assert answer["prediction"] in verdict["contract"]["classes"]
    refused = run([KEDRO, "serve", "--port", "1", "--model-version", penguins], project,
                  timeout=120)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    [line] = [line for line in refused.stderr.splitlines() if line.startswith("Error: ")]
    assert line == (f"Error: --model-version names model version {penguins}, which was "
                    "trained for classes Adelie, Chinstrap, Gentoo, not the current data "
                    "contract's classes setosa, versicolor, virginica; promoted versions: "
                    f"{first} (newest last)")
