"""Minimal project trees built by hand, one per test, for rule-level tests.

`layout_project` writes a small but complete Kedro project in the default layout
(package `mini_lab`): every folder, a catalog with a dataset factory pattern, and five
stages whose nodes form the split → fit → features → train → evaluate → serve flow. Their
functions (`NODES`, the same in every stage) do what their names say, in code the leakage
rules read: `fit` and `train` fit, `describe` computes statistics, `evaluate` scores,
`split`, `transform`, `score` and `step` learn nothing.
It passes every rule (each dataset's kedro-viz layer is its folder; the transformer in
models/ has none); each test breaks one thing and checks the rule that notices.
"""

from __future__ import annotations

from pathlib import Path

from kedro_ml_starter.manifest import default_manifest, manifest_to_toml

PACKAGE = "mini_lab"

PYPROJECT = f"""\
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "mini-lab"
version = "0.1"

[tool.kedro]
package_name = "{PACKAGE}"
project_name = "Mini Lab"
kedro_init_version = "1.7.0"
source_dir = "src"

"""

GITIGNORE = """\
data/**
!data/**/
!data/**/.gitkeep
models/**
!models/**/
!models/**/.gitkeep
"""

CATALOG = """\
raw_rows:
  type: pandas.CSVDataset
  filepath: data/01_raw/rows.csv
  metadata:
    kedro-viz:
      layer: 01_raw

train_split:
  type: pandas.ParquetDataset
  filepath: data/02_train/train.parquet
  metadata:
    kedro-viz:
      layer: 02_train

eval_split:
  type: pandas.ParquetDataset
  filepath: data/03_eval/eval.parquet
  metadata:
    kedro-viz:
      layer: 03_eval

test_split:
  type: pandas.ParquetDataset
  filepath: data/04_test/test.parquet
  metadata:
    kedro-viz:
      layer: 04_test

transformer:
  type: pickle.PickleDataset
  filepath: models/transformer.pkl
  versioned: true

"{split}_features":
  type: pandas.ParquetDataset
  filepath: data/02_train/{split}_features.parquet
  metadata:
    kedro-viz:
      layer: 02_train

eval_features:
  type: pandas.ParquetDataset
  filepath: data/03_eval/eval_features.parquet
  metadata:
    kedro-viz:
      layer: 03_eval

test_features:
  type: pandas.ParquetDataset
  filepath: data/04_test/test_features.parquet
  metadata:
    kedro-viz:
      layer: 04_test

model:
  type: pickle.PickleDataset
  filepath: models/model.pkl
  versioned: true
  metadata:
    kedro-viz:
      layer: models

metrics:
  type: json.JSONDataset
  filepath: data/05_reporting/metrics.json
  metadata:
    kedro-viz:
      layer: 05_reporting

new_rows:
  type: pandas.CSVDataset
  filepath: data/06_scoring/new_rows.csv
  metadata:
    kedro-viz:
      layer: 06_scoring

predictions:
  type: pandas.CSVDataset
  filepath: data/06_scoring/predictions.csv
  metadata:
    kedro-viz:
      layer: 06_scoring
"""

# stage folder -> the body of create_pipeline's list of nodes
STAGES = {
    "01_data_preprocessing":
        'node(split, "raw_rows", ["train_split", "eval_split", "test_split"], name="split")',
    "02_feature_engineering":
        'node(fit, "train_split", "transformer", name="fit_transformer"),\n'
        '        node(transform, ["transformer", "train_split"], "train_features",\n'
        '             name="transform_train"),\n'
        '        node(transform, ["transformer", "eval_split"], "eval_features",\n'
        '             name="transform_eval"),\n'
        '        node(transform, ["transformer", "test_split"], "test_features",\n'
        '             name="transform_test")',
    "03_model_training":
        'node(train, ["train_features", "params:model"], "model", name="train")',
    "04_model_evaluation":
        'node(evaluate, ["model", "eval_features", "test_features"], "metrics", name="evaluate")',
    "05_api":
        'node(score, ["model", "transformer", "new_rows"], "predictions", name="score")',
}

