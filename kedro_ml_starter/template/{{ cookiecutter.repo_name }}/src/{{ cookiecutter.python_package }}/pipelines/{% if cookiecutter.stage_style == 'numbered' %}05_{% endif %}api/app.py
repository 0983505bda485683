"""Stage 05 online: the prediction API that `kedro serve` starts (FastAPI, OpenAPI at /docs).

What is yours here: the words the OpenAPI page shows. The request follows the data
contract (conf/base/parameters_data_contract.yml): a field per column but the target,
its example row the contract's `example`. How a field is validated (present, null where
the column allows it, numbers within the contract's bounds, categories ignoring case)
and the serving itself (the newest complete model version, its ONNX graph, errors,
limits, API key) are kedro-ml-structure's runtime, upgraded with pip like any library.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from kedro_ml_starter.runtime import create_app as create_serving_app


def create_app(project_path: Path | None = None, env: str | None = None) -> FastAPI:
    """The app for the project at `project_path` (default: the project around the cwd)."""
    return create_serving_app(
        title="{{ cookiecutter.project_name }} prediction API",
        summary="Predicts the data contract's target from one row of raw values.",
        description="One row to score: every column of the data contract but the target.",
        # For `serving.runtime: {% if cookiecutter.engine == 'spark' %}spark{% else %}sklearn{% endif %}` only, imported then: the ONNX server needs none.
        predict_frame="{{ cookiecutter.python_package }}.utils.scoring:predict_frame",
        project_path=project_path,
        env=env,
    )
