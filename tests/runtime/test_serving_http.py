"""The serving runtime over real HTTP, on a tiny project: two features, two classes.

Each test starts its own server process (`uvicorn --factory` on 127.0.0.1, a free port)
on the tiny project of `tiny_project.py`, so they run in any order.
"""

from __future__ import annotations

import json
import math
import shutil
import signal
from pathlib import Path

import httpx
import pytest
from kedro.io.core import Version

from kedro_ml_starter.runtime.datasets import OnnxGraph, OnnxModelDataset
from tests.api.server_process import ServerProcess, free_port, start_server
from tests.runtime import tiny_project
from tests.support import PYTHON

REPO = Path(__file__).resolve().parents[2]
NEWER = "2099-01-01T00.00.00.000Z"


@pytest.fixture
def start(tmp_path: Path):
    servers: list[ServerProcess] = []

    def _start(project: Path, **extra_env: str) -> ServerProcess:
        port = free_port()
        command = [PYTHON, "-m", "uvicorn", "tests.runtime.tiny_project:create_app",
                   "--factory", "--host", "127.0.0.1", "--port", str(port)]
        server = start_server(command, REPO, tmp_path / f"server{len(servers)}.log", port,
                              TINY_PROJECT=str(project),
                              KEDRO_LOGGING_CONFIG=str(project / "conf/logging.yml"),
                              **extra_env)
        servers.append(server)
        return server

    yield _start
    for server in servers:
        server.stop(signal.SIGTERM)


def _requests() -> list[dict]:
    frame = tiny_project.rows().drop(columns="label").astype(object)
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
            for r in frame.to_dict("records")]


@pytest.mark.parametrize("runtime", ["onnx", "sklearn"])
def test_answers_equal_scikit_learns_missing_values_included(start, tmp_path, runtime):
    project = tiny_project.build(tmp_path / "tiny", serving=f"runtime: {runtime}")
    transformers, model = tiny_project.fit()
    expected = tiny_project.predict_frame(tiny_project.rows(), transformers, model)
    rows = _requests()
    assert any(None in row.values() for row in rows)
    server = start(project)

    singles = [httpx.post(f"{server.base_url}/predict", json=row).json() for row in rows]
    batches = [httpx.post(f"{server.base_url}/predict/batch", json={"rows": rows[i:i + 4]})
               for i in range(0, len(rows), 4)]
    info = httpx.get(f"{server.base_url}/model").json()

    answers = [p for batch in batches for p in batch.json()["predictions"]]
    assert [a["prediction"] for a in answers] == list(expected["predicted_label"])
    assert [s["prediction"] for s in singles] == list(expected["predicted_label"])
    for answer, (_, row) in zip(answers, expected.iterrows()):
        for label, probability in answer["probabilities"].items():
            assert math.isclose(probability, row[f"probability_{label}"], abs_tol=1e-5)
            assert probability == round(probability, 6)  # serving.probability_decimals
    assert {s["model_version"] for s in singles} == {tiny_project.VERSION}
    assert info["runtime"] == runtime and info["classes"] == ["big", "small"]
    assert info["model_version"] == info["transformers_version"] == tiny_project.VERSION


def test_before_training_it_starts_and_answers_503_saying_what_to_run(start, tmp_path):
    server = start(tiny_project.build(tmp_path / "tiny", trained=False))
    ready = httpx.get(f"{server.base_url}/ready")
    predict = httpx.post(f"{server.base_url}/predict", json={"size": 1.0, "colour": "red"})
    assert httpx.get(f"{server.base_url}/health").json() == {"status": "ok"}
    for response in (ready, predict):
        assert response.status_code == 503
        assert response.json() == {"message": "no trained model in models/ (no complete "
                                              "`model_onnx` yet): run `kedro run` (stages "
                                              "01-04) first, then restart the server"}


def test_a_partial_newest_version_is_skipped_with_one_log_line(start, tmp_path):
    project = tiny_project.build(tmp_path / "tiny")
    graphs = project / "models/model.onnx"
    shutil.copytree(graphs / tiny_project.VERSION, graphs / NEWER)
    (graphs / NEWER / "model.onnx").write_bytes(b"\x08\x07")  # a save cut short
    server = start(project)
    assert httpx.get(f"{server.base_url}/ready").json()["model_version"] == tiny_project.VERSION
    lines = [line for line in server.log().splitlines() if "Skipping version" in line]
    assert len(lines) == 1 and lines[0].endswith(
        f"Skipping version {NEWER} of {graphs}: model.onnx has 2 of its "
        f"{(graphs / tiny_project.VERSION / 'model.onnx').stat().st_size} bytes (cut short)")


def test_a_version_without_a_graph_is_503_naming_why(start, tmp_path):
    project = tiny_project.build(tmp_path / "tiny")
    dataset = OnnxModelDataset(filepath=str(project / "models/model.onnx"),
                               version=Version(None, NEWER))
    dataset.save(OnnxGraph(b"", "serving.runtime is sklearn"))
    server = start(project)
    ready = httpx.get(f"{server.base_url}/ready")
    assert ready.status_code == 503
    assert ready.json()["message"].startswith(
        f"model version {NEWER} has no ONNX graph (serving.runtime is sklearn): set "
        "`serving.runtime`")


def test_an_api_key_guards_everything_but_health_and_ready(start, tmp_path):
    project = tiny_project.build(tmp_path / "tiny", serving="api_key_env: TINY_KEY")
    server = start(project, TINY_KEY="s3cret")
    url, row = server.base_url, {"size": 1.0, "colour": "red"}
    assert httpx.get(f"{url}/health").status_code == httpx.get(f"{url}/ready").status_code == 200
    assert httpx.post(f"{url}/predict", json=row).status_code == 401
    assert httpx.get(f"{url}/model", headers={"X-API-Key": "s3cre"}).status_code == 401
    answer = httpx.post(f"{url}/predict", json=row, headers={"X-API-Key": "s3cret"})
    assert answer.status_code == 200 and answer.json()["prediction"] == "small"
    assert "s3cret" not in server.log()


def test_bad_requests_get_the_status_and_the_field(start, tmp_path):
    server = start(tiny_project.build(tmp_path / "tiny"))
    url, row = server.base_url, {"size": 1.0, "colour": "red"}
    too_many = httpx.post(f"{url}/predict/batch", json={"rows": [row] * 5})
    huge = httpx.post(f"{url}/predict", content=b" " * (4 * 4096 + 1),
                      headers={"content-type": "application/json"})
    broken = httpx.post(f"{url}/predict", content=b'{"size": ',
                        headers={"content-type": "application/json"})
    wrong = httpx.post(f"{url}/predict/batch", json={"rows": [row, {**row, "colour": "pink"}]})
    assert too_many.status_code == 422
    assert too_many.json()["message"].startswith("rows: List should have at most 4 items")
    assert huge.status_code == 413 and huge.json()["message"].startswith("body: 16385 bytes")
    assert broken.status_code == 400
    assert wrong.status_code == 422 and wrong.json()["message"].startswith("rows[1].colour: ")
    assert json.loads(httpx.get(f"{url}/openapi.json").text)["info"]["title"] == "Tiny"
