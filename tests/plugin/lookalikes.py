"""Look-alike Kedro projects, written here, that reproduce what real projects do.

`kedro layout init` and `check` were run on 26 public Kedro projects (issue 27); each
builder below reproduces one pattern that broke adoption or made a false finding there,
in a small project of our own (no public project's code is copied):

| builder | the pattern |
| --- | --- |
| `utils_module` | shared helpers in `<package>/utils.py`, imported as `from pkg.utils import …` |
| `prefixed_stages` | twelve plain stages numbered `p01_` … `p12_`, a chain of data dependencies |
| `dvc_data` | data tracked by DVC (`data/01_raw.dvc`, `dvc.yaml`), not pulled: no data on disk |
| `params_config` | a `config` built from parameters alone, read by the split and by training |
| `intermediate_splits` | the split writes `train_set` and `test_set` to `data/02_intermediate` |
| `in_memory_split` | Kedro's spaceflights shape: `X_train`/`X_test` in memory, training on train |
| `in_memory_test_leak` | the same, with training rewired to fit on `X_test`, `y_test` |
| `kedro_019` | a project made with Kedro 0.19 (`kedro_init_version = "0.19.9"`) |
| `kedro_018` | a project made with Kedro 0.18 (`project_version`, no `kedro_init_version`) |
| `git_requirement` | `kedro @ git+https://…` and other PEP 508 direct references |
| `pickled_frames` | DataFrames, a config and a plot stored with `pickle.PickleDataset` |

Each is a real Kedro 1.7 project (`kedro run` works where the data is on disk) with
Kedro's default data folders. `LOOKALIKES` lists them with what adoption must give: the
true findings after `kedro layout init` (the same in lite and full import mode), and the
issue whose data-flow rules make that expectation hold (`needs`). The issue-23 engineer
(leakage reading) asserts on the same projects.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

KEDRO_DATA_FOLDERS = ("01_raw", "02_intermediate", "03_primary", "04_feature",
                      "05_model_input", "06_models", "07_model_output", "08_reporting")

GITIGNORE = """\
# Kedro's convention: data stays out of git, its folders stay in
data/**
!data/**/
!.gitkeep
__pycache__/
.venv/
"""

SETTINGS = '''\
"""Project settings: Kedro's defaults."""
'''

REGISTRY = '''\
"""Every pipeline of the project, found by `find_pipelines`."""

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline


def register_pipelines() -> dict[str, Pipeline]:
    pipelines = find_pipelines(raise_errors=True)
    pipelines["__default__"] = sum(pipelines.values())
    return pipelines
