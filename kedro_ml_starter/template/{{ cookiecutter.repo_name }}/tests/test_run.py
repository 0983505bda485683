"""The stages wired together: a full run on an in-memory catalog."""

from __future__ import annotations

from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner

from tests.helpers import STAGES, stage_module


def _parameters() -> dict:
    return {
        "data_preprocessing": {"drop_rows_without_measurements": True, "test_size": 0.2,
                               "eval_size": 0.2, "random_state": 42},
        "feature_engineering": {"numeric_imputation": "median"},
        "model_training": {"logistic_regression": {"C": 1.0, "max_iter": 1000}},
        "batch_scoring": {"keep_input_columns": False, "probability_decimals": 4},
        "serving": {"runtime": "onnx"},
    }


class Kept(MemoryDataset):
    """Keeps what a node saved: the runner releases a MemoryDataset once its readers ran."""

    def _release(self) -> None:
        pass


def test_all_stages_run_on_an_in_memory_catalog(raw):
    pipeline = sum(
        (stage_module(role, "pipeline").create_pipeline() for role in STAGES),
        Pipeline([]),
    )
    datasets = {
        "raw_penguins": MemoryDataset(raw),
        "new_penguins": MemoryDataset(raw.drop(columns="species").head(5)),
        "model_metadata": Kept(), "model_onnx": Kept(copy_mode="assign"),
    }
    for name, value in _parameters().items():
        datasets[f"params:{name}"] = MemoryDataset(value)
    catalog = DataCatalog(datasets=datasets)
    outputs = SequentialRunner().run(pipeline, catalog)
    assert {"penguin_predictions", "confusion_matrix_plot"} <= set(outputs)
    predictions = outputs["penguin_predictions"].load()
    assert list(predictions["predicted_species"]) == list(raw["species"].head(5))
    assert catalog["model_metadata"].load()["train_rows"] > 150
    assert catalog["model_onnx"].load().content  # stage 03 exported the graph

