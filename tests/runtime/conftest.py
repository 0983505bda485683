"""One local Spark session for the runtime's Spark tests (started once: a JVM costs seconds)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Any:
    from kedro_ml_starter.runtime.spark import start_spark

    settings = {"spark.master": "local[1]", "spark.ui.enabled": False,
                "spark.sql.shuffle.partitions": 1, "spark.log.level": "ERROR"}
    session = start_spark(settings)
    yield session
    session.stop()