# Every stage's nodes.py: what each function does is what the leakage rules read.
NODES = '''\
"""Node functions shared by the stages of the test tree (libraries imported where used,
so that reading the pipelines stands in for none)."""


def step(*frames):
    """Passes its inputs on: learns nothing."""
    return frames


def split(rows, *config):
    """Train, eval and test parts, by position."""
    third = len(rows) // 3
    return rows.iloc[:third], rows.iloc[third:2 * third], rows.iloc[2 * third:]


def fit(*frames):
    """A scaler fitted on every frame it reads."""
    import pandas as pd
    from sklearn.preprocessing import StandardScaler

    return StandardScaler().fit(pd.concat(frames))


def transform(transformer, rows):
    return transformer.transform(rows)


def train(*frames):
    """A model fitted on every frame it reads."""
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    rows = pd.concat(frames)
    model = LogisticRegression()
    model.fit(rows.drop(columns="y"), rows["y"])
    return model


def describe(*frames):
    """Statistics of every row it reads."""
    import pandas as pd

    return pd.concat(frames).describe()


def evaluate(model, *frames):
    """The model's accuracy on each frame: a record of scores."""
    from sklearn.metrics import accuracy_score

    return [accuracy_score(f["y"], model.predict(f.drop(columns="y"))) for f in frames]


def score(model, transformer, rows, *more):
    return model.predict(transformer.transform(rows))


def choose(models, rows):
    """The candidate with the best accuracy on the rows."""
    from sklearn.metrics import accuracy_score

    return max(models, key=lambda m: accuracy_score(rows["y"], m.predict(rows.drop(columns="y"))))


def train_with_early_stopping(train_rows, valid_rows):
    """Boosting rounds stop when the score on the validation rows stops improving."""
    from lightgbm import LGBMClassifier

    model = LGBMClassifier()
    model.fit(train_rows.drop(columns="y"), train_rows["y"],
              eval_set=[(valid_rows.drop(columns="y"), valid_rows["y"])])
    return model
'''

PIPELINE = '''\
from kedro.pipeline import Pipeline, node

from .nodes import (
    choose, describe, evaluate, fit, score, split, step, train, train_with_early_stopping,
    transform,
)


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline([
        {nodes}
    ])
'''


def write(root: Path, rel: str, text: str = "") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def stage_pipeline(nodes: str) -> str:
    return PIPELINE.format(nodes=nodes)


def layout_project(parent: Path, name: str = "mini-lab") -> Path:
    """A project that passes every rule; returns its root."""
    root = parent / name
    manifest = default_manifest()
    write(root, "pyproject.toml", PYPROJECT + manifest_to_toml(manifest))
    write(root, "README.md", "# Mini Lab\n")
    write(root, "requirements.txt", "kedro~=1.7.0\nkedro-datasets[pandas]>=9\n")
    write(root, ".gitignore", GITIGNORE)
    for folder in manifest.data:
        write(root, f"data/{folder.folder}/.gitkeep")
    write(root, "models/.gitkeep")
    write(root, "notebooks/.gitkeep")
    write(root, "conf/base/catalog.yml", CATALOG)
    write(root, "conf/base/parameters.yml", "model:\n  seed: 1\n")
    write(root, "conf/local/.gitkeep")
    pkg = f"src/{PACKAGE}"
    write(root, f"{pkg}/__init__.py")
    write(root, f"{pkg}/pipelines/__init__.py")
    write(root, f"{pkg}/utils/__init__.py")
    for folder, nodes in STAGES.items():
        write(root, f"{pkg}/pipelines/{folder}/__init__.py",
              "from .pipeline import create_pipeline\n\n__all__ = [\"create_pipeline\"]\n")
        write(root, f"{pkg}/pipelines/{folder}/nodes.py", NODES)
        write(root, f"{pkg}/pipelines/{folder}/pipeline.py", stage_pipeline(nodes))
        write(root, f"tests/pipelines/{folder}/__init__.py")
        write(root, f"tests/pipelines/{folder}/test_pipeline.py",
              "def test_stage_loads():\n    assert True\n")
    return root


def pipelines_dir(root: Path) -> Path:
    return root / "src" / PACKAGE / "pipelines"


def set_stage_nodes(root: Path, folder: str, nodes: str) -> None:
    """Replaces a stage's nodes (the body of its create_pipeline list)."""
    (pipelines_dir(root) / folder / "pipeline.py").write_text(stage_pipeline(nodes))


def outcome(root: Path, rule_id: str, **facts) -> tuple[str, list[str]]:
    """(status, messages) of one rule on a tree, through the engine with real facts."""
    from kedro_plugin_layout.commands.check import check

    report = check(root, select=[rule_id], facts=facts)
    results = [r for r in report.results if r.rule == rule_id]
    statuses = {r.status for r in results}
    assert len(statuses) == 1, results
    return statuses.pop(), [r.message for r in results]
