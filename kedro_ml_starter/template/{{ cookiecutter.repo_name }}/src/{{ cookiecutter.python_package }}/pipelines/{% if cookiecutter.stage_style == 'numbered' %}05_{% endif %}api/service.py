"""The scoring service behind the routes: loaded once at start-up, shared by every request.

Requests go through the micro-batcher to the shared `predict_frame`, the function the
batch pipeline uses, with the same transformers and model: no train/serve skew.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from fastapi import HTTPException

from {{ cookiecutter.python_package }}.utils.scoring import predict_frame

from .artifacts import Artifacts, ModelNotTrained, load_artifacts
from .batcher import BatcherStopped, MicroBatcher
from .config import ServingConfig
from .frames import frame_to_records, rows_to_frame

logger = logging.getLogger(__name__)


class ScoringService:
    """Holds the artifacts and the batcher, or the reason there is nothing to serve."""

    def __init__(self, catalog: Any, config: ServingConfig) -> None:
        self._catalog = catalog
        self._config = config
        self._batcher: MicroBatcher | None = None
        self.artifacts: Artifacts | None = None
        self.unavailable = "the server is starting"

    async def start(self) -> None:
        try:
            self.artifacts = await asyncio.to_thread(load_artifacts, self._catalog)
        except ModelNotTrained as error:
            self.unavailable = str(error)
            logger.warning("Serving nothing: %s", error)
            return
        # One throw-away row (every feature unknown) pays the first call's one-off costs
        # (lazy imports; with Spark, planning and JIT) before any request waits on them.
        await asyncio.to_thread(self._score, [{}])
        self._batcher = MicroBatcher(self._score, max_rows=self._config.max_batch_size)
        await self._batcher.start()
        logger.info("Serving model version %s", self.artifacts.model_version)

    async def stop(self) -> None:
        if self._batcher is not None:
            await self._batcher.stop()
            self._batcher = None
        self.unavailable = "the server is shutting down"

    def ready(self) -> Artifacts:
        """The artifacts being served, or a 503 that says why there are none."""
        if self.artifacts is None or self._batcher is None:
            raise HTTPException(status_code=503, detail=self.unavailable)
        return self.artifacts

    async def predict(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.ready()
        batcher = self._batcher
        assert batcher is not None  # ready() answered 503 otherwise
        try:
            return await batcher.submit(rows)
        except BatcherStopped as error:
            raise HTTPException(status_code=503, detail=str(error)) from None

    def loaded(self) -> Artifacts:
        """The artifacts, for code that runs only once they are loaded (scoring, routes past
        `predict`): unlike `ready()`, it does not care whether the batcher is still running."""
        assert self.artifacts is not None, "the artifacts are not loaded yet"
        return self.artifacts

    def _score(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        artifacts = self.loaded()
        predictions = predict_frame(rows_to_frame(rows), artifacts.transformers, artifacts.model)
        return frame_to_records(predictions, self._config.probability_decimals)
