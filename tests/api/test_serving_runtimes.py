"""What the server loads and from where, on generated projects, over real HTTP.

- The ONNX server imports no scikit-learn and unpickles nothing: a `sitecustomize` on the
  server's PYTHONPATH (test-only, nothing in the API) records its modules at exit.
- A version a killed run left incomplete is skipped, by the server and by batch scoring.
- A model skl2onnx cannot convert fails `kedro run` in one line; `serving.runtime: sklearn`
  then trains and serves it.
- A graph that disagrees with the model fails stage 04 in one line.
"""

from __future__ import annotations

import json
import shutil
import signal
from pathlib import Path

import fsspec
import httpx
import onnx
import pytest

from kedro_ml_starter.runtime.versions import write_complete
from tests.api.test_serving_e2e import ROW, serve
from tests.support import copy_project, kedro

pytestmark = pytest.mark.e2e

RECORDER = '''
import atexit, os, pickle, sys

calls = []
for name in ("load", "loads"):
    original = getattr(pickle, name)
    def recording(*args, _original=original, _name=name, **kwargs):
        calls.append(_name)
        return _original(*args, **kwargs)
    setattr(pickle, name, recording)

@atexit.register
def _report():
    with open(os.environ["MODULES_REPORT"], "w") as stream:
        json.dump({"modules": sorted(sys.modules), "pickle_calls": calls}, stream)

import json
'''
NEWER = "2099-01-01T00.00.00.000Z"  # a version newer than any a test run saves


def _last_line(result) -> str:
    return result.stderr.strip().splitlines()[-1]


def test_the_onnx_server_imports_no_scikit_learn_and_unpickles_nothing(trained_project,
                                                                       tmp_path):
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(RECORDER)
    report = tmp_path / "modules.json"
    project = copy_project(trained_project, tmp_path)
    server = serve(project, tmp_path / "server.log", PYTHONPATH=str(hooks),
                   MODULES_REPORT=str(report))
    try:
        single = httpx.post(f"{server.base_url}/predict", json=ROW)
        batch = httpx.post(f"{server.base_url}/predict/batch", json={"rows": [ROW, ROW]})
    finally:
        assert server.stop(signal.SIGTERM) == 0
    assert single.status_code == batch.status_code == 200
    seen = json.loads(report.read_text())
    assert "onnxruntime" in seen["modules"]
    assert [m for m in seen["modules"] if m.split(".")[0] in ("sklearn", "skl2onnx")] == []
    assert seen["pickle_calls"] == []


def _add_incomplete_version(project: Path, dataset: str, *, truncate: bool) -> Path:
    """A copy of the newest version of models/<dataset> as version NEWER, cut short (or
    without its completeness record), as a run killed while saving leaves it."""
    folder = project / "models" / dataset
    newest = max(p for p in folder.iterdir() if p.is_dir())
    partial = folder / NEWER
    shutil.copytree(newest, partial)
    data = partial / dataset
    if truncate:
        data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])
    else:
        (partial / f"{dataset}.complete").unlink()
    return newest


def test_a_partial_newest_version_is_skipped_by_the_server_and_batch_scoring(
    trained_project, tmp_path
):
    project = copy_project(trained_project, tmp_path)
    served = _add_incomplete_version(project, "model.onnx", truncate=True).name
    _add_incomplete_version(project, "model.pkl", truncate=True)
    _add_incomplete_version(project, "feature_transformers.pkl", truncate=False)

    server = serve(project, tmp_path / "server.log")
    try:
        ready = httpx.get(f"{server.base_url}/ready")
        predict = httpx.post(f"{server.base_url}/predict", json=ROW)
    finally:
        server.stop(signal.SIGTERM)
    batch = kedro(["run", "--pipelines", "05_api"], project)

    assert ready.status_code == 200 and ready.json()["model_version"] == served
    assert predict.status_code == 200 and predict.json()["model_version"] == served
    # The server chooses among complete model versions (and their verdicts): NEWER's model
    # is cut short, so it is skipped with one line, and its graph is never opened.
    size = (project / "models/model.pkl" / served / "model.pkl").stat().st_size
    models = project / "models"
    assert (f"Skipping version {NEWER} of {models / 'model.pkl'}: model.pkl has {size // 2} "
            f"of its {size} bytes (cut short)\n") in server.log()
    assert batch.returncode == 0, batch.stderr[-3000:]
    assert f"Skipping version {NEWER} of {models / 'model.pkl'}: model.pkl has" in batch.stderr
    assert (f"Skipping version {NEWER} of {models / 'feature_transformers.pkl'}: "
            "feature_transformers.pkl has no completeness record") in batch.stderr
    assert "Traceback" not in batch.stderr + server.log()


