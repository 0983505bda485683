"""The stack's limit the serving benchmark compares against (not part of the product).

A FastAPI `async def` endpoint on uvicorn that validates the project's own request model
(the runtime's `row_model` of the request columns of its data contract,
conf/base/parameters_data_contract.yml) and returns a constant answer: no model, no
scoring. Whatever the project app costs beyond this is scoring and the runtime around it.

    python benchmarks/constant_app.py PROJECT_DIR PORT
"""

# No `from __future__ import annotations`: FastAPI must see the request model itself.
import sys
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from kedro_ml_starter.runtime import DataContract
from kedro_ml_starter.runtime.serving.rows import row_model

ANSWER = {"prediction": "Adelie",
          "probabilities": {"Adelie": 0.98, "Chinstrap": 0.015, "Gentoo": 0.005},
          "model_version": "constant"}


def create_app(project: Path) -> FastAPI:
    contract = DataContract.load(project)
    Row: Any = row_model(contract.request_columns, example=contract.example)
    app = FastAPI()

    @app.get("/health")
    async def health() -> dict:
        return {"status": "ok"}

    @app.post("/predict")
    async def predict(row: Row) -> dict:
        return ANSWER

    return app


if __name__ == "__main__":
    # uvicorn's defaults, access log included, as the project app runs by default.
    uvicorn.run(create_app(Path(sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]))
