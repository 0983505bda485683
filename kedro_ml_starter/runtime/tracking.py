"""Experiment tracking with plain MLflow: each `kedro run` that trains or evaluates is a run.

A project generated with `tracking: mlflow` names `MlflowHooks` in its settings.py and
says in `conf/<env>/tracking.yml` what a run records, by catalog dataset:

    tracking_uri: null                  # sqlite:///<project>/mlflow.db (MLFLOW_TRACKING_URI wins)
    experiment: penguin_lab
    metrics: [metrics]                  # every number in them, flattened: eval.accuracy
    artifacts: [evaluation_plot]        # the files they were saved to
    sklearn_model:                      # logged with mlflow.sklearn, as one pipeline
      steps: [feature_transformers, model]
      example: train_split              # rows its input signature is inferred from
    onnx_model: model_onnx              # logged with mlflow.onnx, signature from the graph
    registered_model: penguin_lab       # the ONNX graph (else the sklearn model) registered
    verdict: model_verdicts             # stage 04's promotion verdicts (`model_versions`)

A `kedro run` whose pipeline writes none of the metrics, artifacts, the ONNX graph, the
model (the last of the sklearn steps) or the verdict — stages 01, 02 or 05 alone —
records nothing and never imports MLflow. One that does becomes one MLflow run holding
every parameter of the project (flattened, `model_training.estimator.arguments.C`, with
`--params` overrides; the data contract's columns as the artifact data_contract.yml), the
metrics, artifacts and models it wrote, and a new version of the registered model, tagged
`kedro.model_version` with the Kedro version of what it holds. A run that writes the
verdict logs it (tags `promotion.*`, the artifact `promotion/verdict.json` with the
criteria) and, when it promoted, moves the registered model's `champion` alias to the
version holding that model version: the alias follows promotion, a version that lost gets
none. Everything is read back from the catalog after the pipeline ran, in the main
process: the runners' worker processes and threads never touch MLflow (no database
connection is open across a fork), so ParallelRunner and ThreadRunner work as they do
without tracking. A pipeline that fails is recorded as a FAILED run with its parameters
and the error.

The store lives inside the project whatever the working folder (`kedro run` from a
subfolder): an SQLite file at its root and artifacts under `mlruns/`. `tracking_uri`
points elsewhere (an MLflow server: `http://127.0.0.1:5000`), per environment through
conf/<env>/tracking.yml; the MLFLOW_TRACKING_URI variable overrides both.
"""

from __future__ import annotations

import copy
import logging
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from typing import Any

from kedro.framework import project
from kedro.framework.hooks import hook_impl

from kedro_ml_starter.errors import UserError
from kedro_ml_starter.runtime.hooks import one_line

logger = logging.getLogger(__name__)

CONFIG_KEY = "tracking"
CONFIG_PATTERNS = ["tracking*", "tracking*/**"]
CONFIG_FILE = "conf/base/tracking.yml"
STORE_FILE = "mlflow.db"
ARTIFACTS_FOLDER = "mlruns"
_KEYS = ("tracking_uri", "experiment", "metrics", "artifacts", "sklearn_model", "onnx_model",
         "registered_model", "verdict")
CHAMPION = "champion"  # the registered model's alias for the newest promoted version
VERSION_TAG = "kedro.model_version"
_METRIC_NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789_-. /")


class TrackingConfigError(UserError):
    """Raised when conf/<env>/tracking.yml is not usable; the message names the key."""


class TrackingError(UserError):
    """Raised when MLflow could not record a run that finished (its outputs are saved)."""


@dataclass(frozen=True)
class SklearnModel:
    """Fitted estimators chained into one scikit-learn pipeline, and the dataset whose rows
    its input signature is inferred from."""

    steps: tuple[str, ...]
    example: str | None = None


