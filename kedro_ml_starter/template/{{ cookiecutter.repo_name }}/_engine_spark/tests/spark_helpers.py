"""Shared by the Spark tests: reading a raw file the way the catalog does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kedro_datasets.spark import SparkDatasetV2


def read_spark_csv(path: Path) -> Any:
    """Reads a raw file as the catalog's `raw_penguins` entry does (same dataset type and
    arguments): a header, every column text. It uses the active session (conftest `spark`)."""
    return SparkDatasetV2(
        filepath=str(path), file_format="csv", load_args={"header": True}
    ).load()
