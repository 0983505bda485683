"""kedro_ml_starter.runtime.tracking without a project: settings, names, store, models."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from kedro_ml_starter.runtime import tracking
from kedro_ml_starter.runtime.promotion import PromotionSettings, judge
from kedro_ml_starter.runtime.tracking import (
    MlflowHooks,
    SklearnModel,
    TrackingConfigError,
    TrackingSettings,
    metric_values,
    parameter_values,
    sklearn_pipeline,
    sklearn_signature,
    store_uri,
)

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")


def test_settings_read_every_key_and_default_the_experiment_to_the_package():
    settings = TrackingSettings.from_config({
        "tracking_uri": None, "metrics": ["metrics"], "artifacts": "plot",
        "sklearn_model": {"steps": ["transformers", "model"], "example": "train"},
        "onnx_model": "graph", "registered_model": "lab",
    }, "penguin_lab")

    assert settings == TrackingSettings(
        experiment="penguin_lab", metrics=("metrics",), artifacts=("plot",),
        sklearn_model=SklearnModel(("transformers", "model"), "train"), onnx_model="graph",
        registered_model="lab")
    # what makes a run tracked: not the transformers alone (stage 02 trains nothing)
    assert settings.datasets() == {"metrics", "plot", "model", "graph"}
    judged = TrackingSettings.from_config({"verdict": "model_verdict"}, "lab")
    assert judged.datasets() == {"model_verdict"}
    assert TrackingSettings.from_config({}, "lab") == TrackingSettings("lab")


@pytest.mark.parametrize(("config", "message"), [
    ({"trackin_uri": "x"}, "unknown key 'trackin_uri'; the keys are tracking_uri, experiment"),
    ({"metrics": [1]}, "metrics must be a list of dataset names"),
    ({"experiment": ["a"]}, "experiment must be a name or null, not ['a']"),
    ({"sklearn_model": ["model"]}, "sklearn_model needs `steps:`"),
])
def test_a_bad_setting_is_one_line_naming_the_file_and_the_key(config, message):
    with pytest.raises(TrackingConfigError) as error:
        TrackingSettings.from_config(config, "lab")
    assert error.value.message.startswith("conf/base/tracking.yml: ")
    assert message in error.value.message
    assert "\n" not in error.value.message


def test_the_store_is_the_projects_whatever_the_working_folder(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.chdir(tmp_path)
    project = Path("/srv/lab")

    assert store_uri(project, None) == "sqlite:////srv/lab/mlflow.db"
    assert store_uri(project, "sqlite:///runs/x.db") == "sqlite:////srv/lab/runs/x.db"
    assert store_uri(project, "sqlite:////abs/x.db") == "sqlite:////abs/x.db"
    assert store_uri(project, "http://127.0.0.1:5000") == "http://127.0.0.1:5000"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://mlflow.internal")
    assert store_uri(project, "sqlite:///runs/x.db") == "http://mlflow.internal"


def test_metrics_and_parameters_are_flattened_with_dots():
    metrics = {"model_class": "x.Y", "eval": {"accuracy": 0.5, "rows": 7,
                                               "per_class": {"a b(c)": {"f1-score": 1}},
                                               "confusion_matrix": {"counts": [[1]]}},
               "onnx_parity": {"checked": True, "max_probability_difference": 1e-7}}

    assert metric_values(metrics) == {"eval.accuracy": 0.5, "eval.rows": 7.0,
                                      "eval.per_class.a b_c_.f1-score": 1.0,
                                      "onnx_parity.max_probability_difference": 1e-7}
    assert parameter_values({"model_training": {"logistic_regression": {"C": 1.0}},
                             "model_evaluation": {}, "serving": {"api_key_env": None},
                             "batch": {"columns": ["a", "b"]}}) == {
        "model_training.logistic_regression.C": "1.0", "serving.api_key_env": "None",
        "batch.columns": "['a', 'b']"}


def _fitted() -> tuple[object, object, pd.DataFrame]:
    """Transformers and a model fitted as the pandas template fits them: the model on a
    frame of the transformers' named outputs."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    rows = pd.DataFrame({
        "size": np.array([1.0, 2.0, np.nan, 4.0, 5.0, 6.0], dtype="float32"),
        "colour": pd.Categorical(["red", "blue", "red", None, "blue", "red"]),
        "year": [2007, 2008, 2009, 2007, 2008, 2009],
    })
    labels = ["s", "s", "s", "b", "b", "b"]
    transformers = ColumnTransformer([
        ("numeric", make_pipeline(SimpleImputer(), StandardScaler()), ["size"]),
        ("categorical", make_pipeline(SimpleImputer(strategy="constant", fill_value="?"),
                                      OneHotEncoder(handle_unknown="ignore",
                                                    sparse_output=False)), ["colour"]),
    ], verbose_feature_names_out=False).fit(rows[["size", "colour"]])
    features = pd.DataFrame(transformers.transform(rows[["size", "colour"]]),
                            columns=transformers.get_feature_names_out())
    return transformers, LogisticRegression().fit(features, labels), rows


def test_the_sklearn_pipeline_predicts_from_raw_rows_without_warnings():
    transformers, model, rows = _fitted()

    pipeline = sklearn_pipeline([transformers, model])

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "X does not have valid feature names"
        predicted = pipeline.predict(rows)
    features = pd.DataFrame(transformers.transform(rows[["size", "colour"]]),
                            columns=transformers.get_feature_names_out())
    assert list(predicted) == list(model.predict(features))
    assert transformers.transform(rows[["size", "colour"]]).__class__ is np.ndarray  # untouched
    assert sklearn_pipeline([model]) is model


