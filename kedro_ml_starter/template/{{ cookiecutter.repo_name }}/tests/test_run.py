"""The stages wired together: a full run on an in-memory catalog."""

from __future__ import annotations

from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner

from tests.helpers import SPLIT_PARAMETERS, STAGES, stage_module


class Kept(MemoryDataset):
    """Keeps what a node saved: the runner releases a MemoryDataset once its readers ran."""

    def _release(self) -> None:
        pass


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
        "serving": {"runtime": "onnx"},
    }
    new_rows = raw_table.drop(columns="species").head(5)
    datasets = {
        "raw_penguins": MemoryDataset(raw),
        "new_penguins": MemoryDataset(engine.frame(new_rows)),
        # Fitted models are passed on as they are (Spark's hold JVM handles: no copies).
        "feature_transformers": MemoryDataset(copy_mode="assign"),
        "model": MemoryDataset(copy_mode="assign"),
        "model_metadata": Kept(),
        "model_onnx": Kept(copy_mode="assign"),
        "metrics": Kept(),
    }
    for name, value in parameters.items():
        datasets[f"params:{name}"] = MemoryDataset(value)
    catalog = DataCatalog(datasets=datasets)
    outputs = SequentialRunner().run(pipeline, catalog)
    assert {"penguin_predictions", "confusion_matrix_plot"} <= set(outputs)
    predictions = engine.table(outputs["penguin_predictions"].load())
    assert list(predictions["predicted_species"]) == list(raw_table["species"].head(5))
    assert catalog["model_metadata"].load()["train_rows"] > 150
    assert catalog["model_onnx"].load().content  # stage 03 exported the graph
    parity = catalog["metrics"].load()["onnx_parity"]  # stage 04 checked it
    assert parity["checked"] and parity["labels_differing"] == 0
