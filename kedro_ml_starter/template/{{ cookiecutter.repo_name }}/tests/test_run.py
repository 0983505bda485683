"""The stages wired together: a full run on an in-memory catalog."""

from __future__ import annotations

from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner
from kedro_ml_starter.runtime.model_versions import LoadedVersion, ModelVersions
from kedro_ml_starter.runtime.promotion import Verdict

from tests.helpers import SPLIT_PARAMETERS, STAGES, stage_module

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
        return LoadedVersion(
            version, None, model, self._catalog.load("feature_transformers")
        )


def test_all_stages_run_on_an_in_memory_catalog(engine, raw, raw_table):
    pipeline = sum(
        (stage_module(role, "pipeline").create_pipeline() for role in STAGES),
        Pipeline([]),
    )
    parameters = {
        "data_preprocessing": SPLIT_PARAMETERS,
        "feature_engineering": {"numeric_imputation": "median"},
        "model_training": engine.training,
        "batch_scoring": {"keep_input_columns": False, "probability_decimals": 4},
        "serving": {"runtime": "onnx", "model_version": None},
        "model_evaluation.promotion": {"criteria": {"accuracy": 0.9}},
    }
    new_rows = raw_table.drop(columns="species").head(5)
    datasets = {
        "raw_penguins": MemoryDataset(raw),
        "new_penguins": MemoryDataset(engine.frame(new_rows)),
        # Fitted models are passed on as they are (Spark's hold JVM handles: no copies).
        "feature_transformers": Kept(copy_mode="assign"),
        "model": Kept(copy_mode="assign"),
        "model_metadata": Kept(),
        "model_onnx": Kept(copy_mode="assign"),
        "metrics": Kept(),
    }
    for name, value in parameters.items():
        datasets[f"params:{name}"] = MemoryDataset(value)
    catalog = DataCatalog(datasets=datasets)
    store = InMemoryVersions(catalog)  # one store under two names, as in catalog.yml
    catalog["model_versions"] = catalog["model_verdicts"] = store
    outputs = SequentialRunner().run(pipeline, catalog)
    assert {"penguin_predictions", "confusion_matrix_plot"} <= set(outputs)
    predictions = engine.table(outputs["penguin_predictions"].load())
    assert list(predictions["predicted_species"]) == list(raw_table["species"].head(5))
    assert set(predictions["model_version"]) == {VERSION}
    assert catalog["model_metadata"].load()["train_rows"] > 150
    assert catalog["model_onnx"].load().content  # stage 03 exported the graph
    parity = catalog["metrics"].load()["onnx_parity"]  # stage 04 checked it
    assert parity["checked"] and parity["labels_differing"] == 0
    verdict = store.load().verdicts[VERSION]  # and promoted it, from the eval split
    assert verdict.promoted and verdict.reason.startswith("accuracy ")