'''

REQUIREMENTS = """\
kedro~=1.7.0
kedro-datasets[pandas-csvdataset,pandas-parquetdataset,pickle-pickledataset]>=9
scikit-learn>=1.5
"""

# Rows of a small regression problem: a house's size, rooms and age, and its price.
HOUSES = "size,rooms,age,price\n" + "".join(
    f"{50 + 7 * i},{1 + i % 5},{(13 * i) % 40},{round(900 + 31.5 * i + 40 * (i % 5), 1)}\n"
    for i in range(24)
)


def write(root: Path, relative: str, text: str = "") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n") if text else "")
    return path


def dataset(kind: str, filepath: str, **more: object) -> dict[str, object]:
    return {"type": kind, "filepath": filepath, **more}


def kedro_project(parent: Path, repo: str, package: str, *,
                  stages: Mapping[str, Mapping[str, str]],
                  catalog: Mapping[str, Mapping[str, object]],
                  parameters: str = "", requirements: str = REQUIREMENTS,
                  data: Mapping[str, str] | None = None,
                  data_folders: tuple[str, ...] = KEDRO_DATA_FOLDERS,
                  files: Mapping[str, str] | None = None,
                  tool_kedro: str | None = None) -> Path:
    """A Kedro 1.7 project as `kedro new` lays it out, grown with `stages` (folder ->
    file name -> text); returns its root."""
    import yaml

    root = parent / repo
    write(root, "pyproject.toml", f"""
        [build-system]
        requires = ["setuptools"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "{repo}"
        version = "0.1"
        dynamic = ["dependencies"]

        [tool.setuptools.dynamic]
        dependencies = {{file = "requirements.txt"}}

        [tool.kedro]
        {tool_kedro or f'''package_name = "{package}"
        project_name = "{repo.replace("-", " ").title()}"
        kedro_init_version = "1.7.0"
        tools = "None"
        example_pipeline = "False"
        source_dir = "src"'''}
        """)
    write(root, "README.md", f"# {repo}\n\nRun it with `kedro run`.\n")
    write(root, "requirements.txt", requirements)
    write(root, ".gitignore", GITIGNORE)
    write(root, "conf/base/catalog.yml", yaml.safe_dump(dict(catalog), sort_keys=False))
    write(root, "conf/base/parameters.yml", parameters or "{}\n")
    write(root, "conf/local/credentials.yml", "{}\n")
    for folder in data_folders:
        write(root, f"data/{folder}/.gitkeep")
    for relative, text in (data or {}).items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    source = f"src/{package}"
    write(root, f"{source}/__init__.py", f'"""{repo}."""\n\n__version__ = "0.1"\n')
    write(root, f"{source}/settings.py", SETTINGS)
    write(root, f"{source}/pipeline_registry.py", REGISTRY)
    write(root, f"{source}/pipelines/__init__.py")
    for folder, stage_files in stages.items():
        write(root, f"{source}/pipelines/{folder}/__init__.py",
              "from .pipeline import create_pipeline\n\n__all__ = [\"create_pipeline\"]\n")
        for name, text in stage_files.items():
            write(root, f"{source}/pipelines/{folder}/{name}", text)
    for relative, text in (files or {}).items():
        write(root, relative, text)
    write(root, "tests/__init__.py")
    write(root, "tests/test_run.py", '''
        """The project's own smoke test."""


        def test_nothing_yet():
            assert True
        ''')
    return root


# -- the shared shape: process the rows, then split, train and score ----------------------------

PROCESSING_NODES = '''
    import pandas as pd


    def clean_houses(houses: pd.DataFrame) -> pd.DataFrame:
        return houses.dropna().drop_duplicates().reset_index(drop=True)
    '''

PROCESSING_PIPELINE = '''
    from kedro.pipeline import Node, Pipeline

    from .nodes import clean_houses


    def create_pipeline(**kwargs) -> Pipeline:
        return Pipeline([Node(clean_houses, "houses", "clean_houses", name="clean_houses")])
    '''

SCIENCE_NODES = '''
    import pandas as pd
    from sklearn.linear_model import LinearRegression
    from sklearn.metrics import r2_score
    from sklearn.model_selection import train_test_split


    def split_data(table: pd.DataFrame, options: dict) -> tuple:
        features = table[options["features"]]
        return train_test_split(features, table[options["target"]],
                                test_size=options["test_size"],
                                random_state=options["random_state"])


    def train_model(X_train: pd.DataFrame, y_train: pd.Series) -> LinearRegression:
        return LinearRegression().fit(X_train, y_train)


    def evaluate_model(regressor: LinearRegression, X_test: pd.DataFrame,
                       y_test: pd.Series) -> dict:
        return {"r2": float(r2_score(y_test, regressor.predict(X_test)))}
    '''

SCIENCE_PIPELINE = '''
    from kedro.pipeline import Node, Pipeline

    from .nodes import evaluate_model, split_data, train_model


    def create_pipeline(**kwargs) -> Pipeline:
        return Pipeline([
            Node(split_data, ["clean_houses", "params:model_options"],
                 ["X_train", "X_test", "y_train", "y_test"], name="split_data"),
            Node(train_model, [{train}], "regressor", name="train_model"),
            Node(evaluate_model, ["regressor", "X_test", "y_test"], "metrics",
                 name="evaluate_model"),
        ])
    '''

MODEL_OPTIONS = """
    model_options:
      target: price
      features: [size, rooms, age]
      test_size: 0.25
      random_state: 7
    """

HOUSE_CATALOG = {
    "houses": dataset("pandas.CSVDataset", "data/01_raw/houses.csv"),
    "clean_houses": dataset("pandas.ParquetDataset", "data/02_intermediate/clean_houses.parquet"),
    "regressor": dataset("pickle.PickleDataset", "data/06_models/regressor.pickle",
                         versioned=True),
    "metrics": dataset("json.JSONDataset", "data/08_reporting/metrics.json"),
}


def _science(train: str = '"X_train", "y_train"') -> dict[str, str]:
    return {"nodes.py": SCIENCE_NODES, "pipeline.py": SCIENCE_PIPELINE.format(train=train)}


def _house_project(parent: Path, repo: str, package: str, **overrides: object) -> Path:
    options: dict[str, object] = {
        "stages": {"data_processing": {"nodes.py": PROCESSING_NODES,
                                       "pipeline.py": PROCESSING_PIPELINE},
                   "data_science": _science()},
        "catalog": HOUSE_CATALOG, "parameters": MODEL_OPTIONS,
        "data": {"data/01_raw/houses.csv": HOUSES},
    }
    options.update(overrides)
    return kedro_project(parent, repo, package, **options)  # type: ignore[arg-type]


# -- 1. shared helpers in utils.py ----------------------------------------------------------------


def utils_module(parent: Path) -> Path:
    """Helpers in `house_prices/utils.py`, imported by both stages as `house_prices.utils`:
    a `utils/` package next to it would shadow the module and break every import."""
    nodes = '''
        import pandas as pd

        from house_prices.utils import FEATURES, TARGET, tidy_columns


        def clean_houses(houses: pd.DataFrame) -> pd.DataFrame:
            return tidy_columns(houses).dropna()[FEATURES + [TARGET]]
        '''
    science = SCIENCE_NODES.replace(
        "import pandas as pd\n",
        "import pandas as pd\n\n    from house_prices.utils import tidy_columns\n",
    ).replace("features = table[", "features = tidy_columns(table)[")
    return _house_project(
        parent, "house-prices", "house_prices",
        stages={"data_processing": {"nodes.py": nodes, "pipeline.py": PROCESSING_PIPELINE},
                "data_science": {"nodes.py": science,
                                 "pipeline.py": SCIENCE_PIPELINE.format(
                                     train='"X_train", "y_train"')}},
        files={"src/house_prices/utils.py": '''
            """Helpers both pipelines use."""

            import pandas as pd

            FEATURES = ["size", "rooms", "age"]
            TARGET = "price"


            def tidy_columns(frame: pd.DataFrame) -> pd.DataFrame:
                tidy = frame.copy()
                tidy.columns = [str(c).strip().lower().replace(" ", "_") for c in tidy.columns]
                return tidy
            '''},
    )


# -- 2. stages numbered p01_ ... p12_ -------------------------------------------------------------

# (stage, node function, inputs, outputs): a chain from two raw tables to a served model.
PREFIXED = (
    ("p01_load_sales", "load_sales", ["sales"], ["sales_table"]),
    ("p02_load_weather", "load_weather", ["weather"], ["weather_table"]),
    ("p03_merge", "merge_sources", ["sales_table", "weather_table"], ["merged"]),
    ("p04_clean", "clean", ["merged"], ["clean_rows"]),
    ("p05_calendar_features", "add_calendar", ["clean_rows"], ["with_calendar"]),
    ("p06_lag_features", "add_lags", ["with_calendar"], ["features"]),
    ("p07_split", "split", ["features", "params:split"],
     ["X_train", "X_test", "y_train", "y_test"]),
    ("p08_train", "train", ["X_train", "y_train"], ["forecaster"]),
    ("p09_predict", "predict", ["forecaster", "X_test"], ["predictions"]),
    ("p10_evaluate", "evaluate", ["predictions", "y_test"], ["metrics"]),
    ("p11_report", "report", ["metrics", "features"], ["report"]),
    ("p12_export", "export", ["forecaster", "metrics"], ["release_notes"]),
)


def prefixed_stages(parent: Path) -> Path:
    """Twelve plain stages whose `p01_` … `p12_` prefixes say the order they run in:
    their names alone suggest another (report before predict, export last of all)."""
    bodies = {
        "load_sales": "return table.rename(columns=str.lower)",
        "load_weather": "return table.rename(columns=str.lower)",
        "merge_sources": "return left.merge(right, on='day')",
        "clean": "return table.dropna()",
        "add_calendar": "return table.assign(weekday=table['day'] % 7)",
        "add_lags": "return table.assign(lag_1=table['units'].shift(1).fillna(0))",
        "split": ("cut = int(len(table) * (1 - options['test_size']))\n"
                  "    x, y = table[['weekday', 'lag_1', 'rain']], table['units']\n"
                  "    return x[:cut], x[cut:], y[:cut], y[cut:]"),
        "train": "return Ridge().fit(x, y)",
        "predict": "return pd.Series(model.predict(x))",
        "evaluate": "return {'mae': float(abs(pred.values - y.values).mean())}",
        "report": "return pd.DataFrame([metrics]).assign(rows=len(table))",
        "export": "return f'forecaster with {metrics}'",
    }
    params = {
        "load_sales": "table", "load_weather": "table", "merge_sources": "left, right",
        "clean": "table", "add_calendar": "table", "add_lags": "table",
        "split": "table, options", "train": "x, y", "predict": "model, x",
        "evaluate": "pred, y", "report": "metrics, table", "export": "model, metrics",
    }
    stages = {}
    for folder, function, inputs, outputs in PREFIXED:
        imports = "import pandas as pd\n"
        if function == "train":
            imports += "from sklearn.linear_model import Ridge\n"
        stages[folder] = {
            "nodes.py": f"{imports}\n\ndef {function}({params[function]}):\n"
                        f"    {bodies[function]}\n",
            "pipeline.py": f'''
                from kedro.pipeline import Node, Pipeline

                from .nodes import {function}


                def create_pipeline(**kwargs) -> Pipeline:
                    return Pipeline([Node({function}, {inputs!r}, {outputs!r}, name="{function}")])
                ''',
        }
    days = range(1, 31)
    catalog = {
        "sales": dataset("pandas.CSVDataset", "data/01_raw/sales.csv"),
        "weather": dataset("pandas.CSVDataset", "data/01_raw/weather.csv"),
        "merged": dataset("pandas.ParquetDataset", "data/02_intermediate/merged.parquet"),
        "clean_rows": dataset("pandas.ParquetDataset", "data/03_primary/clean_rows.parquet"),
        "features": dataset("pandas.ParquetDataset", "data/04_feature/features.parquet"),
        "forecaster": dataset("pickle.PickleDataset", "data/06_models/forecaster.pickle"),
        "predictions": dataset("pandas.CSVDataset", "data/07_model_output/predictions.csv"),
        "metrics": dataset("json.JSONDataset", "data/08_reporting/metrics.json"),
        "report": dataset("pandas.CSVDataset", "data/08_reporting/report.csv"),
    }
    return kedro_project(
        parent, "demand-forecast", "demand_forecast", stages=stages, catalog=catalog,
        parameters="split:\n  test_size: 0.2\n",
        data={"data/01_raw/sales.csv": "day,units\n" + "".join(
                  f"{d},{20 + (d * 7) % 11}\n" for d in days),
              "data/01_raw/weather.csv": "day,rain\n" + "".join(
                  f"{d},{(d * 3) % 5}\n" for d in days)},
    )


# -- 3. data tracked by DVC, not pulled -----------------------------------------------------------


def dvc_data(parent: Path) -> Path:
    """Data tracked by DVC: `data/01_raw` by a `.dvc` file, the processed table and the
    model as outputs of `dvc.yaml` stages, the metrics kept in git. A fresh clone has no
    data until `dvc pull`: only DVC's files and the metrics are on disk."""
    return _house_project(
        parent, "credit-risk", "credit_risk", data={}, data_folders=(),
        catalog={**HOUSE_CATALOG,
                 "clean_houses": dataset("pandas.ParquetDataset",
                                         "data/03_primary/clean_houses.parquet")},
        files={
            ".dvc/config": "[core]\n    remote = storage\n['remote \"storage\"']\n"
                           "    url = s3://example-bucket/credit-risk\n",
            ".dvc/.gitignore": "/config.local\n/tmp\n/cache\n",
            ".dvcignore": "# Add patterns of files dvc should ignore\n",
            "data/01_raw.dvc": """
                outs:
                - md5: 6c1f1b0b0a1e4a6d9b1c2f3e4d5a6b7c.dir
                  size: 1043
                  nfiles: 1
                  hash: md5
                  path: 01_raw
                """,
            "data/.gitignore": "/01_raw\n/03_primary\n",
            "data/06_models/.gitignore": "/regressor.pickle\n",
            "dvc.yaml": """
                stages:
                  process:
                    cmd: kedro run --pipelines data_processing
                    deps:
                    - data/01_raw
                    - src/credit_risk/pipelines/data_processing
                    outs:
                    - data/03_primary
                  train:
                    cmd: kedro run --pipelines data_science
                    deps:
                    - data/03_primary
                    - src/credit_risk/pipelines/data_science
                    outs:
                    - data/06_models/regressor.pickle
                    metrics:
                    - data/08_reporting/metrics.json:
                        cache: false
                """,
            "data/08_reporting/metrics.json": '{"r2": 0.93}\n',
        },
    )


# -- 4. a config built from parameters alone ------------------------------------------------------


def params_config(parent: Path) -> Path:
    """`make_config` builds `model_config` from parameters only; the split and the training
    both read it. It carries no rows: it is not data from before the split."""
    nodes = SCIENCE_NODES.replace(
        "def split_data(table: pd.DataFrame, options: dict) -> tuple:",
        '''def make_config(target: str, features: list, test_size: float, seed: int) -> dict:
        return {"target": target, "features": features, "test_size": test_size,
                "random_state": seed}


    def split_data(table: pd.DataFrame, options: dict) -> tuple:''',
    ).replace(
        "def train_model(X_train: pd.DataFrame, y_train: pd.Series) -> LinearRegression:\n"
        "        return LinearRegression().fit(X_train, y_train)",
        "def train_model(X_train: pd.DataFrame, y_train: pd.Series,\n"
        "                    config: dict) -> LinearRegression:\n"
        "        return LinearRegression().fit(X_train[config[\"features\"]], y_train)",
    )
    pipeline = '''
        from kedro.pipeline import Node, Pipeline

        from .nodes import evaluate_model, make_config, split_data, train_model


        def create_pipeline(**kwargs) -> Pipeline:
            return Pipeline([
                Node(make_config, ["params:target", "params:features", "params:test_size",
                                   "params:seed"], "model_config", name="make_config"),
                Node(split_data, ["clean_houses", "model_config"],
                     ["X_train", "X_test", "y_train", "y_test"], name="split_data"),
                Node(train_model, ["X_train", "y_train", "model_config"], "regressor",
                     name="train_model"),
                Node(evaluate_model, ["regressor", "X_test", "y_test"], "metrics",
                     name="evaluate_model"),
            ])
        '''
    return _house_project(
        parent, "churn-model", "churn_model",
        stages={"data_processing": {"nodes.py": PROCESSING_NODES,
                                    "pipeline.py": PROCESSING_PIPELINE},
                "data_science": {"nodes.py": nodes, "pipeline.py": pipeline}},
        parameters="target: price\nfeatures: [size, rooms, age]\ntest_size: 0.25\nseed: 7\n",
    )


# -- 5. named splits stored in 02_intermediate ----------------------------------------------------


def intermediate_splits(parent: Path) -> Path:
    """The split writes `train_set` and `test_set` next to each other in
    `data/02_intermediate`, a folder whose name says nothing about splits."""
    processing_nodes = PROCESSING_NODES + '''

    def split_rows(table: pd.DataFrame, options: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
        test = table.sample(frac=options["test_size"], random_state=options["random_state"])
        return table.drop(test.index), test
    '''
    processing_pipeline = '''
        from kedro.pipeline import Node, Pipeline

        from .nodes import clean_houses, split_rows


        def create_pipeline(**kwargs) -> Pipeline:
            return Pipeline([
                Node(clean_houses, "houses", "clean_houses", name="clean_houses"),
                Node(split_rows, ["clean_houses", "params:model_options"],
                     ["train_set", "test_set"], name="split_rows"),
            ])
        '''
    science_nodes = '''
        import pandas as pd
        from sklearn.linear_model import LinearRegression
        from sklearn.metrics import r2_score


        def train_model(train_set: pd.DataFrame, options: dict) -> LinearRegression:
            features = train_set[options["features"]]
            return LinearRegression().fit(features, train_set[options["target"]])


        def evaluate_model(regressor: LinearRegression, test_set: pd.DataFrame,
                           options: dict) -> dict:
            predicted = regressor.predict(test_set[options["features"]])
            return {"r2": float(r2_score(test_set[options["target"]], predicted))}
        '''
    science_pipeline = '''
        from kedro.pipeline import Node, Pipeline

        from .nodes import evaluate_model, train_model


        def create_pipeline(**kwargs) -> Pipeline:
            return Pipeline([
                Node(train_model, ["train_set", "params:model_options"], "regressor",
                     name="train_model"),
                Node(evaluate_model, ["regressor", "test_set", "params:model_options"],
                     "metrics", name="evaluate_model"),
            ])
        '''
    catalog = {
        **HOUSE_CATALOG,
        "train_set": dataset("pandas.ParquetDataset", "data/02_intermediate/train_set.parquet"),
        "test_set": dataset("pandas.ParquetDataset", "data/02_intermediate/test_set.parquet"),
    }
    return _house_project(
        parent, "fraud-detection", "fraud_detection", catalog=catalog,
        stages={"data_processing": {"nodes.py": processing_nodes,
                                    "pipeline.py": processing_pipeline},
                "data_science": {"nodes.py": science_nodes, "pipeline.py": science_pipeline}},
    )


# -- 6. splits kept in memory: clean, and leaking --------------------------------------------------


def in_memory_split(parent: Path) -> Path:
    """Kedro's spaceflights shape: the split's `X_train`, `X_test`, `y_train`, `y_test` are
    never stored; training fits on the train rows."""
    return _house_project(parent, "rocket-prices", "rocket_prices")


def in_memory_test_leak(parent: Path) -> Path:
    """`in_memory_split` with the training node rewired to fit on `X_test`, `y_test`: a
    real leak (KL402), although no held-out data folder is involved."""
    return _house_project(parent, "rocket-leak", "rocket_leak",
                          stages={"data_processing": {"nodes.py": PROCESSING_NODES,
                                                      "pipeline.py": PROCESSING_PIPELINE},
                                  "data_science": _science('"X_test", "y_test"')})


# -- 7. projects made with an older Kedro ---------------------------------------------------------

LEGACY_PIPELINE = '''
    from kedro.pipeline import Pipeline, node, pipeline

    from .nodes import {functions}


    def create_pipeline(**kwargs) -> Pipeline:
        return pipeline([
            {nodes}
        ])
    '''


def _legacy(parent: Path, repo: str, package: str, tool_kedro: str) -> Path:
    processing = LEGACY_PIPELINE.format(
        functions="clean_houses",
        nodes='node(func=clean_houses, inputs="houses", outputs="clean_houses",\n'
              '                 name="clean_houses_node"),')
    science = LEGACY_PIPELINE.format(
        functions="evaluate_model, split_data, train_model",
        nodes='node(split_data, ["clean_houses", "params:model_options"],\n'
              '                 ["X_train", "X_test", "y_train", "y_test"]),\n'
              '            node(train_model, ["X_train", "y_train"], "regressor"),\n'
              '            node(evaluate_model, ["regressor", "X_test", "y_test"], "metrics"),')
    return _house_project(
        parent, repo, package, tool_kedro=tool_kedro,
        stages={"data_processing": {"nodes.py": PROCESSING_NODES, "pipeline.py": processing},
                "data_science": {"nodes.py": SCIENCE_NODES, "pipeline.py": science}},
        files={f"src/{package}/settings.py": '''
            """Project settings, as Kedro 0.19 wrote them."""

            from kedro.config import OmegaConfigLoader  # noqa: E402

            CONFIG_LOADER_CLASS = OmegaConfigLoader
            CONFIG_LOADER_ARGS = {"base_env": "base", "default_run_env": "local"}
            '''},
    )


def kedro_019(parent: Path) -> Path:
    """Made with Kedro 0.19.9: Kedro 1.7 refuses to load it (major version mismatch)."""
    return _legacy(parent, "legacy-lab", "legacy_lab", '''package_name = "legacy_lab"
        project_name = "Legacy Lab"
        kedro_init_version = "0.19.9"
        tools = ["None"]
        example_pipeline = "False"
        source_dir = "src"''')


def kedro_018(parent: Path) -> Path:
    """Made with Kedro 0.18: `project_version` instead of `kedro_init_version`."""
    return _legacy(parent, "older-lab", "older_lab", '''package_name = "older_lab"
        project_name = "Older Lab"
        project_version = "0.18.14"''')


# -- 8. direct references in requirements.txt -----------------------------------------------------


def git_requirement(parent: Path) -> Path:
    """Kedro installed from its git repository (PEP 508 direct references), pinned hashes,
    markers and an included file."""
    root = in_memory_split(parent)
    (root / "requirements.txt").write_text(textwrap.dedent("""\
        # Kedro from its main branch, to try a fix before it is released
        kedro @ git+https://github.com/kedro-org/kedro.git@main
        kedro-datasets[pandas-parquetdataset] @ git+https://github.com/kedro-org/kedro-plugins.git@main#subdirectory=kedro-datasets
        -r requirements-ml.txt
        """))
    (root / "requirements-ml.txt").write_text(
        "scikit-learn==1.9.1 ; python_version >= \"3.10\"\n"
        "pyarrow>=15 \\\n    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
    )
    return root


# -- 9. pickled DataFrames, configs and plots -----------------------------------------------------


def pickled_frames(parent: Path) -> Path:
    """Intermediate tables, a feature config and a figure stored with PickleDataset:
    pickles that are not models. The model itself is pickled in `data/06_models`."""
    processing_nodes = PROCESSING_NODES + '''

    def feature_settings(features: list) -> dict:
        return {"features": features, "scaled": False}


    def price_histogram(houses: pd.DataFrame) -> dict:
        counts = houses["price"].round(-2).value_counts().sort_index()
        return {"bins": [float(b) for b in counts.index], "counts": counts.tolist()}
    '''
    processing_pipeline = '''
        from kedro.pipeline import Node, Pipeline

        from .nodes import clean_houses, feature_settings, price_histogram


        def create_pipeline(**kwargs) -> Pipeline:
            return Pipeline([
                Node(clean_houses, "houses", "clean_houses", name="clean_houses"),
                Node(feature_settings, "params:model_options.features", "feature_config",
                     name="feature_settings"),
                Node(price_histogram, "clean_houses", "price_histogram_plot",
                     name="price_histogram"),
            ])
        '''
    catalog = {
        **HOUSE_CATALOG,
        "clean_houses": dataset("pickle.PickleDataset",
                                "data/02_intermediate/clean_houses.pkl"),
        "feature_config": dataset("pickle.PickleDataset",
                                  "data/05_model_input/feature_config.pkl"),
        "price_histogram_plot": dataset("pickle.PickleDataset",
                                        "data/08_reporting/price_histogram.pkl"),
        "preprocessed_df": dataset("pickle.PickleDataset",
                                   "data/03_primary/preprocessed_df.pkl", backend="joblib"),
        "regressor": dataset("pickle.PickleDataset", "data/06_models/regressor.pkl"),
    }
    return _house_project(
        parent, "pickle-jar", "pickle_jar", catalog=catalog,
        stages={"data_processing": {"nodes.py": processing_nodes,
                                    "pipeline.py": processing_pipeline},
                "data_science": _science()},
    )


# -- what adoption must give -----------------------------------------------------------------------

@dataclass(frozen=True)
class LookAlike:
    """A look-alike and the rule ids of its true findings after `kedro layout init` (lite
    and full mode alike)."""

    name: str
    build: Callable[[Path], Path]
    findings: frozenset[str] = frozenset()


LOOKALIKES = (
    LookAlike("utils_module", utils_module),
    LookAlike("prefixed_stages", prefixed_stages),
    LookAlike("dvc_data", dvc_data),
    LookAlike("params_config", params_config),
    LookAlike("intermediate_splits", intermediate_splits),
    LookAlike("in_memory_split", in_memory_split),
    LookAlike("in_memory_test_leak", in_memory_test_leak, frozenset({"KL402"})),
    LookAlike("kedro_019", kedro_019),
    LookAlike("kedro_018", kedro_018),
    LookAlike("git_requirement", git_requirement),
    LookAlike("pickled_frames", pickled_frames),
)


def lookalike(name: str) -> LookAlike:
    return next(item for item in LOOKALIKES if item.name == name)
