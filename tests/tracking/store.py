"""Reading a project's MLflow store in-process, as a user comparing runs would."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def store_uri(project: Path) -> str:
    return f"sqlite:///{(project / 'mlflow.db').as_posix()}"


def search_runs(project: Path, experiment: str, **kwargs: Any) -> Any:
    """`mlflow.search_runs` on the project's store, oldest run first (a data frame)."""
    import mlflow

    mlflow.set_tracking_uri(store_uri(project))
    return mlflow.search_runs(experiment_names=[experiment],
                              order_by=["attributes.start_time ASC"], **kwargs)


def logged_models(project: Path, run: Any) -> dict[str, Any]:
    """The models a run logged, by name (`model`: scikit-learn, `onnx_model`)."""
    import mlflow

    mlflow.set_tracking_uri(store_uri(project))
    found = mlflow.search_logged_models(
        experiment_ids=[run.experiment_id],
        filter_string=f"source_run_id = '{run.run_id}'", output_format="list")
    return {model.name: model for model in found}
