"""The prediction API: FastAPI routes over a scorer loaded once, at start-up.

`create_app` is what a project's `05_api/app.py` calls, with its words (title, summary);
the request row (`rows.row_model`), the task and the classes come from the project's data
contract (`params:data_contract`). A classifier answers a class and its probabilities, a
regressor a number. The version served is chosen once, at start-up (see `artifacts`): the
newest promoted, or a pinned one. Without one the app still starts and answers 503 saying
what to run, so a deployment can probe it. `/health` and `/ready` stay open for load
balancers; with an API key set, every other route needs it.
"""

import asyncio
import gc
import json
import logging
import os
from collections.abc import Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Response
from pydantic import BaseModel, ConfigDict, Field, create_model
from starlette.concurrency import run_in_threadpool

from kedro_ml_starter.runtime.serving import rows
from kedro_ml_starter.runtime.serving.artifacts import (
    PINNED_BY_PARAMETER,
    ModelNotServable,
    Served,
    load_served,
)
from kedro_ml_starter.runtime.serving.docs import add_docs
from kedro_ml_starter.runtime.serving.http import (
    BYTES_PER_ROW,
    BodySizeLimit,
    api_key_check,
    install_error_handlers,
)
from kedro_ml_starter.runtime.serving.project import (
    open_project,
    project_root,
    stages_before_serving,
)
from kedro_ml_starter.runtime.serving.settings import MODEL_VERSION_VARIABLE, ServingSettings

logger = logging.getLogger(__name__)
Responses = dict[int | str, dict[str, Any]]  # the documented error answers of a route


class Status(BaseModel):
    status: str
    model_version: str | None = None
    verdict: str | None = Field(None, description="Stage 04's verdict on the served version")
    pinned: bool | None = Field(None, description="Pinned by --model-version or "
                                                  "serving.model_version")


class VerdictInfo(BaseModel):
    """Stage 04's verdict on the served version: why it may be served."""

    model_version: str
    promoted: bool
    reason: str
    judged_at: str
    checks: list[dict[str, Any]]
    settings: dict[str, Any]
    metrics: dict[str, float]
    contract: dict[str, Any] = Field(
        default_factory=dict,
        description="what the version was trained to predict from what: target, task, "
                    "classes, features")


class ModelInfo(BaseModel):
    """What is being served: versions of the persisted artifacts and how the model scored."""

    model_version: str
    transformers_version: str | None
    runtime: str
    task: str
    target: str
    trained_at: str | None
    model_class: str | None
    classes: list[str]
    metrics: dict[str, Any] | None = Field(
        description="stage 04's metrics.json, when it describes the served version")
    verdict: VerdictInfo | None = Field(
        description="null for a project that keeps no verdicts (no promotion gate)")
    pinned: bool


class _State:
    """The loaded model, or the reason there is none (starting, untrained, stopping)."""

    def __init__(self) -> None:
        self.served: Served | None = None
        self.unavailable = "the server is starting"

    def ready(self) -> Served:
        if self.served is None:
            raise HTTPException(status_code=503, detail=self.unavailable)
        return self.served


def create_app(*, title: str, summary: str = "",
               description: str = "One row of raw values to score.",
               predict_frame: str = "", project_path: Path | None = None,
               env: str | None = None) -> FastAPI:
    """The app serving the project at `project_path` (default: the one around the cwd).

    The request row has a field per column of the data contract but the target (see
    `rows.row_model`; `description` and the contract's `example` are what the OpenAPI page
    shows). `predict_frame` names the project's own scoring function, "module:function"
    (see `scorers.FrameRecords`): imported only for a runtime other than onnx, so the ONNX
    server never imports scikit-learn or Spark.
    """
    # the data contract loads when an app is built, not when this module is imported
    from kedro_ml_starter.runtime.contract import PARAMETERS_KEY, DataContract

    root = project_root(project_path)
    catalog, params = open_project(root, env, hooks=False)
    contract = DataContract.from_parameters(params.get(PARAMETERS_KEY))
    row_model = rows.row_model(contract.request_columns, example=contract.example,
                               description=description)
    pin = os.environ.get(MODEL_VERSION_VARIABLE) or None  # `kedro serve --model-version`
    settings = ServingSettings.from_params(params, model_version=pin)
    pinned_by = "--model-version" if pin else PINNED_BY_PARAMETER
    if settings.runtime != "onnx":
        # Scoring with the library itself opens the project as `kedro run` does: its hooks
        # start what the library needs (a Spark project's session).
        catalog, _ = open_project(root, env)
    key = settings.api_key()
    run_first = f"run `kedro run` ({stages_before_serving(root)}) first, then restart the server"
    state = _State()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            served = await asyncio.to_thread(
                load_served, catalog, settings, predict_frame, contract, run_first,
                pinned_by)
            _check_task(served, contract, run_first)
            state.served = served
            logger.info("Serving model version %s (%s; runtime: %s)",
                        state.served.model_version, _why(state.served, pinned_by),
                        settings.runtime)
            # What start-up loaded (Kedro, the model) lives as long as the process: the
            # garbage collector need not walk it again on every collection a request causes.
            gc.freeze()
        except ModelNotServable as error:
            state.unavailable = str(error)
            logger.warning("Serving nothing: %s", error)
        yield
        state.served, state.unavailable = None, "the server is shutting down"

    # FastAPI's own docs pages load their files from a CDN: `add_docs` serves them whole.
    app = FastAPI(title=title, summary=summary, lifespan=lifespan, docs_url=None,
                  redoc_url=None)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_batch_size * BYTES_PER_ROW)
    install_error_handlers(app)
    guarded = [Depends(api_key_check(key))] if key else []
    _add_routes(app, state, row_model, settings.max_batch_size, contract, guarded, settings)
    if settings.docs:
        add_docs(app)
    return app