CUSTOM_TRANSFORMER = '''

class Log1p(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """log(1 + x): a transformer of this project's own, which skl2onnx cannot convert."""

    def fit(self, rows, target=None):
        self.n_features_in_ = rows.shape[1]
        return self

    def transform(self, rows):
        return np.log1p(rows)
'''


def test_a_model_skl2onnx_cannot_convert_is_served_with_the_sklearn_runtime(
    generated_project, tmp_path
):
    project = copy_project(generated_project, tmp_path)
    features = project / "src/penguin_lab/utils/features.py"
    original = features.read_text()
    text = original.replace("        numeric.append(StandardScaler())\n",
                            "        numeric += [Log1p(), StandardScaler()]\n")
    text = text.replace("from sklearn.compose", "from sklearn.base import BaseEstimator, "
                        "OneToOneFeatureMixin, TransformerMixin\nfrom sklearn.compose")
    assert text.count("Log1p()") == 1 and "TransformerMixin" not in original
    features.write_text(text + CUSTOM_TRANSFORMER)

    refused = kedro(["run"], project)
    assert refused.returncode == 1
    assert _last_line(refused) == (
        "Error: cannot export to ONNX: skl2onnx has no converter for "
        "penguin_lab.utils.features.Log1p; set `serving.runtime: sklearn` in "
        "conf/base/parameters_api.yml to serve with scikit-learn instead")
    assert "Traceback" not in refused.stderr

    settings = project / "conf/base/parameters_api.yml"
    settings.write_text(settings.read_text().replace("runtime: onnx", "runtime: sklearn"))
    kedro(["run"], project, check=True)
    kedro(["run", "--pipelines", "05_api"], project, check=True)
    metrics = json.loads((project / "data/05_reporting/metrics.json").read_text())
    assert metrics["onnx_parity"] == {"checked": False, "reason": "serving.runtime is sklearn"}

    server = serve(project, tmp_path / "server.log")
    try:
        info = httpx.get(f"{server.base_url}/model").json()
        answer = httpx.post(f"{server.base_url}/predict", json=ROW)
    finally:
        server.stop(signal.SIGTERM)
    assert info["runtime"] == "sklearn" and info["model_class"].endswith("LogisticRegression")
    assert answer.status_code == 200, answer.text
    assert answer.json()["prediction"] in {"Adelie", "Chinstrap", "Gentoo"}


def test_a_graph_that_disagrees_with_the_model_fails_stage_04_in_one_line(
    trained_project, tmp_path
):
    project = copy_project(trained_project, tmp_path)
    [path] = sorted((project / "models/model.onnx").glob("*/model.onnx"))
    graph = onnx.load(path)
    node = next(n for n in graph.graph.node if n.op_type == "LinearClassifier")
    coefficients = next(a for a in node.attribute if a.name == "coefficients")
    coefficients.floats[:] = [-c for c in coefficients.floats]
    path.unlink()
    path.with_name("model.onnx.complete").unlink()
    write_complete(fsspec.filesystem("file"), str(path), graph.SerializeToString())

    result = kedro(["run", "--pipelines", "04_model_evaluation"], project)

    assert result.returncode == 1
    assert _last_line(result).startswith("Error: the ONNX graph disagrees with scikit-learn on ")
    assert _last_line(result).endswith("set `serving.runtime: sklearn` in "
                                       "conf/base/parameters_api.yml to serve with scikit-learn "
                                       "instead")
    assert "Traceback" not in result.stderr
