"""Registers every stage under its folder name; `kedro run` runs all but the serving stage."""

from __future__ import annotations

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline

SERVING_STAGE = "{% if cookiecutter.stage_style == 'numbered' %}05_{% endif %}api"


def register_pipelines() -> dict[str, Pipeline]:
    """`__default__` trains and evaluates; scoring new rows is run on purpose, by name."""
    pipelines = find_pipelines(raise_errors=True)
    pipelines["__default__"] = sum(
        (pipe for name, pipe in pipelines.items() if name != SERVING_STAGE),
        Pipeline([]),
    )
    return pipelines