def _check_task(served: Served, contract: Any, run_first: str) -> None:
    """The served model must predict what the contract says: a contract changed since
    training (another target, task or classes) needs a new model."""
    trained = set(served.scorer.classes)
    if bool(trained) != contract.classification or not trained <= set(contract.classes):
        trained_for = ", ".join(served.scorer.classes) or "a number"
        wanted = ", ".join(contract.classes) if contract.classes else "a number"
        raise ModelNotServable(
            f"model version {served.model_version} predicts {trained_for}, but the data contract "
            f"asks for {wanted} ({contract.target}, {contract.task}): {run_first}")


def _add_routes(app: FastAPI, state: _State, row_model: type[BaseModel], max_rows: int,
                contract: Any, guarded: list[Any], settings: ServingSettings) -> None:
    # Models built at run time: mypy cannot see their fields, so `Any` (FastAPI reads the
    # real classes from the route signatures, which is why this module has no
    # `from __future__ import annotations`: it would turn them into unresolvable strings).
    Row: Any = row_model
    Batch: Any = create_model(
        "Batch", __config__=ConfigDict(extra="forbid"),
        __doc__=f"Between 1 and {max_rows} rows to score in one request.",
        rows=(list[Row], Field(..., min_length=1, max_length=max_rows)),
    )
    classes = contract.classes
    if classes:
        # the classes are known at run time: a Literal mypy cannot read, typed as Any
        one_of: Any = Literal[tuple(classes)]
        Prediction: Any = create_model(
            "Prediction", prediction=(one_of, ...),
            probabilities=(dict[str, float], ...),
            __doc__=f"The predicted {contract.target} of one row and the model's probability "
                    "for each class.")
    else:
        Prediction = create_model(
            "Prediction", prediction=(float, ...),
            __doc__=f"The predicted {contract.target} of one row.")
    PredictionResponse: Any = create_model("PredictionResponse", __base__=Prediction,
                                           model_version=(str, ...))
    BatchResponse: Any = create_model("BatchResponse", predictions=(list[Prediction], ...),
                                      model_version=(str, ...))
    unavailable: Responses = {503: {"description": "No model: the message says what to run"}}
    refused: Responses = {400: {"description": "Malformed JSON"},
                          413: {"description": "Body over the size limit"},
                          422: {"description": "Invalid request: the message names the field"}}
    if guarded:
        refused[401] = {"description": "Missing or wrong API key"}

    @app.get("/health", response_model=Status, response_model_exclude_none=True,
             tags=["status"])
    async def health():
        """Liveness: the process answers (a model may not be loaded yet, see /ready)."""
        return {"status": "ok"}

    @app.get("/ready", response_model=Status, responses=unavailable, tags=["status"])
    async def ready():
        """Readiness: 200 once a model is loaded and predictions are accepted."""
        served = state.ready()
        return {"status": "ready", "model_version": served.model_version,
                "verdict": _summary(served), "pinned": served.pinned}

    @app.get("/model", response_model=ModelInfo, responses=unavailable, tags=["model"],
             dependencies=guarded)
    async def model_info():
        """The model being served: versions, training date, stage 04's verdict and metrics."""
        served = state.ready()
        return {"model_version": served.model_version,
                "transformers_version": served.transformers_version,
                "runtime": settings.runtime,
                "task": contract.task, "target": contract.target,
                "trained_at": served.metadata.get("trained_at"),
                "model_class": served.metadata.get("model_class"),
                "classes": served.scorer.classes, "metrics": served.metrics,
                "verdict": served.verdict.to_json() if served.verdict else None,
                "pinned": served.pinned}

    @app.post("/predict", response_model=PredictionResponse,
              responses={**unavailable, **refused}, tags=["predict"], dependencies=guarded)
    async def predict(row: Row):
        """Scores one row."""
        served = state.ready()
        [answer] = await _score(served, [row])
        return _json({**answer, "model_version": served.model_version})

    @app.post("/predict/batch", response_model=BatchResponse,
              responses={**unavailable, **refused}, tags=["predict"], dependencies=guarded)
    async def predict_batch(batch: Batch):
        """Scores up to `serving.max_batch_size` rows, in order."""
        served = state.ready()
        answers = await _score(served, batch.rows)
        return _json({"predictions": answers, "model_version": served.model_version})


def _summary(served: Served) -> str | None:
    verdict = served.verdict
    if verdict is None:
        return None
    return f"{'promoted' if verdict.promoted else 'not promoted'}: {verdict.reason}"


def _why(served: Served, pinned_by: str) -> str:
    if served.verdict is None:
        return "the newest complete version: this project keeps no verdicts"
    return f"pinned by {pinned_by}" if served.pinned else "the newest promoted version"


async def _score(served: Served, rows: Sequence[Any]) -> list[dict[str, Any]]:
    if served.scorer.blocking:
        return await run_in_threadpool(served.scorer.predict, rows)
    return served.scorer.predict(rows)


def _json(payload: dict[str, Any]) -> Response:
    """The answer, serialized once: the scorer's records already have the response's shape,
    so FastAPI's second validation against the response model is skipped."""
    return Response(_ENCODER.encode(payload), media_type="application/json")


_ENCODER = json.JSONEncoder(separators=(",", ":"))  # built once: json.dumps builds one a call

