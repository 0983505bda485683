"""The promotion gate in the serving runtime, over real HTTP on the tiny project.

Three trained versions: V1 promoted, V2 promoted, V3 (the newest) not. The server must
choose once at start-up: the newest promoted, or a pinned promoted one; and say which and
why on /ready and /model. `kedro serve --model-version` on a generated project is in
tests/api/test_promotion_e2e.py.
"""

from __future__ import annotations

import httpx
import pytest

from tests.runtime import tiny_project
from tests.runtime.test_serving_http import start  # noqa: F401 - the server fixture

V1 = tiny_project.VERSION
V2, V3 = "2026-02-01T00.00.00.000Z", "2026-03-01T00.00.00.000Z"
ROW = {"size": 1.0, "colour": "red"}


def _project(tmp_path, serving: str = "", promoted=(True, True, False)):
    project = tiny_project.build(tmp_path / "tiny", serving=serving, promotion=True)
    tiny_project.save_model(project, V2)
    tiny_project.save_model(project, V3)
    for version, promoted_ in zip((V1, V2, V3), promoted):
        tiny_project.save_verdict(project, version, promoted_)
    return project


@pytest.mark.parametrize("runtime", ["onnx", "sklearn"])
def test_the_newest_promoted_version_is_served_not_the_newest(start, tmp_path, runtime):  # noqa: F811
    server = start(_project(tmp_path, serving=f"runtime: {runtime}"))
    ready = httpx.get(f"{server.base_url}/ready").json()
    info = httpx.get(f"{server.base_url}/model").json()
    answer = httpx.post(f"{server.base_url}/predict", json=ROW).json()

    assert ready == {"status": "ready", "model_version": V2,
                     "verdict": "promoted: accuracy 0.95 >= 0.9", "pinned": False}
    assert answer["model_version"] == V2 and answer["prediction"] == "small"
    assert info["model_version"] == V2 and info["pinned"] is False
    assert info["transformers_version"] == V2
    assert info["verdict"]["promoted"] is True
    assert info["verdict"]["reason"] == "accuracy 0.95 >= 0.9"
    assert info["verdict"]["settings"]["criteria"] == {"accuracy": 0.9}
    assert f"Serving model version {V2} (the newest promoted version; runtime: {runtime})" \
        in server.log()


def test_serving_pinned_by_the_parameter_serves_that_promoted_version(start, tmp_path):  # noqa: F811
    server = start(_project(tmp_path, serving=f"model_version: '{V1}'"))
    ready = httpx.get(f"{server.base_url}/ready").json()
    assert ready["model_version"] == V1 and ready["pinned"] is True
    assert httpx.post(f"{server.base_url}/predict", json=ROW).json()["model_version"] == V1
    assert (f"Serving model version {V1} (pinned by `serving.model_version` in "
            "conf/base/parameters_api.yml") in server.log()


def test_a_pin_from_the_command_line_wins_over_the_parameter(start, tmp_path):  # noqa: F811
    server = start(_project(tmp_path, serving=f"model_version: '{V2}'"),
                   KEDRO_SERVE_MODEL_VERSION=V1)
    assert httpx.get(f"{server.base_url}/ready").json()["model_version"] == V1
    assert f"Serving model version {V1} (pinned by --model-version" in server.log()


def test_an_unpromoted_pin_is_503_naming_the_promoted_versions(start, tmp_path):  # noqa: F811
    server = start(_project(tmp_path), KEDRO_SERVE_MODEL_VERSION=V3)
    ready = httpx.get(f"{server.base_url}/ready")
    assert ready.status_code == 503
    assert ready.json()["message"] == (
        f"--model-version names model version {V3}, which was not promoted (accuracy 0.95 is "
        f"below its minimum 1.01); promoted versions: {V1}, {V2} (newest last)")
    assert httpx.post(f"{server.base_url}/predict", json=ROW).status_code == 503


def test_with_no_promoted_version_it_answers_503_saying_what_to_run(start, tmp_path):  # noqa: F811
    server = start(_project(tmp_path, promoted=(False, False, False)))
    assert httpx.get(f"{server.base_url}/health").status_code == 200
    for response in (httpx.get(f"{server.base_url}/ready"),
                     httpx.get(f"{server.base_url}/model"),
                     httpx.post(f"{server.base_url}/predict", json=ROW)):
        assert response.status_code == 503
        assert response.json()["message"] == (
            f"no model version is promoted; the newest judged, {V3}, was not: accuracy 0.95 "
            "is below its minimum 1.01. Train a better model or change "
            "`model_evaluation.promotion` in conf/base/parameters_model_evaluation.yml; run "
            "`kedro run` (stages 01-04) first, then restart the server")


def test_trained_but_never_judged_is_503_saying_to_run_the_evaluation(start, tmp_path):  # noqa: F811
    server = start(tiny_project.build(tmp_path / "tiny", promotion=True))
    ready = httpx.get(f"{server.base_url}/ready")
    assert ready.status_code == 503
    assert ready.json()["message"].startswith(
        f"no model version has a verdict yet (model version {V1} was never judged by the "
        "evaluation stage): run `kedro run` (stages 01-04) first")


def test_a_project_without_verdicts_is_served_its_newest_version_as_before(start, tmp_path):  # noqa: F811
    project = tiny_project.build(tmp_path / "tiny")
    tiny_project.save_model(project, V2)
    server = start(project)
    ready = httpx.get(f"{server.base_url}/ready").json()
    assert ready == {"status": "ready", "model_version": V2, "verdict": None, "pinned": False}
    assert httpx.get(f"{server.base_url}/model").json()["verdict"] is None
    assert "The catalog has no `model_versions`: serving the newest complete model version, " \
           "with no promotion gate" in server.log()


def _signature(project, **changed):
    from kedro_ml_starter.runtime import DataContract
    from kedro_ml_starter.runtime.promotion import contract_signature

    return {**contract_signature(DataContract.load(project)), **changed}


def test_a_version_of_another_data_contract_is_not_served(start, tmp_path):  # noqa: F811
    """After the contract changed (`kedro layout use-data`), the newest promoted version
    of the old contract is passed over for the newest of the current one."""
    project = tiny_project.build(tmp_path / "tiny", promotion=True)
    tiny_project.save_model(project, V2)
    tiny_project.save_model(project, V3)
    tiny_project.save_verdict(project, V1, True, _signature(project, target="other"))
    tiny_project.save_verdict(project, V2, True, _signature(project))
    tiny_project.save_verdict(project, V3, True, _signature(project, task="regression"))
    server = start(project)
    ready = httpx.get(f"{server.base_url}/ready").json()
    info = httpx.get(f"{server.base_url}/model").json()
    assert ready["model_version"] == V2 and ready["pinned"] is False
    assert info["verdict"]["contract"] == _signature(project)


def test_with_only_versions_of_another_contract_it_answers_503_naming_it(start, tmp_path):  # noqa: F811
    project = tiny_project.build(tmp_path / "tiny", promotion=True)
    old = _signature(project, classes=["tiny", "huge"])
    tiny_project.save_verdict(project, V1, True, old)
    server = start(project)
    ready = httpx.get(f"{server.base_url}/ready")
    assert ready.status_code == 503
    assert ready.json()["message"] == (
        f"no model version was trained under the current data contract (the newest, {V1}, "
        f"was trained for classes tiny, huge, not the current data contract's classes "
        f"{', '.join(_signature(project)['classes'])}): run `kedro run` (stages 01-04) "
        "first, then restart the server")
