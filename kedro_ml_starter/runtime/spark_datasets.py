"""A catalog dataset for fitted Spark ML pipelines (`PipelineModel`), versioned like any other.

kedro-datasets reads and writes Spark DataFrames but has no dataset for Spark ML models,
which Spark saves as a folder (metadata plus parquet) with its own writer. This one
plugs that writer into Kedro's versioning: `models/model/<version>/model/`, so a new run
never overwrites the model being served, and `kedro run` loads the latest version.

Once Spark has written the folder, a completeness record lists its files and sizes
(`models/model/<version>/model.complete`, see `versions`): a run killed while saving
leaves a version without one, which loading skips with one log line, as the pickled and
ONNX model datasets do.

    model:
      type: kedro_ml_starter.runtime.spark_datasets.SparkMLModelDataset
      filepath: models/model        # or s3a://..., abfss://..., /dbfs/... on a cluster
      versioned: true
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from kedro.io.core import DatasetError

from kedro_ml_starter.runtime.datasets import CompleteVersionsDataset
from kedro_ml_starter.runtime.versions import folder_incomplete_reason, record_folder

# On Databricks, DBFS is mounted at /dbfs for Python (versions are listed there) and is
# `dbfs:/` for Spark.
_DBFS_MOUNT = "/dbfs/"


class SparkMLModelDataset(CompleteVersionsDataset):
    """Saves a fitted `pyspark.ml` model (`PipelineModel` or any MLWritable) as a folder."""

    def load(self) -> Any:
        # pyspark.ml loads when a model is loaded, not when the catalog imports this class
        from pyspark.ml import PipelineModel

        path = self._get_load_path()
        reason = self._incomplete_reason(str(path))
        if reason:
            raise DatasetError(f"{self._where(str(path))} is incomplete: {reason}")
        return PipelineModel.load(self._spark_path(path))

    def save(self, data: Any) -> None:
        if not hasattr(data, "write"):
            raise DatasetError(
                f"{type(data).__name__} is not a Spark ML model; "
                "SparkMLModelDataset saves fitted pyspark.ml models"
            )
        path = self._get_save_path()
        data.write().overwrite().save(self._spark_path(path))
        record_folder(self._fs, str(path))

    def _incomplete_reason(self, path: str) -> str | None:
        return folder_incomplete_reason(self._fs, path)

    def _describe(self) -> dict[str, Any]:
        return {"filepath": f"{self._scheme}{self._filepath}", "version": self._version}

    @property
    def _scheme(self) -> str:
        return "" if self._protocol == "file" else f"{self._protocol}://"

    def _spark_path(self, path: PurePosixPath) -> str:
        text = str(path)
        if not self._scheme and text.startswith(_DBFS_MOUNT):
            return f"dbfs:/{text[len(_DBFS_MOUNT) :]}"
        return f"{self._scheme}{text}"
