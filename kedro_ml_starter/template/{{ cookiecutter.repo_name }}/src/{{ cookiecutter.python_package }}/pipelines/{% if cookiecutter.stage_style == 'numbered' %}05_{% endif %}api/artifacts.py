"""What the app serves: the latest fitted transformers and model, read through the catalog.

The app opens the project as `kedro run` does (same conf/, same environment), so the
files it loads are the ones the catalog names, at their latest saved version.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project
from kedro.io.core import VersionNotFoundError

TRANSFORMERS, MODEL, MODEL_METADATA, METRICS = (
    "feature_transformers", "model", "model_metadata", "metrics"
)
RUN_FIRST = (
    "run `kedro run` ({% if cookiecutter.stage_style == 'numbered' %}stages 01-04{% else %}"
    "stages data_preprocessing to model_evaluation{% endif %}) first, then restart the server"
)


class ModelNotTrained(RuntimeError):
    """Raised when models/ holds no fitted transformers or model yet."""


@dataclass(frozen=True)
class Artifacts:
    transformers: Any
    model: Any
    transformers_version: str
    model_version: str
    metadata: dict[str, Any]
    metrics: dict[str, Any] | None


def open_project(project_path: Path, env: str | None = None) -> tuple[Any, dict[str, Any]]:
    """The project's catalog and parameters, for `env` (default: KEDRO_ENV, then local)."""
    bootstrap_project(project_path)
    session = KedroSession.create(project_path=project_path, env=env, save_on_close=False)
    with session:  # `with ... as` would type it as AbstractSession, which has no load_context
        context = session.load_context()
        return context.catalog, context.params


def load_artifacts(catalog: Any) -> Artifacts:
    """The latest versions, or ModelNotTrained saying which stages to run."""
    transformers, transformers_version = _load_latest(catalog, TRANSFORMERS)
    model, model_version = _load_latest(catalog, MODEL)
    return Artifacts(
        transformers=transformers,
        model=model,
        transformers_version=transformers_version,
        model_version=model_version,
        metadata=_load_if_present(catalog, MODEL_METADATA) or {},
        metrics=_load_if_present(catalog, METRICS),
    )


def _load_latest(catalog: Any, name: str) -> tuple[Any, str]:
    dataset = catalog[name]
    resolve = getattr(dataset, "resolve_load_version", lambda: None)  # None: not versioned
    try:
        version = resolve()
        if not dataset.exists():
            raise VersionNotFoundError(name)
    except VersionNotFoundError:
        raise ModelNotTrained(
            f"no trained model in models/ (no saved `{name}` yet): {RUN_FIRST}"
        ) from None
    return dataset.load(), version or "unversioned"


def _load_if_present(catalog: Any, name: str) -> Any:
    return catalog.load(name) if name in catalog and catalog.exists(name) else None
