"""A tiny Kedro project for the serving runtime's own tests: two features, two classes.

`build(root)` writes the project (config, a package, no stages but the serving one's
place in the default layout) and, with `trained=True`, fits transformers + a model and
saves them as stage 02/03 would: pickles and the ONNX graph, one version. `create_app` is
the app factory a server process starts (`uvicorn --factory`), for the project named by
the TINY_PROJECT environment variable.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import numpy as np

VERSION = "2026-01-01T00.00.00.000Z"
FEATURES = {"size": "number", "colour": "category"}
COLOURS = ("blue", "red")
CLASSES = ("big", "small")
CATALOG = "".join(
    f"{name}:\n  type: kedro_ml_starter.runtime.{kind}\n  filepath: models/{file}\n"
    "  versioned: true\n"
    for name, kind, file in (("feature_transformers", "ModelPickleDataset", "feature_transformers.pkl"),
                             ("model", "ModelPickleDataset", "model.pkl"),
                             ("model_onnx", "OnnxModelDataset", "model.onnx"))
)
# The promotion gate's datasets (stage 04's verdicts), for `build(..., promotion=True)`.
PROMOTION_CATALOG = """
model_versions: &model_versions
  type: kedro_ml_starter.runtime.model_versions.ModelVersionsDataset
  filepath: models/verdicts
  model: {type: kedro_ml_starter.runtime.datasets.ModelPickleDataset, filepath: models/model.pkl}
  transformers:
    type: kedro_ml_starter.runtime.datasets.ModelPickleDataset
    filepath: models/feature_transformers.pkl
model_verdicts: *model_versions
"""

# The data contract: the two features and the label (what the app's request follows).
CONTRACT = """
data_contract:
  target: label
  task: classification
  example: {size: 3.0, colour: red}
  schema:
    columns:
      size: {dtype: float64, nullable: true, greater_than: 0, less_than_or_equal_to: 1000}
      colour: {dtype: category, nullable: true, isin: [blue, red]}
      label: {dtype: category, nullable: true, isin: [big, small]}
"""

# Plain lines on stderr (Kedro's default rich handler wraps them to the terminal's width).
LOGGING = """
version: 1
disable_existing_loggers: false
formatters:
  plain: {format: "%(levelname)s %(name)s: %(message)s"}
handlers:
  stderr: {class: logging.StreamHandler, formatter: plain, stream: ext://sys.stderr}
root: {level: INFO, handlers: [stderr]}
"""


def build(root: Path, *, trained: bool = True, serving: str = "",
          promotion: bool = False) -> Path:
    """The project at `root`; `serving` is YAML added under `serving:`; with `promotion`,
    its catalog has the promotion gate's datasets (and no verdict yet)."""
    (root / "conf/base").mkdir(parents=True)
    (root / "conf/local").mkdir()
    (root / "src/tiny").mkdir(parents=True)
    (root / "pyproject.toml").write_text(textwrap.dedent("""
        [tool.kedro]
        package_name = "tiny"
        project_name = "Tiny"
        kedro_init_version = "1.7.0"
        source_dir = "src"
    """))
    (root / "src/tiny/__init__.py").write_text("")
    (root / "src/tiny/settings.py").write_text("")
    (root / "src/tiny/pipeline_registry.py").write_text(
        "from kedro.pipeline import Pipeline\n\n\n"
        "def register_pipelines():\n    return {'__default__': Pipeline([])}\n")
    (root / "conf/base/catalog.yml").write_text(CATALOG + (PROMOTION_CATALOG if promotion else ""))
    (root / "conf/base/parameters_data_contract.yml").write_text(CONTRACT)
    (root / "conf/logging.yml").write_text(LOGGING)
    settings = textwrap.indent(textwrap.dedent(serving).strip(), "  ")
    (root / "conf/base/parameters.yml").write_text(f"serving:\n  max_batch_size: 4\n{settings}\n")
    if trained:
        save_model(root, VERSION)
    return root


def rows() -> Any:
    """Rows to fit on and to score: sizes with a gap between the classes, missing values."""
    import pandas as pd

    size = [1.0, 2.0, 3.0, 4.0, None, 10.0, 11.0, 12.0, 13.0, 14.0] * 4
    colour = ["red", "blue", None, "red", "blue"] * 8
    label = ["small"] * 5 + ["big"] * 5
    return pd.DataFrame({"size": pd.array(size, dtype="float32"),
                         "colour": pd.Categorical(colour, categories=COLOURS),
                         "label": label * 4})


def fit() -> tuple[Any, Any]:
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    data = rows()
    transformers = ColumnTransformer([
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), ["size"]),
        ("categorical", make_pipeline(SimpleImputer(strategy="constant", fill_value="missing"),
                                      OneHotEncoder(handle_unknown="ignore", sparse_output=False,
                                                    dtype=np.float32)), ["colour"]),
    ], verbose_feature_names_out=False).fit(data[list(FEATURES)])
    features = pd.DataFrame(np.asarray(transformers.transform(data[list(FEATURES)]), np.float32),
                            columns=transformers.get_feature_names_out())
    return transformers, LogisticRegression().fit(features, data["label"])


