"""kedro-viz draws a generated project's data folders as layers, in their numbered order.

`kedro viz build` writes what the kedro-viz app shows as JSON: `build/api/main` for the
default pipeline and `build/api/pipelines/<name>` for each. Every pipeline's layers hold
every layer of the project (a pipeline's own come from its nodes), and kedro-viz puts a
layer with no node in the pipeline anywhere; the app draws only those with nodes, so
those are compared. `kedro viz build` exits 0 even when it fails: the files decide.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import kedro

pytestmark = pytest.mark.e2e

# Top to bottom: the numbered folders, models/ between the splits it is trained on and
# the reports and predictions made with it.
ORDER = ["01_raw", "02_train", "03_eval", "04_test", "models", "05_reporting", "06_scoring"]


def drawn_layers(view: dict) -> list[str]:
    """The layers of a kedro-viz pipeline view that hold a node, in kedro-viz's order."""
    used = {node.get("layer") for node in view["nodes"]}
    return [layer for layer in view["layers"] if layer in used]


@pytest.mark.parametrize("fixture", ["generated_project", "plain_project", "regression_project",
                                     "spark_project"])
def test_kedro_viz_draws_the_numbered_folders_top_to_bottom(
    fixture: str, request: pytest.FixtureRequest, project_copy
):
    project = project_copy(request.getfixturevalue(fixture))

    built = kedro(["viz", "build"], project)

    api = project / "build" / "api"
    assert (api / "main").is_file(), built.stdout[-2000:] + built.stderr[-3000:]
    default = json.loads((api / "main").read_text())
    assert drawn_layers(default) == ORDER[:-1]  # `kedro run` does not score new rows
    datasets = {n["name"]: n.get("layer") for n in default["nodes"] if n["type"] == "data"}
    assert datasets["raw_data"] == "01_raw" and datasets["test_features"] == "04_test"
    assert datasets["feature_transformers"] is None  # see the catalog: a cycle otherwise
    views = {path.name: json.loads(path.read_text()) for path in (api / "pipelines").iterdir()}
    serving = next(name for name in views if name.endswith("api"))
    assert drawn_layers(views[serving]) == ["models", "06_scoring"]
    for name, view in views.items():
        drawn = drawn_layers(view)
        assert drawn == [layer for layer in ORDER if layer in drawn], name
