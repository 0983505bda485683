"""The `serving:` settings of conf/base/parameters_api.yml: one pydantic model, checked once.

Every range lives here, once; `kedro serve --port/--host/--workers` go through the same
model, and a wrong value is one line naming the key, before the server starts.
"""

from __future__ import annotations

import os
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kedro_ml_starter.errors import UserError

SOURCE = "conf/base/parameters_api.yml"
# How `kedro serve --model-version` tells the app (in each server process) its pin.
MODEL_VERSION_VARIABLE = "KEDRO_SERVE_MODEL_VERSION"
Runtime = Literal["onnx", "sklearn", "spark"]
RUNTIMES = get_args(Runtime)


class ServingSettingsError(UserError):
    """Raised when a `serving:` setting (or its command-line override) is wrong."""


class ServingSettings(BaseModel):
    """How `kedro serve` serves: address, processes, request limits, runtime, access."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    host: str = Field("127.0.0.1", min_length=1, description="address to listen on")
    port: int = Field(8000, ge=1, le=65535, description="TCP port")
    workers: int = Field(1, ge=1, le=64, description="server processes, each with its model")
    max_batch_size: int = Field(256, ge=1, le=100_000,
                                description="most rows in one /predict/batch request")
    probability_decimals: int = Field(6, ge=0, le=15, description="rounding of probabilities")
    access_log: bool = Field(True, description="uvicorn's one line per request")
    docs: bool = Field(True, description="the API's docs pages, /docs and /redoc (every file "
                                         "they load served by the app); false: none")
    runtime: Runtime = Field(
        "onnx", description="onnx: the exported graph (no pickle); sklearn/spark: the fitted "
                            "transformers and model through utils/scoring.py")
    api_key_env: str | None = Field(
        None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="name of the environment variable holding the API key; null: no key")
    model_version: str | None = Field(
        None, min_length=1,
        description="pin: serve this promoted model version (a rollback); null: the newest "
                    "promoted one")

    def api_key(self) -> str | None:
        """The key from the environment variable `api_key_env` names (None: no key asked)."""
        if self.api_key_env is None:
            return None
        key = os.environ.get(self.api_key_env, "")
        if not key:
            raise ServingSettingsError(
                f"`serving.api_key_env` names {self.api_key_env}, which is not set: export "
                "the key in that environment variable, or set `serving.api_key_env: null`")
        return key

    @classmethod
    def from_params(cls, params: dict[str, Any], **overrides: Any) -> ServingSettings:
        """The settings under `serving:` (missing keys take the defaults), with the
        command line's `overrides` (None: not given) on top."""
        section = params.get("serving") or {}
        if not isinstance(section, dict):
            raise ServingSettingsError(f"`serving` in {SOURCE} must be a mapping of settings")
        given = {key: value for key, value in overrides.items() if value is not None}
        try:
            return cls.model_validate({**section, **given})
        except ValidationError as error:
            raise ServingSettingsError(_one_line(error.errors()[0], set(given))) from None


def _one_line(problem: Any, from_command_line: set[str]) -> str:
    key = str(problem["loc"][0]) if problem["loc"] else "serving"
    where = (f"--{key.replace('_', '-')}" if key in from_command_line
             else f"`serving.{key}` in {SOURCE}")
    if problem["type"] == "extra_forbidden":
        known = ", ".join(ServingSettings.model_fields)
        return f"unknown setting `serving.{key}` in {SOURCE}; known: {known}"
    field = ServingSettings.model_fields[key]
    got = problem.get("input")
    limits = {type(m).__name__: m for m in field.metadata}
    if field.annotation is int:
        low, high = limits["Ge"].ge, limits["Le"].le
        return f"{where} must be a whole number from {low} to {high}, got {got!r}"
    if field.annotation is bool:
        return f"{where} must be true or false, got {got!r}"
    if key == "runtime":
        return f"{where} must be one of {', '.join(RUNTIMES)}, got {got!r}"
    if key == "api_key_env":
        return (f"{where} must name an environment variable (letters, digits, _), "
                f"got {got!r}")
    return f"{where} must be non-empty text, got {got!r}"