@dataclass(frozen=True)
class TrackingSettings:
    """What tracking.yml says; see the module docstring."""

    experiment: str
    tracking_uri: str | None = None
    metrics: tuple[str, ...] = ()
    artifacts: tuple[str, ...] = ()
    sklearn_model: SklearnModel | None = None
    onnx_model: str | None = None
    registered_model: str | None = None
    verdict: str | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any], default_experiment: str) -> TrackingSettings:
        unknown = sorted(set(config) - set(_KEYS))
        if unknown:
            raise TrackingConfigError(
                f"{CONFIG_FILE}: unknown key {unknown[0]!r}; the keys are {', '.join(_KEYS)}")
        sklearn = config.get("sklearn_model")
        if sklearn is not None:
            if not isinstance(sklearn, Mapping) or not _names(sklearn.get("steps"), "steps"):
                raise TrackingConfigError(
                    f"{CONFIG_FILE}: sklearn_model needs `steps:`, the datasets of the fitted "
                    "estimators in order (e.g. [feature_transformers, model])")
            sklearn = SklearnModel(_names(sklearn["steps"], "sklearn_model.steps"),
                                   _name(sklearn.get("example"), "sklearn_model.example"))
        return cls(
            experiment=_name(config.get("experiment"), "experiment") or default_experiment,
            tracking_uri=_name(config.get("tracking_uri"), "tracking_uri"),
            metrics=_names(config.get("metrics"), "metrics"),
            artifacts=_names(config.get("artifacts"), "artifacts"),
            sklearn_model=sklearn,
            onnx_model=_name(config.get("onnx_model"), "onnx_model"),
            registered_model=_name(config.get("registered_model"), "registered_model"),
            verdict=_name(config.get("verdict"), "verdict"),
        )

    def datasets(self) -> set[str]:
        """The datasets whose writing makes a run tracked: metrics, artifacts, the ONNX
        graph, the model (the last of the sklearn steps: fitting the transformers
        alone, stage 02, trains nothing) and the verdict."""
        names = {*self.metrics, *self.artifacts}
        if self.verdict is not None:
            names.add(self.verdict)
        if self.sklearn_model is not None:
            names.add(self.sklearn_model.steps[-1])
        if self.onnx_model is not None:
            names.add(self.onnx_model)
        return names


def _name(value: Any, key: str) -> str | None:
    if value is None or (isinstance(value, str) and value.strip()):
        return value.strip() if isinstance(value, str) else None
    raise TrackingConfigError(f"{CONFIG_FILE}: {key} must be a name or null, not {value!r}")


def _names(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(i, str) and i for i in items):
        raise TrackingConfigError(f"{CONFIG_FILE}: {key} must be a list of dataset names")
    return tuple(items)


def store_uri(project_path: Path, configured: str | None) -> str:
    """Where runs go: MLFLOW_TRACKING_URI, else `tracking_uri` (an SQLite path relative to
    the project root, not to the working folder), else `<project>/mlflow.db`."""
    uri = os.environ.get("MLFLOW_TRACKING_URI") or configured
    if not uri:
        return f"sqlite:///{(project_path / STORE_FILE).as_posix()}"
    prefix = "sqlite:///"
    if uri.startswith(prefix) and not uri.startswith(prefix + "/"):
        return f"{prefix}{(project_path / uri[len(prefix):]).as_posix()}"
    return uri


