"""The stages wired together: a full run on an in-memory catalog."""

from __future__ import annotations

from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner
from kedro_ml_starter.runtime import LoadedVersion, ModelVersions, Verdict

from tests.helpers import STAGES, contract, load, parameters, stage_module

VERSION = "2026-01-01T00.00.00.000Z"


class Kept(MemoryDataset):
    """Keeps what a node saved: the runner releases a MemoryDataset once its readers ran."""

    def _release(self) -> None:
        pass


class InMemoryVersions(MemoryDataset):
    """The model version store, in memory: one version, the one this run trains. Stage 04
    saves its verdict here; stage 05 chooses its model from it."""

    def __init__(self, catalog: DataCatalog) -> None:
        super().__init__(copy_mode="assign")
        self._catalog = catalog
        self._verdicts: dict[str, Verdict] = {}

    def load(self) -> ModelVersions:
        return ModelVersions([VERSION], self._verdicts, self._version)

    def save(self, data: Verdict) -> None:
        self._verdicts[data.model_version] = data

    def _version(self, version: str) -> LoadedVersion:
        model = self._catalog.load("model")
        transformers = self._catalog.load("feature_transformers")
        return LoadedVersion(version, None, model, transformers)


def test_all_stages_run_on_an_in_memory_catalog(engine, raw):
    pipeline = sum(
        (stage_module(role, "pipeline").create_pipeline() for role in STAGES),
        Pipeline([]),
    )
    names = ("data_contract", "data_preprocessing", "feature_engineering")
    params = {name: parameters(name) for name in names}
    params.update(
        model_training=engine.training,
        batch_scoring={"keep_input_columns": False, "probability_decimals": 4},
        # the project's serving settings, unpinned: this run's version is the only one
        serving={**parameters("serving"), "model_version": None},
    )
    params["model_evaluation.promotion"] = parameters("model_evaluation")["promotion"]
    new_rows = load("new_rows").head(5)
    datasets = {
        "raw_data": MemoryDataset(raw),
        "new_rows": MemoryDataset(engine.frame(new_rows)),
        # Fitted models are passed on as they are (Spark's hold JVM handles: no copies).
        "feature_transformers": Kept(copy_mode="assign"),
        "model": Kept(copy_mode="assign"),
        "model_metadata": Kept(),
        "model_onnx": Kept(copy_mode="assign"),
        "metrics": Kept(),
    }
    for name, value in params.items():
        datasets[f"params:{name}"] = MemoryDataset(value)
    catalog = DataCatalog(datasets=datasets)
    store = InMemoryVersions(catalog)  # one store under two names, as in catalog.yml
    catalog["model_versions"] = catalog["model_verdicts"] = store
    outputs = SequentialRunner().run(pipeline, catalog)
    assert {"predictions", "evaluation_plot"} <= set(outputs)
    predictions = engine.table(outputs["predictions"].load())
    assert list(predictions.columns) == [*contract().output_columns, "model_version"]
    assert set(predictions["model_version"]) == {VERSION}
    assert len(predictions) == len(new_rows)
    train_rows = catalog["model_metadata"].load()["train_rows"]
    assert 0 < train_rows < len(engine.table(raw))
    # Stage 03 exported the graph the project serves, and stage 04 checked it; serving
    # with another runtime (`serving.runtime`), there is no graph to check.
    onnx = params["serving"]["runtime"] == "onnx"
    assert bool(catalog["model_onnx"].load().content) == onnx
    parity = catalog["metrics"].load()["onnx_parity"]
    assert parity["checked"] == onnx
    assert not onnx or parity["rows"] > 0
    # Stage 04 judged the version on the eval split and promoted it.
    verdict = store.load().verdicts[VERSION]
    assert verdict.promoted and "of the naive baseline" in verdict.reason