def predict_frame(frame: Any, transformers: Any, model: Any, contract: Any = None) -> Any:
    """What a project's utils/scoring.py `predict_frame` returns: a label column, then one
    `probability_<class>` column per class."""
    import pandas as pd

    features = pd.DataFrame(np.asarray(transformers.transform(frame[list(FEATURES)]), np.float32),
                            columns=transformers.get_feature_names_out())
    probabilities = model.predict_proba(features).astype(np.float32)
    columns = {"predicted_label": model.classes_[probabilities.argmax(axis=1)]}
    columns.update({f"probability_{c}": probabilities[:, i] for i, c in enumerate(model.classes_)})
    return pd.DataFrame(columns, index=frame.index)


def save_model(root: Path, version: str) -> None:
    from kedro.io.core import Version

    from kedro_ml_starter.runtime.datasets import ModelPickleDataset, OnnxModelDataset
    from kedro_ml_starter.runtime.onnx_export import export_graph

    transformers, model = fit()
    saved = Version(None, version)
    ModelPickleDataset(filepath=str(root / "models/feature_transformers.pkl"),
                       version=saved).save(transformers)
    ModelPickleDataset(filepath=str(root / "models/model.pkl"), version=saved).save(model)
    graph = export_graph(transformers, model, FEATURES,
                         metadata={"trained_at": "2026-01-01T00:00:00+00:00"})
    OnnxModelDataset(filepath=str(root / "models/model.onnx"), version=saved).save(graph)


def save_verdict(root: Path, version: str, promoted: bool,
                 contract: dict | None = None) -> None:
    """Stage 04's verdict on `version`, as the evaluation stage saves it; `contract`: the
    signature of the data contract it was trained under (None: none recorded)."""
    from kedro_ml_starter.runtime.model_versions import ModelVersionsDataset
    from kedro_ml_starter.runtime.promotion import Comparison, PromotionSettings, judge

    criteria = {"criteria": {"accuracy": 0.9 if promoted else 1.01},
                "beat_naive_baseline": False, "no_worse_than_promoted": False}
    verdict = judge(version, {"accuracy": 0.95}, PromotionSettings.from_params(criteria),
                    Comparison(contract=contract or {}))
    pickles = "kedro_ml_starter.runtime.datasets.ModelPickleDataset"
    ModelVersionsDataset(filepath=str(root / "models/verdicts"), model={
        "type": pickles, "filepath": str(root / "models/model.pkl")}).save(verdict)


def create_app() -> Any:
    from kedro_ml_starter.runtime import create_app as create_serving_app

    return create_serving_app(title="Tiny", predict_frame=f"{__name__}:predict_frame",
                              project_path=Path(os.environ["TINY_PROJECT"]))