def flatten(values: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Nested mappings as (`a.b.c`, leaf) pairs, in order."""
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from flatten(value, f"{name}.")
        else:
            yield name, value


def metric_values(values: Mapping[str, Any]) -> dict[str, float]:
    """Every number in a metrics mapping by its flattened name (`eval.per_class.Adelie.f1-score`);
    lists (a confusion matrix) and flags are left out."""
    return {
        "".join(c if c in _METRIC_NAME_CHARACTERS else "_" for c in name): float(value)
        for name, value in flatten(values)
        if isinstance(value, (int, float)) and not isinstance(value, bool)
    }


# The data contract's columns and example row are logged whole, as data_contract.yml:
# flattened, they would be a parameter per column and check.
CONTRACT_KEY = "data_contract"
_CONTRACT_FILE_KEYS = ("schema", "example")


def parameter_values(parameters: Mapping[str, Any]) -> dict[str, str]:
    """Every parameter by its flattened name (`model_training.estimator.arguments.C`), in
    MLflow's alphabet (a column named in one, `body mass (g)`, becomes `body mass _g_`);
    the data contract's schema and example row are left to its artifact."""
    contract = parameters.get(CONTRACT_KEY)
    if isinstance(contract, Mapping):
        kept = {k: v for k, v in contract.items() if k not in _CONTRACT_FILE_KEYS}
        parameters = {**parameters, CONTRACT_KEY: kept}
    return {"".join(c if c in _METRIC_NAME_CHARACTERS else "_" for c in name): str(value)
            for name, value in flatten(parameters)}


class MlflowHooks:
    """Records each `kedro run` that writes a tracked dataset as one MLflow run."""

    def __init__(self) -> None:
        self._config_loader: Any = None
        self._package = "kedro_project"
        self._started_ms = 0

    @hook_impl
    def after_context_created(self, context: Any) -> None:
        # conf/<env>/tracking*.yml is read by Kedro's loader like any config (the run
        # environment over base); nothing is read until a tracked run ends.
        context.config_loader.config_patterns.setdefault(CONFIG_KEY, CONFIG_PATTERNS)
        self._config_loader = context.config_loader
        self._package = project.PACKAGE_NAME or self._package

    @hook_impl
    def before_pipeline_run(self, run_params: dict[str, Any]) -> None:
        self._started_ms = int(time.time() * 1000)

    @hook_impl
    def after_pipeline_run(self, run_params: dict[str, Any], pipeline: Any,
                           catalog: Any) -> None:
        with one_line():
            self._record(run_params, pipeline, catalog)

    def _record(self, run_params: dict[str, Any], pipeline: Any, catalog: Any) -> None:
        settings = self._settings()
        written = settings.datasets() & set(pipeline.all_outputs())
        if not written:
            return
        try:
            _Recorder(settings, run_params, catalog, self._config_loader).record(
                written, self._started_ms)
        except UserError:
            raise
        except Exception as error:
            raise TrackingError(
                f"the run finished and its outputs are saved, but MLflow could not record it "
                f"({type(error).__name__}: {error}); check `tracking_uri` in {CONFIG_FILE}"
            ) from error

    @hook_impl
    def on_pipeline_error(self, error: Exception, run_params: dict[str, Any], pipeline: Any,
                          catalog: Any) -> None:
        try:
            settings = self._settings()
            if settings.datasets() & set(pipeline.all_outputs()):
                _Recorder(settings, run_params, catalog, self._config_loader).record_failure(
                    error, self._started_ms)
        except Exception as failure:  # noqa: BLE001 - never hide the pipeline's own error
            logger.warning("MLflow could not record the failed run: %s", failure)

    def _settings(self) -> TrackingSettings:
        config: Mapping[str, Any] = {}
        if self._config_loader is not None:
            try:
                config = self._config_loader[CONFIG_KEY]
            except Exception:  # noqa: BLE001 - no tracking.yml: the defaults
                config = {}
        return TrackingSettings.from_config(config or {}, self._package)


class _Recorder:
    """One tracked run: connects to the store and logs what the pipeline wrote."""

    def __init__(self, settings: TrackingSettings, run_params: Mapping[str, Any],
                 catalog: Any, config_loader: Any) -> None:
        self.settings = settings
        self.run_params = run_params
        self.catalog = catalog
        self.config_loader = config_loader
        self.project_path = Path(run_params["project_path"])

    def record(self, written: set[str], started_ms: int) -> None:
        # MLflow loads when a run is recorded: settings.py imports this on every `kedro` call
        import mlflow

        settings = self.settings
        with self._run(started_ms) as run:
            summary = [f"{len(self._log_parameters())} parameters"]
            metrics: dict[str, float] = {}
            for name in settings.metrics:
                if name in written:
                    metrics.update(metric_values(self.catalog.load(name)))
            if metrics:
                mlflow.log_metrics(metrics)
                summary.append(f"{len(metrics)} metrics")
            artifacts = [name for name in settings.artifacts if name in written]
            for name in artifacts:
                self._log_artifact(name)
            if artifacts:
                summary.append(f"artifacts of {', '.join(artifacts)}")
            summary += self._log_models(written)
            if settings.verdict and settings.verdict in written:
                summary.append(self._log_verdict(settings.verdict))
            logger.info("MLflow run %s recorded in %s (experiment %s): %s", run.info.run_id,
                        mlflow.get_tracking_uri(), settings.experiment, "; ".join(summary))

    def record_failure(self, error: Exception, started_ms: int) -> None:
        # MLflow loads when a run is recorded: settings.py imports this on every `kedro` call
        import mlflow

        with self._run(started_ms):
            self._log_parameters()
            mlflow.set_tag("kedro.error", f"{type(error).__name__}: {error}"[:5000])
            mlflow.end_run(status="FAILED")

    def _run(self, started_ms: int) -> Any:
        """The run, in the experiment (created with its artifacts under `<project>/mlruns`
        for a local store), active for mlflow.log_* until the `with` block ends."""
        # MLflow loads when a run is recorded: settings.py imports this on every `kedro` call
        import mlflow
        from mlflow import MlflowClient

        uri = store_uri(self.project_path, self.settings.tracking_uri)
        mlflow.set_tracking_uri(uri)
        client = MlflowClient(uri)
        experiment = client.get_experiment_by_name(self.settings.experiment)
        if experiment is None:
            local = uri.startswith(("sqlite:", "file:")) or "://" not in uri
            location = (self.project_path / ARTIFACTS_FOLDER).as_uri() if local else None
            experiment_id = client.create_experiment(self.settings.experiment, location)
        else:
            experiment_id = experiment.experiment_id
        names = self.run_params.get("pipeline_names") or ["__default__"]
        tags = {
            "kedro.pipelines": ",".join(names),
            "kedro.env": str(self.run_params.get("env") or "local"),
            "kedro.session_id": str(self.run_params.get("run_id") or ""),
            "kedro.runner": _runner_name(str(self.run_params.get("runner") or "")),
        }
        run = client.create_run(experiment_id, start_time=started_ms or None, tags=tags,
                                run_name="+".join(names))
        return mlflow.start_run(run_id=run.info.run_id)

    def _log_parameters(self) -> dict[str, str]:
        # MLflow loads when a run is recorded: settings.py imports this on every `kedro` call
        import mlflow

        every = self.catalog.load("parameters")
        parameters = parameter_values(every)
        items = list(parameters.items())
        for start in range(0, len(items), 100):  # MLflow takes at most 100 per request
            mlflow.log_params(dict(items[start:start + 100]))
        if isinstance(every.get(CONTRACT_KEY), Mapping):
            mlflow.log_dict(dict(every[CONTRACT_KEY]), f"{CONTRACT_KEY}.yml")
        return parameters

    def _log_artifact(self, name: str) -> None:
        # MLflow loads when a run is recorded: settings.py imports this on every `kedro` call
        import mlflow

        path = self._saved_path(name)
        if path is None:
            logger.warning("MLflow: `%s` is not a local file; its artifact is not logged", name)
        elif path.is_dir():
            mlflow.log_artifacts(str(path), artifact_path=name)
        else:
            mlflow.log_artifact(str(path))

    def _saved_path(self, name: str) -> Path | None:
        """The file (or folder) a dataset was saved to; for a versioned one, the newest version."""
        loader = self.config_loader
        entry = loader["catalog"].get(name) if loader is not None else None
        if not isinstance(entry, Mapping):
            return None
        filepath = entry.get("filepath")
        if not filepath or "://" in str(filepath):
            return None
        path = Path(filepath) if Path(filepath).is_absolute() else self.project_path / filepath
        if entry.get("versioned") and path.is_dir():
            versions = sorted(p for p in path.iterdir() if p.is_dir())
            if versions:
                newest = versions[-1] / PurePosixPath(filepath).name
                return newest if newest.exists() else versions[-1]
        return path if path.exists() else None

    def _log_models(self, written: set[str]) -> list[str]:
        """Logs the models the run wrote; registers the ONNX graph (what `kedro serve`
        scores, on either engine), else the sklearn model."""
        settings, logged, infos = self.settings, [], []
        graph = None
        if settings.onnx_model and settings.onnx_model in written:
            graph = _onnx_graph(self.catalog.load(settings.onnx_model))
        sklearn = settings.sklearn_model
        if sklearn is not None and sklearn.steps[-1] in written:
            register = settings.registered_model if graph is None else None
            infos.append(self._log_sklearn(sklearn, register))
            logged.append(f"sklearn model {infos[-1].model_uri}")
        if graph is not None:
            infos.append(self._log_onnx(graph, settings.registered_model))
            logged.append(f"ONNX model {infos[-1].model_uri}")
        versions = [info.registered_model_version for info in infos
                    if getattr(info, "registered_model_version", None)]
        if versions:
            logged.append(f"registered as {settings.registered_model} version {versions[-1]}")
            kedro_version = self._version_of(settings.onnx_model if graph is not None
                                             else sklearn.steps[-1] if sklearn else None)
            if kedro_version is not None and settings.registered_model is not None:
                # MLflow loads to tag a version: settings.py imports this on every `kedro` call
                from mlflow import MlflowClient

                MlflowClient().set_model_version_tag(settings.registered_model, versions[-1],
                                                     VERSION_TAG, kedro_version)
        return logged

    def _version_of(self, name: str | None) -> str | None:
        """The Kedro version of the dataset `name` that was logged: its newest complete."""
        if name is None or name not in self.catalog:
            return None
        resolve = getattr(self.catalog[name], "resolve_load_version", None)
        try:
            return resolve() if resolve is not None else None
        except Exception:  # noqa: BLE001 - unversioned or unreadable: no tag, nothing else
            return None

    def _log_verdict(self, name: str) -> str:
        """The run's verdict as tags and `promotion/verdict.json`; the `champion` alias
        moved to the registered version holding a promoted model version."""
        # MLflow loads when a run is recorded: settings.py imports this on every `kedro` call
        import mlflow
        from mlflow import MlflowClient

        saved = self.catalog.load(name)  # the store (or a Verdict): its latest verdict
        verdict = saved.latest_verdict() if hasattr(saved, "latest_verdict") else saved
        if verdict is None:
            return "no verdict"

        mlflow.set_tags({"promotion.model_version": verdict.model_version,
                         "promotion.promoted": str(verdict.promoted).lower(),
                         "promotion.reason": verdict.reason[:5000]})
        mlflow.log_dict(verdict.to_json(), "promotion/verdict.json")
        word = "promoted" if verdict.promoted else "not promoted"
        model_name = self.settings.registered_model
        if not verdict.promoted or model_name is None:
            return f"verdict: {word}"
        client = MlflowClient()
        holding = [v for v in client.search_model_versions(f"name = '{model_name}'")
                   if v.tags.get(VERSION_TAG) == verdict.model_version]
        if not holding:
            logger.info("MLflow: no version of %s holds model version %s (trained without "
                        "tracking?): the %s alias is unchanged", model_name,
                        verdict.model_version, CHAMPION)
            return f"verdict: {word}"
        registered = max(holding, key=lambda v: int(v.version)).version
        client.set_registered_model_alias(model_name, CHAMPION, registered)
        return f"verdict: {word}, {model_name} version {registered} is `{CHAMPION}`"

    def _log_sklearn(self, model: SklearnModel, registered: str | None) -> Any:
        # MLflow, skops load when a model is logged: settings.py imports this on every `kedro` call
        import mlflow
        from skops.io import dumps, get_untrusted_types  # type: ignore[import-untyped]

        estimator = sklearn_pipeline([self.catalog.load(step) for step in model.steps])
        signature = None
        if model.example:
            signature = sklearn_signature(estimator, self.catalog.load(model.example))
        # The model's own non-default types (numpy.dtype for an encoder's dtype=float32)
        # are what skops must be told to trust when the model is loaded back.
        trusted = get_untrusted_types(data=dumps(estimator))
        return mlflow.sklearn.log_model(
            estimator, name="model", signature=signature, serialization_format="skops",
            skops_trusted_types=trusted or None, registered_model_name=registered,
            # Given, so MLflow does not spend seconds inferring them from the environment.
            pip_requirements=[f"scikit-learn=={_version('scikit-learn')}",
                              f"skops=={_version('skops')}"],
        )

    def _log_onnx(self, graph: Any, registered: str | None) -> Any:
        # MLflow loads when a run is recorded: settings.py imports this on every `kedro` call
        import mlflow

        return mlflow.onnx.log_model(
            graph, name="onnx_model", signature=onnx_signature(graph),
            registered_model_name=registered,
            pip_requirements=[f"onnx=={_version('onnx')}",
                              f"onnxruntime=={_version('onnxruntime')}"],
        )


def sklearn_pipeline(steps: list[Any]) -> Any:
    """Fitted estimators as one scikit-learn Pipeline (one estimator stays itself).

    A step fitted on a data frame (it has `feature_names_in_`) gets one: each step before
    it is a copy whose output is a frame with the names it makes; a ColumnTransformer's
    own parts keep theirs, as they were fitted. So the pipeline predicts without sklearn's
    "X does not have valid feature names" warnings.
    """
    # scikit-learn loads when a model is logged: settings.py imports this on every `kedro` call
    from sklearn.pipeline import Pipeline

    if len(steps) == 1:
        return steps[0]
    chained = []
    for i, step in enumerate(steps):
        if i + 1 < len(steps) and hasattr(steps[i + 1], "feature_names_in_"):
            step = copy.deepcopy(step).set_output(transform="pandas")
            for _, part, *_ in getattr(step, "transformers_", ()):
                if hasattr(part, "set_output"):
                    part.set_output(transform="default")
        chained.append((f"step_{i}", step))
    return Pipeline(chained)


def sklearn_signature(model: Any, example: Any) -> Any:
    """The model's input signature: the columns it was fitted on, as the example rows name
    them, text columns as strings and numbers of any type; and its predictions.

    Numbers are `Any` rather than `double` or `long`: MLflow refuses an int64 column where
    a double is declared ("Can not safely convert int64 to float64") and a float64 one
    where a long is, and `pd.read_csv` gives either for the same column, depending on
    whether a value is missing. The logged pipeline casts what it gets (its imputers take
    integers and floats alike), so rows read straight from a CSV score as they are.
    """
    # MLflow loads when a model is logged: settings.py imports this on every `kedro` call
    from mlflow.models import ModelSignature, infer_signature
    from mlflow.types.schema import AnyType, ColSpec, Schema, TensorSpec

    columns = list(getattr(model, "feature_names_in_", example.columns))
    rows = example.loc[:, columns].copy()
    specs: list[ColSpec | TensorSpec] = []
    for column in columns:
        if rows[column].dtype.kind in "iuf":
            rows[column] = rows[column].astype("float64")
            specs.append(ColSpec(AnyType(), column, required=False))
        else:
            if rows[column].dtype.name == "category":
                rows[column] = rows[column].astype(object)
            specs.append(ColSpec("string", column, required=False))
    outputs = infer_signature(rows, model.predict(rows)).outputs
    return ModelSignature(inputs=Schema(specs), outputs=outputs)


def onnx_signature(graph: Any) -> Any:
    """Tensor specs named as the graph's inputs and outputs, with their types and shapes."""
    # numpy, MLflow, onnx load to log a graph: settings.py imports this on every `kedro` call
    import numpy as np
    from mlflow.models import ModelSignature
    from mlflow.types import Schema, TensorSpec
    from onnx import helper

    def specs(values: Any) -> Any:
        out: list[Any] = []
        for value in values:
            tensor = value.type.tensor_type
            dtype = np.dtype(helper.tensor_dtype_to_np_dtype(tensor.elem_type))
            shape = tuple(d.dim_value if d.HasField("dim_value") else -1
                          for d in tensor.shape.dim)
            out.append(TensorSpec(dtype, shape, value.name))
        return Schema(out)

    return ModelSignature(inputs=specs(graph.graph.input), outputs=specs(graph.graph.output))


def _onnx_graph(saved: Any) -> Any:
    """The `onnx.ModelProto` of what an ONNX dataset loaded, None when none was exported."""
    # onnx loads when a graph is logged: settings.py imports this on every `kedro` call
    import onnx

    content = getattr(saved, "content", saved)
    if hasattr(content, "SerializeToString"):
        return content
    if not content:
        logger.info("MLflow: no ONNX graph was exported (%s); none is logged",
                    getattr(saved, "not_exported", "empty"))
        return None
    return onnx.load_from_string(bytes(content))


def _runner_name(runner: str) -> str:
    """The class name in Kedro's `<kedro.runner....ParallelRunner object at 0x...>`."""
    return runner.split(" object at ", 1)[0].lstrip("<").rsplit(".", 1)[-1]


def _version(distribution: str) -> str:
    return version(distribution)


__all__ = [
    "CHAMPION",
    "VERSION_TAG",
    "MlflowHooks",
    "SklearnModel",
    "TrackingConfigError",
    "TrackingError",
    "TrackingSettings",
    "flatten",
    "metric_values",
    "onnx_signature",
    "parameter_values",
    "sklearn_pipeline",
    "sklearn_signature",
    "store_uri",
]
