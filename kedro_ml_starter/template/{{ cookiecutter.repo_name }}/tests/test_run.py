"""The stages wired together: a full run on an in-memory catalog."""

from __future__ import annotations

from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner

from tests.helpers import STAGES, contract, load, parameters, stage_module


class Kept(MemoryDataset):
    """Keeps what a node saved: the runner releases a MemoryDataset once its readers ran."""

    def _release(self) -> None:
        pass


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
        serving=parameters("serving"),
    )
    new_rows = load("new_rows").head(5)
    datasets = {
        "raw_data": MemoryDataset(raw),
        "new_rows": MemoryDataset(engine.frame(new_rows)),
        # Fitted models are passed on as they are (Spark's hold JVM handles: no copies).
        "feature_transformers": MemoryDataset(copy_mode="assign"),
        "model": MemoryDataset(copy_mode="assign"),
        "model_metadata": Kept(),
        "model_onnx": Kept(copy_mode="assign"),
        "metrics": Kept(),
    }
    for name, value in params.items():
        datasets[f"params:{name}"] = MemoryDataset(value)
    catalog = DataCatalog(datasets=datasets)
    outputs = SequentialRunner().run(pipeline, catalog)
    assert {"predictions", "evaluation_plot"} <= set(outputs)
    predictions = engine.table(outputs["predictions"].load())
    assert list(predictions.columns) == list(contract().output_columns)
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
