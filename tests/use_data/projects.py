"""A small project `use-data` can adopt a file in, built by hand in a test's tmp dir.

It holds what `use-data` reads and writes, shaped as the starter writes it: pyproject.toml
with `[tool.kedro]`, a commented catalog with `raw_data` and `new_rows`, the data contract
(the penguins') and the estimator's parameters. The end-to-end tests use real generated
projects instead (test_use_data_e2e.py).
"""

from __future__ import annotations

from pathlib import Path

from tests.plugin.trees import PYPROJECT

CATALOG = """\
# The catalog, as the starter writes it (comments matter: use-data keeps them).

# --- 01_data_preprocessing -------------------------------------------------------
# The raw data as received.
raw_data:
  type: pandas.CSVDataset
  filepath: data/01_raw/penguins.csv  # the starter's data
  metadata:
    kedro-viz:
      layer: 01_raw
  load_args:
    na_values: ["NA", ""]
    keep_default_na: false

# validated_rows and clean_rows pass from node to node in memory.

train_split:
  type: pandas.ParquetDataset
  filepath: data/02_train/train.parquet

# --- 05_api (batch scoring) -------------------------------------------------------
# Rows to score: the raw columns without the target.
new_rows:
  type: pandas.CSVDataset
  filepath: data/06_scoring/new_penguins.csv
  metadata:
    kedro-viz:
      layer: 06_scoring
  load_args:
    na_values: ["NA", ""]
    keep_default_na: false

# Each new row with its prediction.
predictions:
  type: pandas.CSVDataset
  filepath: data/06_scoring/predictions.csv
"""

CONTRACT = """\
# The data contract.
data_contract:
  target: species
  task: classification
  positive_class: null
  ignored: {}
  example: {}
  schema:
    schema_type: dataframe
    api: pandas
    columns:
      species: {dtype: category, nullable: true, isin: [Adelie, Gentoo]}
      bill_length_mm: {dtype: float64, nullable: true}
    coerce: true
    strict: true
"""

TRAINING = """\
model_training:
  # Any scikit-learn estimator, by import path, and its keyword arguments.
  estimator:
    type: sklearn.linear_model.LogisticRegression
    arguments:
      C: 1.0
      max_iter: 1000
  # kept as it is
  seed: 42
"""


# The same catalog in a Spark project (the starter's `engine: spark`): every column is read
# as text and typed by stage 01, so only the format and the CSV options are set.
SPARK_CATALOG = CATALOG.replace(
    "type: pandas.CSVDataset\n  filepath: data/01_raw/penguins.csv",
    "type: spark.SparkDatasetV2\n  filepath: ${globals:data_root,data}/01_raw/penguins.csv\n"
    "  file_format: csv").replace(
    '    na_values: ["NA", ""]\n    keep_default_na: false\n\n# validated',
    "    header: true\n    nullValue: NA\n\n# validated")

SPARK_TRAINING = """\
model_training:
  # Any Spark MLlib estimator, by import path, and its keyword arguments.
  estimator:
    type: pyspark.ml.classification.LogisticRegression
    arguments:
      regParam: 0.0001
      maxIter: 200
  # kept as it is
  seed: 42
"""


def small_project(parent: Path, *, catalog: str = CATALOG, training: str = TRAINING) -> Path:
    """Writes the project under `parent/mini-lab` and returns its root."""
    root = parent / "mini-lab"
    (root / "conf/base").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "conf/base/catalog.yml").write_text(catalog)
    (root / "conf/base/parameters_data_contract.yml").write_text(CONTRACT)
    (root / "conf/base/parameters_model_training.yml").write_text(training)
    (root / "conf/local").mkdir()
    for folder in ("01_raw", "06_scoring"):
        (root / "data" / folder).mkdir(parents=True)
    (root / "data/01_raw/penguins.csv").write_text("species,bill_length_mm\nAdelie,39.1\n")
    (root / "data/01_raw/README.md").write_text("# Raw data\n\n`penguins.csv`: the penguins.\n")
    (root / "data/06_scoring/new_penguins.csv").write_text("bill_length_mm\n39.1\n")
    return root
