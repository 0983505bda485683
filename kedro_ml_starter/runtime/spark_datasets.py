"""A catalog dataset for fitted Spark ML pipelines (`PipelineModel`), versioned like any other.

kedro-datasets reads and writes Spark DataFrames but has no dataset for Spark ML models,
which Spark saves as a folder (metadata plus parquet) with its own writer. This one
plugs that writer into Kedro's versioning: `models/model/<version>/model/`, so a new run
never overwrites the model being served, and `kedro run` loads the latest version.

    model:
      type: kedro_ml_starter.runtime.spark_datasets.SparkMLModelDataset
      filepath: models/model        # or s3a://..., abfss://..., /dbfs/... on a cluster
      versioned: true
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

import fsspec
from kedro.io.core import (
    AbstractVersionedDataset,
    DatasetError,
    Version,
    get_protocol_and_path,
)

# Spark's Hadoop connectors name S3 `s3a`; fsspec (s3fs) knows it as `s3`.
_FSSPEC_PROTOCOL = {"s3a": "s3", "s3n": "s3"}
# On Databricks, DBFS is mounted at /dbfs for Python (versions are listed there) and is
# `dbfs:/` for Spark.
_DBFS_MOUNT = "/dbfs/"


class SparkMLModelDataset(AbstractVersionedDataset[Any, Any]):
    """Saves a fitted `pyspark.ml` model (`PipelineModel` or any MLWritable) as a folder."""

    def __init__(
        self,
        *,
        filepath: str,
        version: Version | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        protocol, path = get_protocol_and_path(filepath, version)
        self._scheme = "" if protocol == "file" else f"{protocol}://"
        self._fs = fsspec.filesystem(_FSSPEC_PROTOCOL.get(protocol, protocol))
        self.metadata = metadata
        super().__init__(
            filepath=PurePosixPath(path),
            version=version,
            exists_function=self._fs.exists,
            glob_function=self._fs.glob,
        )

    def load(self) -> Any:
        from pyspark.ml import PipelineModel

        return PipelineModel.load(self._spark_path(self._get_load_path()))

    def save(self, data: Any) -> None:
        if not hasattr(data, "write"):
            raise DatasetError(
                f"{type(data).__name__} is not a Spark ML model; "
                "SparkMLModelDataset saves fitted pyspark.ml models"
            )
        data.write().overwrite().save(self._spark_path(self._get_save_path()))

    def _exists(self) -> bool:
        try:
            path = self._get_load_path()
        except DatasetError:
            return False
        return bool(self._fs.exists(str(path)))

    def _describe(self) -> dict[str, Any]:
        return {"filepath": f"{self._scheme}{self._filepath}", "version": self._version}

    def _spark_path(self, path: PurePosixPath) -> str:
        text = str(path)
        if not self._scheme and text.startswith(_DBFS_MOUNT):
            return f"dbfs:/{text[len(_DBFS_MOUNT) :]}"
        return f"{self._scheme}{text}"
