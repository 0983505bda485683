"""Stage 05 online: the HTTP prediction API (FastAPI), started with `kedro serve`.

The app opens the project through Kedro (conf/, catalog, parameters), loads the latest
fitted transformers and model once at start-up, and scores every request with the batch
pipeline's own `predict_frame`. Without a trained model it still starts and answers 503
with the stages to run, so a deployment can probe it.

uvicorn builds it with `create_app` as a factory; the import string works although the
stage folder may start with a digit, because uvicorn imports it with importlib.
"""

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Optional

from fastapi import FastAPI
from kedro.utils import find_kedro_project

from {{ cookiecutter.python_package }}.utils.scoring import classes_of

from .artifacts import open_project
from .config import ServingConfig
from .errors import install_error_handlers
from .limits import BYTES_PER_ROW, BodySizeLimit
from .request_models import (
    BatchResponse,
    ModelInfo,
    PredictionResponse,
    Status,
    build_batch_model,
    build_row_model,
)
from .service import ScoringService

Responses = dict[int | str, dict[str, Any]]  # the documented error answers of a route


def create_app(project_path: Optional[Path] = None, env: Optional[str] = None) -> FastAPI:
    """The app for the project at `project_path` (default: the project around the cwd)."""
    root = _project_root(project_path)
    catalog, params = open_project(root, env)
    config = ServingConfig.from_params(params)
    service = ScoringService(catalog, config)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await service.start()
        yield
        await service.stop()

    app = FastAPI(
        title="{{ cookiecutter.project_name }} prediction API",
        summary="Predicts the species of a penguin from its measurements.",
        lifespan=lifespan,
    )
    app.state.service = service
    app.add_middleware(BodySizeLimit, max_bytes=config.max_batch_size * BYTES_PER_ROW)
    install_error_handlers(app)
    _add_routes(app, service, config)
    return app


def _add_routes(app: FastAPI, service: ScoringService, config: ServingConfig) -> None:
    # Models built at run time from utils/schema.py: mypy cannot see their fields, so `Any`
    # (FastAPI still reads the real classes from the route signatures).
    Row: Any = build_row_model()
    Batch: Any = build_batch_model(Row, config.max_batch_size)
    unavailable: Responses = {
        503: {"description": "No trained model: the message says what to run"}
    }
    refused: Responses = {400: {"description": "Malformed JSON"},
                          422: {"description": "Invalid request: the message names the field"}}

    @app.get("/health", response_model=Status, response_model_exclude_none=True,
             tags=["status"])
    async def health():
        """Liveness: the process answers (a model may not be loaded yet, see /ready)."""
        return {"status": "ok"}

    @app.get("/ready", response_model=Status, responses=unavailable, tags=["status"])
    async def ready():
        """Readiness: 200 once a model is loaded and predictions are accepted."""
        return {"status": "ready", "model_version": service.ready().model_version}

    @app.get("/model", response_model=ModelInfo, responses=unavailable, tags=["model"])
    async def model_info():
        """The model being served: versions, training date, evaluation metrics (stage 04)."""
        artifacts = service.ready()
        return {
            "model_version": artifacts.model_version,
            "transformers_version": artifacts.transformers_version,
            "trained_at": artifacts.metadata.get("trained_at"),
            "model_class": artifacts.metadata.get("model_class"),
            "classes": classes_of(artifacts.model),
            "metrics": artifacts.metrics,
        }

    @app.post("/predict", response_model=PredictionResponse,
              responses={**unavailable, **refused}, tags=["predict"])
    async def predict(row: Row):
        """Scores one row."""
        [prediction] = await service.predict([row.model_dump()])
        return {**prediction, "model_version": service.loaded().model_version}

    @app.post("/predict/batch", response_model=BatchResponse,
              responses={**unavailable, **refused}, tags=["predict"])
    async def predict_batch(batch: Batch):
        """Scores up to `serving.max_batch_size` rows, in order."""
        predictions = await service.predict([row.model_dump() for row in batch.rows])
        return {"predictions": predictions, "model_version": service.loaded().model_version}


def _project_root(project_path: Optional[Path]) -> Path:
    if project_path is not None:
        return Path(project_path).resolve()
    found = find_kedro_project(Path.cwd())
    if found is None:
        raise RuntimeError(
            f"no Kedro project at or above {Path.cwd()}: start the server with `kedro serve` "
            "from the project folder"
        )
    return found
