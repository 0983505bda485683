"""The stages wired together on Spark: a full run on an in-memory catalog holding Spark
DataFrames."""

from __future__ import annotations

from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner

from tests.helpers import STAGES, stage_module

# What each stage reads from conf/base/parameters_*.yml (training kept short for tests).
PARAMETERS = {
    "data_preprocessing": {"drop_rows_without_measurements": True, "test_size": 0.2,
                           "eval_size": 0.2, "random_state": 42},
    "feature_engineering": {"numeric_imputation": "median"},
    "model_training": {"logistic_regression": {"regParam": 0.0001, "maxIter": 100}},
    "batch_scoring": {"keep_input_columns": False, "probability_decimals": 4},
}
# Fitted Spark ML pipelines hold handles on JVM objects, which MemoryDataset's default
# deep copy cannot copy: the catalog passes them on as they are.
SPARK_ML_OUTPUTS = ("feature_transformers", "model")


def test_all_stages_run_on_an_in_memory_catalog(raw):
    pipeline = sum(
        (stage_module(role, "pipeline").create_pipeline() for role in STAGES),
        Pipeline([]),
    )
    datasets = {
        "raw_penguins": MemoryDataset(raw),
        "new_penguins": MemoryDataset(raw.drop("species").limit(5)),
        **{name: MemoryDataset(copy_mode="assign") for name in SPARK_ML_OUTPUTS},
    }
    for name, value in PARAMETERS.items():
        datasets[f"params:{name}"] = MemoryDataset(value)
    catalog = DataCatalog(datasets=datasets)
    outputs = SequentialRunner().run(pipeline, catalog)
    assert {"penguin_predictions", "confusion_matrix_plot", "model_metadata"} <= set(outputs)
    predictions = outputs["penguin_predictions"].load().collect()
    expected = [row["species"] for row in raw.limit(5).collect()]
    assert [row["predicted_species"] for row in predictions] == expected
    assert outputs["model_metadata"].load()["train_rows"] > 150

