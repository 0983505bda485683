"""The minimal serving app the benchmark compares against (not part of the product).

What a first FastAPI wrapper around a model usually looks like: one pydantic row, a
one-row DataFrame, transform and `model.predict` per request, in FastAPI's thread pool.
It serves the same fitted transformers and model as the project's app (the latest
versions under models/).

    python benchmarks/baseline_app.py PROJECT_DIR PORT
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel


class Penguin(BaseModel):
    island: str
    bill_length_mm: float | None
    bill_depth_mm: float | None
    flipper_length_mm: float | None
    body_mass_g: float | None
    sex: str | None
    year: int | None = None


def latest(models: Path, name: str) -> Any:
    """The newest version of a Kedro versioned pickle: models/<name>/<timestamp>/<name>."""
    newest = max((models / name).iterdir())
    with (newest / name).open("rb") as file:
        return pickle.load(file)


def create_app(project: Path) -> FastAPI:
    transformers = latest(project / "models", "feature_transformers.pkl")
    model = latest(project / "models", "model.pkl")
    feature_names = list(transformers.get_feature_names_out())
    app = FastAPI()

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok"}

    @app.post("/predict")
    def predict(row: Penguin) -> dict:
        features = transformers.transform(pd.DataFrame([row.model_dump()]))
        label = model.predict(pd.DataFrame(features, columns=feature_names))[0]
        return {"prediction": str(label)}

    return app


if __name__ == "__main__":
    uvicorn.run(create_app(Path(sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]))
