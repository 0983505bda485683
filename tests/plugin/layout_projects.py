"""Kedro projects not made by our starter, for `kedro layout init` and friends.

`plain_project`: what `kedro new --tools none --example n` makes (no data, no pipelines).
`kedro_default_project`: that project grown the way Kedro's spaceflights starter grows
one — data folders 01_raw … 08_reporting, pipelines data_processing, data_science (which
splits in memory, then trains on the train rows) and reporting, the model pickled in
data/06_models. Built here because the real starter needs the network.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import SimpleNamespace

from click.testing import CliRunner

from tests.support import kedro

KEDRO_DATA_FOLDERS = (
    "01_raw", "02_intermediate", "03_primary", "04_feature", "05_model_input",
    "06_models", "07_model_output", "08_reporting",
)


def plain_project(parent: Path) -> Path:
    kedro(["new", "--name", "Plain Proj", "--tools", "none", "--example", "n"], parent,
          check=True)
    return parent / "plain-proj"


def kedro_default_project(parent: Path) -> Path:
    root = plain_project(parent)
    for folder in KEDRO_DATA_FOLDERS:
        (root / "data" / folder).mkdir(parents=True)
        (root / "data" / folder / ".gitkeep").write_text("")
    (root / "data/01_raw/shuttles.csv").write_text(
        "id,engines,passenger_capacity,price\n1,2,4,100.5\n2,4,8,230.0\n3,1,2,55.0\n"
    )
    package = root / "src/plain_proj/pipelines"
    for name, nodes, pipeline in _PIPELINES:
        (package / name).mkdir()
        (package / name / "__init__.py").write_text("from .pipeline import create_pipeline\n")
        (package / name / "nodes.py").write_text(textwrap.dedent(nodes).lstrip())
        (package / name / "pipeline.py").write_text(textwrap.dedent(pipeline).lstrip())
    (root / "conf/base/catalog.yml").write_text(textwrap.dedent(_CATALOG).lstrip())
    (root / "conf/base/parameters_data_science.yml").write_text(
        "# the price model\nmodel_options:\n  target: price\n  test_size: 0.34\n"
    )
    return root


def invoke(root: Path, *args: str):
    """Runs `kedro layout ARGS` in-process, as Kedro would with the project's metadata."""
    from kedro_plugin_layout.cli import layout

    return CliRunner().invoke(layout, list(args), obj=SimpleNamespace(project_path=root))


_CATALOG = """
    # Spaceflights-like catalog, Kedro's default data folders.
    shuttles:
      type: pandas.CSVDataset
      filepath: data/01_raw/shuttles.csv

    preprocessed_shuttles:
      type: pandas.CSVDataset
      filepath: data/02_intermediate/preprocessed_shuttles.csv

    model_input_table:
      type: pandas.CSVDataset
      filepath: data/05_model_input/model_input_table.csv

    regressor:
      type: pickle.PickleDataset
      filepath: data/06_models/regressor.pickle

    metrics:
      type: json.JSONDataset
      filepath: data/08_reporting/metrics.json
"""

_PIPELINES = (
    ("data_processing", """
        def preprocess_shuttles(shuttles):
            return shuttles.dropna()


        def create_model_input_table(shuttles):
            return shuttles[["engines", "passenger_capacity", "price"]]
        """, """
        from kedro.pipeline import Node, Pipeline

        from .nodes import create_model_input_table, preprocess_shuttles


        def create_pipeline(**kwargs) -> Pipeline:
            return Pipeline([
                Node(preprocess_shuttles, "shuttles", "preprocessed_shuttles"),
                Node(create_model_input_table, "preprocessed_shuttles", "model_input_table"),
            ])
        """),
    ("data_science", """
        def split_data(table, options):
            cut = max(1, int(len(table) * (1 - options["test_size"])))
            return table.iloc[:cut], table.iloc[cut:]


        def train_model(X_train, options):
            return {"mean": float(X_train[options["target"]].mean())}
        """, """
        from kedro.pipeline import Node, Pipeline

        from .nodes import split_data, train_model


        def create_pipeline(**kwargs) -> Pipeline:
            return Pipeline([
                Node(split_data, ["model_input_table", "params:model_options"],
                     ["X_train", "X_test"]),
                Node(train_model, ["X_train", "params:model_options"], "regressor"),
            ])
        """),
    ("reporting", """
        def report(regressor, table):
            return {"mean_price": regressor["mean"], "rows": len(table)}
        """, """
        from kedro.pipeline import Node, Pipeline

        from .nodes import report


        def create_pipeline(**kwargs) -> Pipeline:
            return Pipeline([Node(report, ["regressor", "model_input_table"], "metrics")])
        """),
)