def test_the_sklearn_signature_names_the_fitted_columns_and_takes_numbers_as_read(
        tmp_path: Path):
    """A CSV column of whole numbers reads as int64, with a missing value as float64:
    the logged model scores both (MLflow refuses int64 for a declared double)."""
    import io

    import mlflow

    transformers, model, rows = _fitted()
    pipeline = sklearn_pipeline([transformers, model])

    signature = sklearn_signature(pipeline, rows)

    inputs = {spec.name: (repr(spec.type), spec.required) for spec in signature.inputs.inputs}
    assert inputs == {"size": ("Any", False), "colour": ("string", False)}  # not `year`
    assert signature.outputs is not None
    from skops.io import dumps, get_untrusted_types

    mlflow.sklearn.save_model(pipeline, tmp_path / "model", signature=signature,
                              skops_trusted_types=get_untrusted_types(data=dumps(pipeline)))
    loaded = mlflow.pyfunc.load_model(str(tmp_path / "model"))
    for text in ("size,colour\n1,red\n5,blue\n", "size,colour\n1.5,red\n,\n6,blue\n"):
        as_read = pd.read_csv(io.StringIO(text))
        assert list(loaded.predict(as_read)) == list(pipeline.predict(as_read))
    assert pd.read_csv(io.StringIO("size\n1\n")).dtypes["size"] == "int64"  # the case


def test_a_run_writing_nothing_tracked_records_nothing(monkeypatch):
    hooks = MlflowHooks()
    hooks._config_loader = {"tracking": {"metrics": ["metrics"]}}
    monkeypatch.setattr(tracking, "_Recorder", lambda *args: pytest.fail("recorded"))
    pipeline = SimpleNamespace(all_outputs=lambda: {"penguins_train", "penguins_test"})

    hooks.after_pipeline_run({"project_path": "/srv/lab"}, pipeline, catalog=None)
    hooks.on_pipeline_error(RuntimeError("x"), {"project_path": "/srv/lab"}, pipeline, None)


def test_importing_the_hooks_imports_no_mlflow():
    """settings.py imports the hooks on every `kedro` command of a tracked project."""
    probe = ("import sys, kedro_ml_starter.runtime.tracking; "
             "print(sorted(m for m in ('mlflow', 'sklearn', 'onnx', 'pandas') "
             "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"  # (Kedro logs its logging set-up)


def test_the_champion_alias_follows_promotion_and_the_run_logs_its_verdict(tmp_path: Path,
                                                                           monkeypatch):
    """Three tracked runs that train and judge (V1 promoted, V2 not, V3 promoted), recorded
    by the hooks from a real catalog into a real store: `champion` moves to V1's registered
    version, stays there, then moves to V3's."""
    from kedro.io import DataCatalog, MemoryDataset
    from kedro.io.core import Version
    from mlflow import MlflowClient

    from kedro_ml_starter.runtime.datasets import OnnxModelDataset
    from kedro_ml_starter.runtime.model_versions import ModelVersionsDataset
    from tests.runtime import tiny_project

    # mlflow.set_tracking_uri (tests reading other stores call it) exports the variable,
    # which wins over tracking.yml's uri, as it does for a user.
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    graphs, verdicts = tmp_path / "models/model.onnx", tmp_path / "models/verdicts"
    hooks = MlflowHooks()
    hooks._config_loader = {"tracking": {
        "tracking_uri": f"sqlite:///{tmp_path / 'mlflow.db'}", "experiment": "lab",
        "onnx_model": "model_onnx", "registered_model": "lab", "verdict": "model_verdicts"}}
    pipeline = SimpleNamespace(all_outputs=lambda: {"model_onnx", "model_verdicts"})
    store = ModelVersionsDataset(filepath=str(verdicts), model={
        "type": "kedro_ml_starter.runtime.datasets.ModelPickleDataset",
        "filepath": str(tmp_path / "models/model.pkl")})
    versions = {"2026-01-01T00.00.00.000Z": 0.9, "2026-01-02T00.00.00.000Z": 1.01,
                "2026-01-03T00.00.00.000Z": 0.9}
    aliases = []
    for version, minimum in versions.items():
        tiny_project.save_model(tmp_path, version)  # transformers, model and graph
        store.save(
            judge(version, {"accuracy": 0.95},
                  PromotionSettings.from_params({"criteria": {"accuracy": minimum},
                                                 "beat_naive_baseline": False})))
        catalog = DataCatalog({
            "model_onnx": OnnxModelDataset(filepath=str(graphs), version=Version(None, None)),
            "model_verdicts": store,
            "parameters": MemoryDataset({"model_evaluation": {"promotion": {
                "criteria": {"accuracy": minimum}}}}),
        })
        hooks.after_pipeline_run({"project_path": str(tmp_path)}, pipeline, catalog)
        client = MlflowClient(f"sqlite:///{tmp_path / 'mlflow.db'}")
        aliases.append(client.get_registered_model("lab").aliases)

    assert aliases == [{"champion": 1}, {"champion": 1}, {"champion": 3}]
    registered = sorted(client.search_model_versions("name = 'lab'"), key=lambda v: int(v.version))
    assert [v.tags["kedro.model_version"] for v in registered] == list(versions)
    runs = client.search_runs([client.get_experiment_by_name("lab").experiment_id],
                              order_by=["attributes.start_time ASC"])
    assert [r.data.tags["promotion.promoted"] for r in runs] == ["true", "false", "true"]
    assert runs[1].data.tags["promotion.reason"] == "accuracy 0.95 is below its minimum 1.01"
    assert runs[1].data.params["model_evaluation.promotion.criteria.accuracy"] == "1.01"
    logged = json.loads(Path(client.download_artifacts(
        runs[1].info.run_id, "promotion/verdict.json", str(tmp_path))).read_text())
    assert logged["settings"]["criteria"] == {"accuracy": 1.01} and logged["promoted"] is False
