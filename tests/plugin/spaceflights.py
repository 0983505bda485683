"""A stand-in for Kedro's spaceflights-pandas project, written here from what Kedro's
tutorial describes (the starter itself needs the network to fetch).

Its shape is what matters to the check: Kedro's default data folders, the catalog of the
tutorial (companies and reviews as CSV, shuttles as Excel, intermediate parquet files, a
versioned regressor pickle, plotly and matplotlib reports), three pipelines —
data_processing, data_science (split in memory into X_train/X_test, train, evaluate) and
reporting — whose nodes import pandas, scikit-learn, plotly and matplotlib, and
`find_pipelines()` in the registry. `kedro layout init` adopts it as any user would.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import yaml

from tests.support import kedro

PACKAGE = "spaceflights"
DATA_FOLDERS = ("01_raw", "02_intermediate", "03_primary", "04_feature", "05_model_input",
                "06_models", "07_model_output", "08_reporting")
DEPENDENCIES = ("pandas", "sklearn", "plotly", "matplotlib", "openpyxl")


def spaceflights_project(parent: Path) -> Path:
    """`kedro new --tools none` grown into spaceflights-pandas; returns its root."""
    kedro(["new", "--name", "Spaceflights", "--tools", "none", "--example", "n"], parent,
          check=True)
    root = parent / "spaceflights"
    for folder in DATA_FOLDERS:
        _write(root, f"data/{folder}/.gitkeep", "")
    for name, text in RAW.items():
        _write(root, f"data/01_raw/{name}", text)
    _write(root, "conf/base/catalog.yml", yaml.safe_dump(CATALOG, sort_keys=False))
    _write(root, "conf/base/parameters_data_science.yml", PARAMETERS)
    _write(root, "requirements.txt", REQUIREMENTS)
    for stage, files in PIPELINES.items():
        for name, text in files.items():
            _write(root, f"src/{PACKAGE}/pipelines/{stage}/{name}", text)
    return root


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip())


RAW = {
    "companies.csv": """
        id,company_rating,company_location,total_fleet_count,iata_approved
        3888,100%,Isle of Man,1.0,f
        46728,,,1.0,f
        """,
    "reviews.csv": """
        shuttle_id,review_scores_rating,review_scores_comfort,number_of_reviews
        63561,97.0,10.0,133
        36260,90.0,8.0,3
        """,
}


def _dataset(kind: str, filepath: str, **more: object) -> dict[str, object]:
    return {"type": kind, "filepath": filepath, **more}


CATALOG = {
    "companies": _dataset("pandas.CSVDataset", "data/01_raw/companies.csv"),
    "reviews": _dataset("pandas.CSVDataset", "data/01_raw/reviews.csv"),
    "shuttles": _dataset("pandas.ExcelDataset", "data/01_raw/shuttles.xlsx",
                         load_args={"engine": "openpyxl"}),
    "preprocessed_companies": _dataset(
        "pandas.ParquetDataset", "data/02_intermediate/preprocessed_companies.parquet"),
    "preprocessed_shuttles": _dataset(
        "pandas.ParquetDataset", "data/02_intermediate/preprocessed_shuttles.parquet"),
    "model_input_table": _dataset("pandas.ParquetDataset",
                                  "data/03_primary/model_input_table.parquet"),
    "regressor": _dataset("pickle.PickleDataset", "data/06_models/regressor.pickle",
                          versioned=True),
    "shuttle_passenger_capacity_plot_exp": _dataset(
        "plotly.PlotlyDataset", "data/08_reporting/shuttle_passenger_capacity_plot_exp.json",
        versioned=True,
        plotly_args={"type": "bar", "fig": {"x": "shuttle_type", "y": "passenger_capacity"}}),
    "shuttle_passenger_capacity_plot_go": _dataset(
        "plotly.JSONDataset", "data/08_reporting/shuttle_passenger_capacity_plot_go.json",
        versioned=True),
    "dummy_confusion_matrix": _dataset(
        "matplotlib.MatplotlibDataset", "data/08_reporting/dummy_confusion_matrix.png",
        versioned=True),
}

PARAMETERS = """
    model_options:
      test_size: 0.2
      random_state: 3
      features:
        - engines
        - passenger_capacity
        - crew
        - d_check_complete
        - moon_clearance_complete
        - iata_approved
        - company_rating
        - review_scores_rating
    """

REQUIREMENTS = """
    ipython>=8.10
    jupyterlab>=3.0
    kedro~=1.7.0
    kedro-datasets[pandas,plotly,matplotlib]>=9
    kedro-viz>=12
    matplotlib
    openpyxl
    plotly
    scikit-learn
    seaborn
    """

PIPELINES = {
    "data_processing": {
        "__init__.py": '''
            """Cleans the raw companies and shuttles and joins them with the reviews."""

            from .pipeline import create_pipeline

            __all__ = ["create_pipeline"]
            ''',
        "nodes.py": '''
            import pandas as pd


            def _is_true(column: pd.Series) -> pd.Series:
                return column == "t"


            def _percentage(column: pd.Series) -> pd.Series:
                return column.str.rstrip("%").astype(float) / 100


            def _money(column: pd.Series) -> pd.Series:
                return column.str.lstrip("$").str.replace(",", "").astype(float)


            def preprocess_companies(companies: pd.DataFrame) -> pd.DataFrame:
                companies["iata_approved"] = _is_true(companies["iata_approved"])
                companies["company_rating"] = _percentage(companies["company_rating"])
                return companies


            def preprocess_shuttles(shuttles: pd.DataFrame) -> pd.DataFrame:
                for flag in ("d_check_complete", "moon_clearance_complete"):
                    shuttles[flag] = _is_true(shuttles[flag])
                shuttles["price"] = _money(shuttles["price"])
                return shuttles


            def create_model_input_table(shuttles: pd.DataFrame, companies: pd.DataFrame,
                                         reviews: pd.DataFrame) -> pd.DataFrame:
                rated = shuttles.merge(reviews, left_on="id", right_on="shuttle_id")
                table = rated.merge(companies, left_on="company_id", right_on="id")
                return table.dropna()
            ''',
        "pipeline.py": '''
            from kedro.pipeline import Node, Pipeline

            from .nodes import create_model_input_table, preprocess_companies, preprocess_shuttles


            def create_pipeline(**kwargs) -> Pipeline:
                return Pipeline([
                    Node(preprocess_companies, "companies", "preprocessed_companies",
                         name="preprocess_companies_node"),
                    Node(preprocess_shuttles, "shuttles", "preprocessed_shuttles",
                         name="preprocess_shuttles_node"),
                    Node(create_model_input_table,
                         ["preprocessed_shuttles", "preprocessed_companies", "reviews"],
                         "model_input_table", name="create_model_input_table_node"),
                ])
            ''',
    },
    "data_science": {
        "__init__.py": '''
            """Splits the model input table, trains a linear regression, scores it."""

            from .pipeline import create_pipeline

            __all__ = ["create_pipeline"]
            ''',
        "nodes.py": '''
            import logging

            import pandas as pd
            from sklearn.linear_model import LinearRegression
            from sklearn.metrics import r2_score
            from sklearn.model_selection import train_test_split


            def split_data(data: pd.DataFrame, parameters: dict) -> tuple:
                features = data[parameters["features"]]
                return train_test_split(features, data["price"],
                                        test_size=parameters["test_size"],
                                        random_state=parameters["random_state"])


            def train_model(X_train: pd.DataFrame, y_train: pd.Series) -> LinearRegression:
                return LinearRegression().fit(X_train, y_train)


            def evaluate_model(regressor: LinearRegression, X_test: pd.DataFrame,
                               y_test: pd.Series) -> None:
                score = r2_score(y_test, regressor.predict(X_test))
                logging.getLogger(__name__).info("R^2 on the test rows: %.3f", score)
            ''',
        "pipeline.py": '''
            from kedro.pipeline import Node, Pipeline

            from .nodes import evaluate_model, split_data, train_model


            def create_pipeline(**kwargs) -> Pipeline:
                return Pipeline([
                    Node(split_data, ["model_input_table", "params:model_options"],
                         ["X_train", "X_test", "y_train", "y_test"], name="split_data_node"),
                    Node(train_model, ["X_train", "y_train"], "regressor",
                         name="train_model_node"),
                    Node(evaluate_model, ["regressor", "X_test", "y_test"], None,
                         name="evaluate_model_node"),
                ])
            ''',
    },
    "reporting": {
        "__init__.py": '''
            """Charts of the shuttles for people to look at."""

            from .pipeline import create_pipeline

            __all__ = ["create_pipeline"]
            ''',
        "nodes.py": '''
            import matplotlib.pyplot as plt
            import pandas as pd
            import plotly.express as px
            import plotly.graph_objs as go


            def passenger_capacity_table(shuttles: pd.DataFrame) -> pd.DataFrame:
                return shuttles.groupby("shuttle_type").mean(numeric_only=True).reset_index()


            def passenger_capacity_figure(shuttles: pd.DataFrame) -> go.Figure:
                table = passenger_capacity_table(shuttles)
                return px.bar(table, x="shuttle_type", y="passenger_capacity")


            def confusion_matrix_figure(companies: pd.DataFrame) -> plt.Figure:
                figure, axes = plt.subplots()
                axes.imshow([[1, 0], [0, 1]])
                return figure
            ''',
        "pipeline.py": '''
            from kedro.pipeline import Node, Pipeline

            from .nodes import (
                confusion_matrix_figure,
                passenger_capacity_figure,
                passenger_capacity_table,
            )


            def create_pipeline(**kwargs) -> Pipeline:
                return Pipeline([
                    Node(passenger_capacity_table, "preprocessed_shuttles",
                         "shuttle_passenger_capacity_plot_exp"),
                    Node(passenger_capacity_figure, "preprocessed_shuttles",
                         "shuttle_passenger_capacity_plot_go"),
                    Node(confusion_matrix_figure, "companies", "dummy_confusion_matrix"),
                ])
            ''',
    },
}
