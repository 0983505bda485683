"""A corpus of small, realistic Kedro projects for the leakage rules: leaks of the kinds
people commit, and clean projects that look like them.

Every project starts from one base (written here, not copied from anywhere): a
measurements table cleaned and split in stage 01, a column transformer fitted on the
train split in stage 02, a logistic regression in stage 03, metrics in stage 04, batch
scoring in stage 05, in the default layout. Node functions are plain pandas and
scikit-learn code, untagged, as people write them. A `Variant` changes one or two stages
(their `nodes.py`, or functions appended to it, and their `pipeline.py` node list), adds
catalog entries and files, and says which leakage findings (rule, node) the check must
report: none for a clean look-alike. tests/plugin/test_leak_corpus.py checks every
variant in lite and full mode.

Libraries other than pandas, numpy, scipy and scikit-learn are imported inside the
functions that use them, so full mode (which imports the stages for real) needs nothing
more than this repository's test environment.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from tests.plugin.trees import PACKAGE, layout_project, write

CATALOG = """\
raw_measurements:
  type: pandas.CSVDataset
  filepath: data/01_raw/measurements.csv

train_rows:
  type: pandas.ParquetDataset
  filepath: data/02_train/rows.parquet

eval_rows:
  type: pandas.ParquetDataset
  filepath: data/03_eval/rows.parquet

test_rows:
  type: pandas.ParquetDataset
  filepath: data/04_test/rows.parquet

feature_pipeline:
  type: pickle.PickleDataset
  filepath: models/feature_pipeline.pkl

train_features:
  type: pandas.ParquetDataset
  filepath: data/02_train/features.parquet

eval_features:
  type: pandas.ParquetDataset
  filepath: data/03_eval/features.parquet

test_features:
  type: pandas.ParquetDataset
  filepath: data/04_test/features.parquet

classifier:
  type: pickle.PickleDataset
  filepath: models/classifier.pkl

metrics:
  type: json.JSONDataset
  filepath: data/05_reporting/metrics.json

new_rows:
  type: pandas.CSVDataset
  filepath: data/06_scoring/new_rows.csv

predictions:
  type: pandas.CSVDataset
  filepath: data/06_scoring/predictions.csv
"""

PARAMETERS = """\
split:
  test_size: 0.2
  eval_size: 0.2
  seed: 7
training:
  C: 1.0
"""

COLUMNS = '''\
"""The columns of the measurements table."""

TARGET = "species"
NUMERIC = ["bill_length", "bill_depth", "flipper_length", "body_mass"]
CATEGORICAL = ["island", "sex"]
FEATURES = NUMERIC + CATEGORICAL
'''

HEADER = f'''\
import pandas as pd

from {PACKAGE}.utils.columns import CATEGORICAL, FEATURES, NUMERIC, TARGET
'''

PREPROCESSING = HEADER + '''\
from sklearn.model_selection import train_test_split


def clean(measurements: pd.DataFrame) -> pd.DataFrame:
    """Rows with a species and at least one measurement."""
    rows = measurements.dropna(subset=[TARGET])
    return rows[rows[NUMERIC].notna().any(axis=1)]


def split(rows: pd.DataFrame, parameters: dict) -> tuple:
    """Train, eval and test parts, stratified by species."""
    rest, test = train_test_split(rows, test_size=parameters["test_size"],
                                  stratify=rows[TARGET], random_state=parameters["seed"])
    train, evaluation = train_test_split(rest, test_size=parameters["eval_size"],
                                         stratify=rest[TARGET], random_state=parameters["seed"])
    return train, evaluation, test
'''

FEATURES = HEADER + '''\
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def fit_features(train: pd.DataFrame) -> ColumnTransformer:
    """Imputation, scaling and one-hot encoding, learned from the training rows."""
    transformer = ColumnTransformer([
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMERIC),
        ("categorical", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
    ])
    return transformer.fit(train[FEATURES])


def make_features(rows: pd.DataFrame, transformer: ColumnTransformer) -> pd.DataFrame:
    """Model inputs for one split, with its species kept."""
    features = pd.DataFrame(transformer.transform(rows[FEATURES]),
                            columns=transformer.get_feature_names_out(), index=rows.index)
    features[TARGET] = rows[TARGET]
    return features
'''

TRAINING = HEADER + '''\
from sklearn.linear_model import LogisticRegression


def train_model(train_features: pd.DataFrame, parameters: dict) -> LogisticRegression:
    """A logistic regression on the training features."""
    model = LogisticRegression(C=parameters["C"], max_iter=1000)
    model.fit(train_features.drop(columns=[TARGET]), train_features[TARGET])
    return model
'''

EVALUATION = HEADER + '''\
from sklearn.metrics import accuracy_score, f1_score


def evaluate(model, eval_features: pd.DataFrame, test_features: pd.DataFrame) -> dict:
    """Accuracy and macro F1 of each split."""
    return {"eval": _scores(model, eval_features), "test": _scores(model, test_features)}


def _scores(model, features: pd.DataFrame) -> dict:
    predicted = model.predict(features.drop(columns=[TARGET]))
    return {"accuracy": float(accuracy_score(features[TARGET], predicted)),
            "macro_f1": float(f1_score(features[TARGET], predicted, average="macro"))}
'''

SERVING = HEADER + '''\


def score_rows(new_rows: pd.DataFrame, transformer, model) -> pd.DataFrame:
    """The predicted species of each new row."""
    features = transformer.transform(new_rows[FEATURES])
    return pd.DataFrame({"prediction": model.predict(features)}, index=new_rows.index)
'''

TRANSFORMS = "\n".join(
    f'        Node(make_features, ["{split}_rows", "feature_pipeline"], "{split}_features",\n'
    f'             name="make_{split}_features"),'
    for split in ("train", "eval", "test")
)

STAGES = {
    "01_data_preprocessing": (PREPROCESSING, '''\
        Node(clean, "raw_measurements", "clean_measurements", name="clean"),
        Node(split, ["clean_measurements", "params:split"],
             ["train_rows", "eval_rows", "test_rows"], name="split"),'''),
    "02_feature_engineering": (FEATURES, '''\
        Node(fit_features, "train_rows", "feature_pipeline", name="fit_features"),
''' + TRANSFORMS),
    "03_model_training": (TRAINING, '''\
        Node(train_model, ["train_features", "params:training"], "classifier",
             name="train_model"),'''),
    "04_model_evaluation": (EVALUATION, '''\
        Node(evaluate, ["classifier", "eval_features", "test_features"], "metrics",
             name="evaluate"),'''),
    "05_api": (SERVING, '''\
        Node(score_rows, ["new_rows", "feature_pipeline", "classifier"], "predictions",
             name="score_rows"),'''),
}

PIPELINE = '''\
from kedro.pipeline import Node, Pipeline

from .nodes import *  # noqa: F403


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline([
{nodes}
    ])
'''


@dataclass(frozen=True)
class Stage:
    """A stage's changes: its whole `nodes.py`, or functions appended to the base one; and
    its `pipeline.py` node list (the base one when None)."""

    nodes: str | None = None
    extra: str = ""
    pipeline: str | None = None


@dataclass(frozen=True)
class Variant:
    """A project of the corpus, and the leakage findings (rule, node) it must get."""

    name: str
    story: str
    expected: frozenset[tuple[str, str]] = frozenset()
    stages: dict[str, Stage] = field(default_factory=dict)
    catalog: str = ""
    files: dict[str, str] = field(default_factory=dict)

    @property
    def leaks(self) -> bool:
        return bool(self.expected)


def build(parent: Path, variant: Variant) -> Path:
    """The variant's project under `parent`; returns its root."""
    root = layout_project(parent, variant.name.replace("_", "-"))
    write(root, "conf/base/catalog.yml", CATALOG + textwrap.dedent(variant.catalog))
    write(root, "conf/base/parameters.yml", PARAMETERS)
    write(root, f"src/{PACKAGE}/utils/columns.py", COLUMNS)
    for path, text in variant.files.items():
        write(root, path.format(package=PACKAGE), textwrap.dedent(text).lstrip())
    for folder, (nodes, pipeline) in STAGES.items():
        change = variant.stages.get(folder, Stage())
        text = textwrap.dedent(change.nodes) if change.nodes is not None else nodes
        if change.extra:
            text += "\n\n" + textwrap.dedent(change.extra).strip("\n") + "\n"
        stage = root / "src" / PACKAGE / "pipelines" / folder
        (stage / "nodes.py").write_text(text)
        body = textwrap.indent(textwrap.dedent(change.pipeline).strip("\n"), " " * 8) \
            if change.pipeline is not None else pipeline
        (stage / "pipeline.py").write_text(PIPELINE.format(nodes=body))
    return root


def _variants(*variants: Variant) -> dict[str, Variant]:
    return {variant.name: variant for variant in variants}


# -- leaks ---------------------------------------------------------------------------------

ENCODED_FEATURES = '''\
def make_features(rows: pd.DataFrame, transformer: ColumnTransformer,
                  island_rates: dict) -> pd.DataFrame:
    """Model inputs for one split, with each island's share of Adelie penguins."""
    features = pd.DataFrame(transformer.transform(rows[FEATURES]),
                            columns=transformer.get_feature_names_out(), index=rows.index)
    features["island_rate"] = rows["island"].map(island_rates).fillna(0.0)
    features[TARGET] = rows[TARGET]
    return features
'''


def _transforms(*extra: str) -> str:
    inputs = ", ".join(f'"{name}"' for name in ("feature_pipeline", *extra))
    return "\n".join(
        f'Node(make_features, ["{split}_rows", {inputs}], "{split}_features", '
        f'name="make_{split}_features"),'
        for split in ("train", "eval", "test")
    )


def _intermediate_split(fit_on: str) -> dict:
    """Stages 01-04 of a project that splits into X/y parts stored in data/02_intermediate
    (no eval part), its scaler fitted on `fit_on`."""
    return {"stages": {
        "01_data_preprocessing": Stage(extra='''
            def split_xy(rows: pd.DataFrame, parameters: dict) -> tuple:
                return train_test_split(rows[FEATURES], rows[TARGET],
                                        test_size=parameters["test_size"],
                                        random_state=parameters["seed"])
            ''', pipeline='''
            Node(clean, "raw_measurements", "clean_measurements", name="clean"),
            Node(split_xy, ["clean_measurements", "params:split"],
                 ["X_train", "X_test", "y_train", "y_test"], name="split"),
            '''),
        "02_feature_engineering": Stage(nodes=HEADER + '''

            def fit_features(X: pd.DataFrame):
                from sklearn.preprocessing import StandardScaler

                return StandardScaler().fit(X[NUMERIC])


            def make_matrix(X: pd.DataFrame, scaler) -> pd.DataFrame:
                return pd.DataFrame(scaler.transform(X[NUMERIC]), index=X.index)
            '''.replace("\n            ", "\n"), pipeline=f'''
            Node(fit_features, "{fit_on}", "feature_pipeline", name="fit_features"),
            Node(make_matrix, ["X_train", "feature_pipeline"], "train_matrix",
                 name="make_train_matrix"),
            Node(make_matrix, ["X_test", "feature_pipeline"], "test_matrix",
                 name="make_test_matrix"),
            '''),
        "03_model_training": Stage(extra='''
            def fit_classifier(X: pd.DataFrame, y: pd.Series) -> LogisticRegression:
                return LogisticRegression(max_iter=1000).fit(X, y)
            ''', pipeline='''
            Node(fit_classifier, ["train_matrix", "y_train"], "classifier", name="train_model"),
            '''),
        "04_model_evaluation": Stage(extra='''
            def test_accuracy(model, X: pd.DataFrame, y: pd.Series) -> dict:
                return {"accuracy": float(accuracy_score(y, model.predict(X)))}
            ''', pipeline='''
            Node(test_accuracy, ["classifier", "test_matrix", "y_test"], "metrics",
                 name="evaluate"),
            '''),
    }, "catalog": "".join(
        f"\n{name}:\n  type: pickle.PickleDataset\n  filepath: data/02_intermediate/{name}.pkl\n"
        for name in ("X_train", "X_test", "y_train", "y_test"))}


def _early_stopping(split: str) -> dict:
    """Stage 03 boosts on the train features, its rounds stopped by the score on the
    features of `split` (eval: model selection; test: a choice made on the test split)."""
    return {"stages": {"03_model_training": Stage(nodes=HEADER + f'''

        def train_model(train_features: pd.DataFrame, {split}_features: pd.DataFrame):
            from lightgbm import LGBMClassifier

            model = LGBMClassifier(n_estimators=500)
            model.fit(train_features.drop(columns=[TARGET]), train_features[TARGET],
                      eval_set=[({split}_features.drop(columns=[TARGET]),
                                 {split}_features[TARGET])])
            return model
        '''.replace("\n        ", "\n"), pipeline=f'''
        Node(train_model, ["train_features", "{split}_features"], "classifier",
             name="train_model"),
        ''')}}


BASE_SPLIT = '''\
Node(clean, "raw_measurements", "clean_measurements", name="clean"),
Node(split, ["clean_measurements", "params:split"], ["train_rows", "eval_rows", "test_rows"],
     name="split"),
'''

LEAKS = _variants(
    Variant(
        "target_encoding_before_the_split",
        "each island's share of a species, computed on every row, encodes the island",
        frozenset({("KL405", "train_model")}),
        {
            "01_data_preprocessing": Stage(extra='''
                def island_rates(rows: pd.DataFrame) -> dict:
                    """The share of Adelie penguins on each island."""
                    return rows.groupby("island")[TARGET].agg(
                        lambda species: (species == "Adelie").mean()).to_dict()
                ''', pipeline=BASE_SPLIT + '''
                Node(island_rates, "clean_measurements", "island_rates", name="island_rates"),
                '''),
            "02_feature_engineering": Stage(
                nodes=FEATURES.replace(FEATURES[FEATURES.index("def make_features"):],
                                       ENCODED_FEATURES),
                pipeline='Node(fit_features, "train_rows", "feature_pipeline", '
                         'name="fit_features"),\n' + _transforms("island_rates")),
        },
    ),
    Variant(
        "imputation_before_the_split",
        "missing measurements filled with the medians of every row, then split",
        frozenset({("KL405", "fit_features")}),
        {"01_data_preprocessing": Stage(nodes=PREPROCESSING.replace(
            '    return rows[rows[NUMERIC].notna().any(axis=1)]',
            '    rows = rows[rows[NUMERIC].notna().any(axis=1)]\n'
            '    return rows.fillna(rows[NUMERIC].median())'))},
    ),
    Variant(
        "imputation_values_kept_in_models",
        "medians of every row stored in models/ and used to fill each split",
        frozenset({("KL405", "fit_features")}),
        {
            "01_data_preprocessing": Stage(extra='''
                def imputation_values(rows: pd.DataFrame) -> dict:
                    """The median of each measurement."""
                    return {column: float(rows[column].median()) for column in NUMERIC}
                ''', pipeline=BASE_SPLIT + '''
                Node(imputation_values, "clean_measurements", "imputation_values",
                     name="imputation_values"),
                '''),
            "02_feature_engineering": Stage(extra='''
                def impute(rows: pd.DataFrame, values: dict) -> pd.DataFrame:
                    return rows.fillna(values)
                ''', pipeline='''
                Node(impute, ["train_rows", "imputation_values"], "train_imputed",
                     name="impute_train"),
                Node(fit_features, "train_imputed", "feature_pipeline", name="fit_features"),
                ''' + _transforms()),
        },
        catalog='''
            imputation_values:
              type: json.JSONDataset
              filepath: models/imputation_values.json
            ''',
    ),
    Variant(
        "feature_selection_with_the_target_before_the_split",
        "the measurements most informative of the species, chosen on every row",
        frozenset({("KL405", "fit_features")}),
        {
            "01_data_preprocessing": Stage(extra='''
                def select_measurements(rows: pd.DataFrame) -> list:
                    """The two measurements that say most about the species."""
                    from sklearn.feature_selection import mutual_info_classif

                    complete = rows.dropna(subset=NUMERIC)
                    scores = mutual_info_classif(complete[NUMERIC], complete[TARGET])
                    ranked = sorted(zip(scores, NUMERIC), reverse=True)
                    return [column for _, column in ranked[:2]]
                ''', pipeline=BASE_SPLIT + '''
                Node(select_measurements, "clean_measurements", "selected_measurements",
                     name="select_measurements"),
                '''),
            "02_feature_engineering": Stage(nodes=FEATURES.replace(
                'def fit_features(train: pd.DataFrame) -> ColumnTransformer:',
                'def fit_features(train: pd.DataFrame, selected: list) -> ColumnTransformer:'
            ).replace('("numeric", make_pipeline(SimpleImputer(strategy="median"), '
                      'StandardScaler()), NUMERIC)',
                      '("numeric", make_pipeline(SimpleImputer(strategy="median"), '
                      'StandardScaler()), selected)'),
                pipeline='Node(fit_features, ["train_rows", "selected_measurements"], '
                         '"feature_pipeline", name="fit_features"),\n' + _transforms()),
        },
        catalog='''
            selected_measurements:
              type: json.JSONDataset
              filepath: data/05_reporting/selected_measurements.json
            ''',
    ),
    Variant(
        "scaler_fitted_before_the_split",
        "measurements standardised with fit_transform on every row, then split",
        frozenset({("KL404", "standardise")}),
        {"01_data_preprocessing": Stage(extra='''
            def standardise(rows: pd.DataFrame) -> pd.DataFrame:
                from sklearn.preprocessing import StandardScaler

                scaled = rows.copy()
                scaled[NUMERIC] = StandardScaler().fit_transform(rows[NUMERIC])
                return scaled
            ''', pipeline='''
            Node(clean, "raw_measurements", "clean_measurements", name="clean"),
            Node(standardise, "clean_measurements", "standardised", name="standardise"),
            Node(split, ["standardised", "params:split"], ["train_rows", "eval_rows",
                 "test_rows"], name="split"),
            ''')},
    ),
    Variant(
        "transformer_fitted_on_train_and_test",
        "the feature pipeline fitted on the train and test rows together",
        frozenset({("KL402", "fit_features")}),
        {"02_feature_engineering": Stage(nodes=FEATURES.replace(
            '''def fit_features(train: pd.DataFrame) -> ColumnTransformer:''',
            '''def fit_features(train: pd.DataFrame, test: pd.DataFrame) -> ColumnTransformer:'''
        ).replace('    return transformer.fit(train[FEATURES])',
                  '    return transformer.fit(pd.concat([train, test])[FEATURES])'),
            pipeline='Node(fit_features, ["train_rows", "test_rows"], "feature_pipeline", '
                     'name="fit_features"),\n' + _transforms())},
    ),
    Variant(
        "refit_on_the_test_split",
        "evaluation refits the classifier on the test features before scoring it",
        frozenset({("KL402", "evaluate")}),
        {"04_model_evaluation": Stage(nodes=EVALUATION.replace(
            '    return {"eval": _scores(model, eval_features), "test": _scores(model, '
            'test_features)}',
            '    model.fit(test_features.drop(columns=[TARGET]), test_features[TARGET])\n'
            '    return {"eval": _scores(model, eval_features), "test": _scores(model, '
            'test_features)}'))},
    ),
    Variant(
        "regularisation_tuned_on_the_test_split",
        "C chosen by test accuracy, stored in 05_reporting, read by training",
        frozenset({("KL406", "train_model")}),
        {"03_model_training": Stage(extra='''
            def tune_c(train_features: pd.DataFrame, test_features: pd.DataFrame) -> dict:
                """The C of the best test accuracy."""
                from sklearn.metrics import accuracy_score

                scores = {}
                for c in (0.01, 0.1, 1.0, 10.0):
                    model = LogisticRegression(C=c, max_iter=1000)
                    model.fit(train_features.drop(columns=[TARGET]), train_features[TARGET])
                    predicted = model.predict(test_features.drop(columns=[TARGET]))
                    scores[c] = accuracy_score(test_features[TARGET], predicted)
                return {"C": max(scores, key=scores.get)}
            ''', pipeline='''
            Node(tune_c, ["train_features", "test_features"], "best_params", name="tune_c"),
            Node(train_model, ["train_features", "best_params"], "classifier",
                 name="train_model"),
            ''')},
        catalog='''
            best_params:
              type: json.JSONDataset
              filepath: data/05_reporting/best_params.json
            ''',
    ),
    Variant(
        "threshold_tuned_on_the_test_split_and_served",
        "a decision threshold tuned on test, kept in models/, used by batch scoring",
        frozenset({("KL406", "score_rows")}),
        {
            "04_model_evaluation": Stage(extra='''
                def tune_threshold(model, test_features: pd.DataFrame) -> dict:
                    """The probability threshold of the best F1 for the Adelie class."""
                    import numpy as np

                    probabilities = model.predict_proba(test_features.drop(columns=[TARGET]))[:, 0]
                    truth = test_features[TARGET] == "Adelie"
                    best = max(np.linspace(0.1, 0.9, 17),
                               key=lambda t: f1_score(truth, probabilities >= t))
                    return {"threshold": float(best)}
                ''', pipeline='''
                Node(evaluate, ["classifier", "eval_features", "test_features"], "metrics",
                     name="evaluate"),
                Node(tune_threshold, ["classifier", "test_features"], "threshold",
                     name="tune_threshold"),
                '''),
            "05_api": Stage(nodes=SERVING + '''

                def score_with_threshold(new_rows: pd.DataFrame, transformer, model,
                                         threshold: dict) -> pd.DataFrame:
                    features = transformer.transform(new_rows[FEATURES])
                    adelie = model.predict_proba(features)[:, 0] >= threshold["threshold"]
                    return pd.DataFrame({"adelie": adelie}, index=new_rows.index)
                '''.replace("\n                ", "\n"), pipeline='''
                Node(score_with_threshold, ["new_rows", "feature_pipeline", "classifier",
                     "threshold"], "predictions", name="score_rows"),
                '''),
        },
        catalog='''
            threshold:
              type: json.JSONDataset
              filepath: models/threshold.json
            ''',
    ),
    Variant(
        "early_stopping_on_the_test_split",
        "boosting rounds stopped by the score on the test features",
        frozenset({("KL406", "train_model")}),
        **_early_stopping("test"),
    ),
    Variant(
        "calibration_on_the_test_split",
        "a learner moved to the evaluation stage: probabilities calibrated on test",
        frozenset({("KL402", "calibrate")}),
        {"04_model_evaluation": Stage(extra='''
            def calibrate(model, test_features: pd.DataFrame):
                from sklearn.calibration import CalibratedClassifierCV

                calibrated = CalibratedClassifierCV(model, cv="prefit")
                return calibrated.fit(test_features.drop(columns=[TARGET]),
                                      test_features[TARGET])
            ''', pipeline='''
            Node(evaluate, ["classifier", "eval_features", "test_features"], "metrics",
                 name="evaluate"),
            Node(calibrate, ["classifier", "test_features"], "calibrated_classifier",
                 name="calibrate"),
            ''')},
        catalog='''
            calibrated_classifier:
              type: pickle.PickleDataset
              filepath: models/calibrated_classifier.pkl
            ''',
    ),
    Variant(
        "projection_fitted_in_preprocessing",
        "a learner moved before the split: a PCA of every row, applied to each split",
        frozenset({("KL404", "fit_projection")}),
        {
            "01_data_preprocessing": Stage(extra='''
                def fit_projection(rows: pd.DataFrame):
                    from sklearn.decomposition import PCA

                    return PCA(n_components=2).fit(rows[NUMERIC].fillna(0.0))
                ''', pipeline=BASE_SPLIT + '''
                Node(fit_projection, "clean_measurements", "projection",
                     name="fit_projection"),
                '''),
            "02_feature_engineering": Stage(extra='''
                def add_projection(features: pd.DataFrame, rows: pd.DataFrame,
                                   projection) -> pd.DataFrame:
                    components = projection.transform(rows[NUMERIC].fillna(0.0))
                    return features.assign(pc1=components[:, 0], pc2=components[:, 1])
                ''', pipeline='''
                Node(fit_features, "train_rows", "feature_pipeline", name="fit_features"),
                Node(make_features, ["train_rows", "feature_pipeline"], "train_base",
                     name="make_train_features"),
                Node(add_projection, ["train_base", "train_rows", "projection"],
                     "train_features", name="add_train_projection"),
                Node(make_features, ["eval_rows", "feature_pipeline"], "eval_features",
                     name="make_eval_features"),
                Node(make_features, ["test_rows", "feature_pipeline"], "test_features",
                     name="make_test_features"),
                '''),
        },
        catalog='''
            projection:
              type: pickle.PickleDataset
              filepath: models/projection.pkl
            ''',
    ),
    Variant(
        "fit_two_helpers_deep_on_the_cleaned_rows",
        "the feature pipeline fitted, through two helpers in utils/, on the cleaned table",
        frozenset({("KL404", "fit_features")}),
        {"02_feature_engineering": Stage(nodes=HEADER + '''
            from {package}.utils.transformers import fitted_transformer


            def fit_features(rows: pd.DataFrame):
                return fitted_transformer(rows[FEATURES])


            def make_features(rows: pd.DataFrame, transformer) -> pd.DataFrame:
                features = pd.DataFrame(transformer.transform(rows[FEATURES]), index=rows.index)
                features[TARGET] = rows[TARGET]
                return features
            '''.replace("\n            ", "\n").format(package=PACKAGE),
            pipeline='Node(fit_features, "clean_measurements", "feature_pipeline", '
                     'name="fit_features"),\n' + _transforms())},
        files={"src/{package}/utils/transformers.py": '''
            """The feature pipeline, built and fitted in one place."""

            from sklearn.preprocessing import StandardScaler


            def fitted_transformer(frame):
                transformer = StandardScaler()
                _fit(transformer, frame)
                return transformer


            def _fit(transformer, frame):
                transformer.fit(frame)
            '''},
    ),
    Variant(
        "training_on_the_in_memory_test_part",
        "training splits its features in memory, then fits on X_test, y_test",
        frozenset({("KL402", "train_model")}),
        {"03_model_training": Stage(nodes=TRAINING + '''

            def split_holdout(features: pd.DataFrame, parameters: dict) -> tuple:
                from sklearn.model_selection import train_test_split

                return train_test_split(features.drop(columns=[TARGET]), features[TARGET],
                                        test_size=0.25, random_state=parameters["seed"])


            def fit_classifier(X: pd.DataFrame, y: pd.Series):
                return LogisticRegression(max_iter=1000).fit(X, y)
            '''.replace("\n            ", "\n"), pipeline='''
            Node(split_holdout, ["train_features", "params:split"],
                 ["X_train", "X_test", "y_train", "y_test"], name="split_holdout"),
            Node(fit_classifier, ["X_test", "y_test"], "classifier", name="train_model"),
            ''')},
    ),
    Variant(
        "named_split_in_an_intermediate_folder_fitted_on_test",
        "a split written to data/02_intermediate by name; the scaler is fitted on X_test",
        frozenset({("KL402", "fit_features")}),
        **_intermediate_split("X_test"),
    ),
)

LEAKS |= _variants(
    Variant(
        "oversampling_before_the_split",
        "SMOTE on every row, then split: synthetic test rows are made from training rows",
        frozenset({("KL404", "balance")}),
        {"01_data_preprocessing": Stage(extra='''
            def balance(rows: pd.DataFrame) -> pd.DataFrame:
                from imblearn.over_sampling import SMOTE

                complete = rows.dropna(subset=NUMERIC)
                X, y = SMOTE(random_state=0).fit_resample(complete[NUMERIC], complete[TARGET])
                return X.assign(**{TARGET: y})
            ''', pipeline='''
            Node(clean, "raw_measurements", "clean_measurements", name="clean"),
            Node(balance, "clean_measurements", "balanced", name="balance"),
            Node(split, ["balanced", "params:split"], ["train_rows", "eval_rows", "test_rows"],
                 name="split"),
            ''')},
    ),
    Variant(
        "medians_two_helpers_deep_before_the_split",
        "cleaning fills gaps through utils helpers whose inner one takes medians of every row",
        frozenset({("KL405", "fit_features")}),
        {"01_data_preprocessing": Stage(nodes=PREPROCESSING.replace(
            "from sklearn.model_selection import train_test_split",
            f"from sklearn.model_selection import train_test_split\n\n"
            f"from {PACKAGE}.utils.gaps import fill_gaps").replace(
            '    return rows[rows[NUMERIC].notna().any(axis=1)]',
            '    return fill_gaps(rows[rows[NUMERIC].notna().any(axis=1)])'))},
        files={"src/{package}/utils/gaps.py": '''
            """Missing measurements."""

            from .columns import NUMERIC


            def fill_gaps(rows):
                return rows.fillna(_typical(rows))


            def _typical(rows):
                return rows[NUMERIC].median()
            '''},
    ),
    Variant(
        "vocabulary_of_every_row_kept_in_models",
        "the categories of every row, stored in models/, fix the encoder's columns",
        frozenset({("KL405", "fit_features")}),
        {
            "01_data_preprocessing": Stage(extra='''
                def vocabulary(rows: pd.DataFrame) -> dict:
                    return {column: sorted(rows[column].dropna().unique()) for column in CATEGORICAL}
                ''', pipeline=BASE_SPLIT + '''
                Node(vocabulary, "clean_measurements", "vocabulary", name="vocabulary"),
                '''),
            "02_feature_engineering": Stage(nodes=FEATURES.replace(
                'def fit_features(train: pd.DataFrame) -> ColumnTransformer:',
                'def fit_features(train: pd.DataFrame, vocabulary: dict) -> ColumnTransformer:'
            ).replace('OneHotEncoder(handle_unknown="ignore")',
                      'OneHotEncoder(categories=[vocabulary[c] for c in CATEGORICAL])'),
                pipeline='Node(fit_features, ["train_rows", "vocabulary"], '
                         '"feature_pipeline", name="fit_features"),\n' + _transforms()),
        },
        catalog='''
            vocabulary:
              type: json.JSONDataset
              filepath: models/vocabulary.json
            ''',
    ),
    Variant(
        "imputer_fitted_with_the_eval_rows",
        "the feature pipeline learns its medians from the train and eval rows",
        frozenset({("KL402", "fit_features")}),
        {"02_feature_engineering": Stage(nodes=FEATURES.replace(
            '''def fit_features(train: pd.DataFrame) -> ColumnTransformer:''',
            '''def fit_features(train: pd.DataFrame, evaluation: pd.DataFrame
                 ) -> ColumnTransformer:'''
        ).replace('    return transformer.fit(train[FEATURES])',
                  '    return transformer.fit(pd.concat([train, evaluation])[FEATURES])'),
            pipeline='Node(fit_features, ["train_rows", "eval_rows"], "feature_pipeline", '
                     'name="fit_features"),\n' + _transforms())},
    ),
    Variant(
        "model_chosen_on_the_test_split_and_kept",
        "the better of two models on test accuracy is pickled to models/",
        frozenset({("KL406", "choose_model")}),
        **{"stages": {
            "03_model_training": Stage(extra='''
                def train_baseline(train_features: pd.DataFrame):
                    from sklearn.dummy import DummyClassifier

                    return DummyClassifier().fit(train_features.drop(columns=[TARGET]),
                                                 train_features[TARGET])
                ''', pipeline='''
                Node(train_model, ["train_features", "params:training"], "classifier",
                     name="train_model"),
                Node(train_baseline, "train_features", "baseline", name="train_baseline"),
                '''),
            "04_model_evaluation": Stage(extra='''
                def choose_model(model, baseline, test_features: pd.DataFrame):
                    """The better of the two on the test rows."""
                    X, y = test_features.drop(columns=[TARGET]), test_features[TARGET]
                    if accuracy_score(y, model.predict(X)) >= accuracy_score(y, baseline.predict(X)):
                        return model
                    return baseline
                ''', pipeline='''
                Node(evaluate, ["classifier", "eval_features", "test_features"], "metrics",
                     name="evaluate"),
                Node(choose_model, ["classifier", "baseline", "test_features"], "best_model",
                     name="choose_model"),
                '''),
        }, "catalog": '''
            baseline:
              type: pickle.PickleDataset
              filepath: models/baseline.pkl

            best_model:
              type: pickle.PickleDataset
              filepath: models/best_model.pkl
            '''},
    ),
    Variant(
        "means_of_every_row_fill_gaps_when_serving",
        "batch scoring fills missing values with means of every row, kept in models/",
        frozenset({("KL405", "score_rows")}),
        {
            "01_data_preprocessing": Stage(extra='''
                def fill_values(rows: pd.DataFrame) -> dict:
                    return rows[NUMERIC].mean().to_dict()
                ''', pipeline=BASE_SPLIT + '''
                Node(fill_values, "clean_measurements", "fill_values", name="fill_values"),
                '''),
            "05_api": Stage(nodes=SERVING.replace(
                "def score_rows(new_rows: pd.DataFrame, transformer, model) -> pd.DataFrame:",
                "def score_rows(new_rows: pd.DataFrame, transformer, model, fill: dict"
                ") -> pd.DataFrame:").replace(
                "    features = transformer.transform(new_rows[FEATURES])",
                "    features = transformer.transform(new_rows[FEATURES].fillna(fill))"),
                pipeline='''
                Node(score_rows, ["new_rows", "feature_pipeline", "classifier", "fill_values"],
                     "predictions", name="score_rows"),
                '''),
        },
        catalog='''
            fill_values:
              type: json.JSONDataset
              filepath: models/fill_values.json
            ''',
    ),
)


# -- clean look-alikes -------------------------------------------------------------------------

CLEAN = _variants(
    Variant("the_base_project", "the base, untagged"),
    Variant(
        "a_report_on_the_raw_data",
        "statistics of every raw row, for a person to read; nothing reads them back",
        stages={"01_data_preprocessing": Stage(extra='''
            def profile(measurements: pd.DataFrame) -> dict:
                """Counts, missing shares and distributions of the raw table."""
                return {
                    "rows": len(measurements),
                    "missing": measurements.isna().mean().to_dict(),
                    "species": measurements[TARGET].value_counts().to_dict(),
                    "numeric": measurements[NUMERIC].describe().to_dict(),
                }
            ''', pipeline=BASE_SPLIT + '''
            Node(profile, "raw_measurements", "raw_profile", name="profile"),
            ''')},
        catalog='''
            raw_profile:
              type: json.JSONDataset
              filepath: data/05_reporting/raw_profile.json
            ''',
    ),
    Variant(
        "cross_validation_on_the_train_split",
        "five-fold cross-validation scores of the training features, reported",
        stages={"03_model_training": Stage(extra='''
            def cross_validate(train_features: pd.DataFrame, parameters: dict) -> dict:
                from sklearn.model_selection import cross_val_score

                model = LogisticRegression(C=parameters["C"], max_iter=1000)
                scores = cross_val_score(model, train_features.drop(columns=[TARGET]),
                                         train_features[TARGET], cv=5)
                return {"mean": float(scores.mean()), "std": float(scores.std())}
            ''', pipeline='''
            Node(train_model, ["train_features", "params:training"], "classifier",
                 name="train_model"),
            Node(cross_validate, ["train_features", "params:training"], "cv_scores",
                 name="cross_validate"),
            ''')},
        catalog='''
            cv_scores:
              type: json.JSONDataset
              filepath: data/05_reporting/cv_scores.json
            ''',
    ),
    Variant(
        "test_metrics_and_their_figure",
        "eval and test metrics, and a bar chart drawn from them",
        stages={"04_model_evaluation": Stage(extra='''
            def plot_metrics(metrics: dict):
                import matplotlib.pyplot as plt

                figure, axes = plt.subplots()
                axes.bar(list(metrics), [split["accuracy"] for split in metrics.values()])
                return figure
            ''', pipeline='''
            Node(evaluate, ["classifier", "eval_features", "test_features"], "metrics",
                 name="evaluate"),
            Node(plot_metrics, "metrics", "metrics_plot", name="plot_metrics"),
            ''')},
        catalog='''
            metrics_plot:
              type: matplotlib.MatplotlibDataset
              filepath: data/05_reporting/metrics.png
            ''',
    ),
    Variant(
        "target_encoding_from_the_train_split",
        "each island's share of a species, learned from the training rows, encodes every split",
        stages={"02_feature_engineering": Stage(
            nodes=FEATURES.replace(FEATURES[FEATURES.index("def make_features"):],
                                   ENCODED_FEATURES),
            extra='''
            def island_rates(train: pd.DataFrame) -> dict:
                return train.groupby("island")[TARGET].agg(
                    lambda species: (species == "Adelie").mean()).to_dict()
            ''', pipeline='''
            Node(island_rates, "train_rows", "island_rates", name="island_rates"),
            Node(fit_features, "train_rows", "feature_pipeline", name="fit_features"),
            ''' + _transforms("island_rates"))},
        catalog='''
            island_rates:
              type: json.JSONDataset
              filepath: models/island_rates.json
            ''',
    ),
    Variant(
        "test_scores_kept_in_models_that_nothing_reads",
        "a record of test scores written next to the model; nothing reads it",
        stages={"04_model_evaluation": Stage(pipeline='''
            Node(evaluate, ["classifier", "eval_features", "test_features"], "model_scores",
                 name="evaluate"),
            ''')},
        catalog='''
            model_scores:
              type: json.JSONDataset
              filepath: models/model_scores.json
            ''',
    ),
    Variant(
        "split_settings_built_from_parameters",
        "the split reads settings a node builds from parameters alone",
        stages={"01_data_preprocessing": Stage(extra='''
            def split_settings(parameters: dict) -> dict:
                sizes = [parameters["test_size"], parameters["eval_size"]]
                return {**parameters, "total_held_out": sum(sizes)}
            ''', pipeline='''
            Node(split_settings, "params:split", "split_settings", name="split_settings"),
            Node(clean, "raw_measurements", "clean_measurements", name="clean"),
            Node(split, ["clean_measurements", "split_settings"],
                 ["train_rows", "eval_rows", "test_rows"], name="split"),
            ''')},
    ),
    Variant(
        "a_training_node_that_only_drops_a_column",
        "the training stage drops an identifier column of the cleaned table before training",
        stages={"03_model_training": Stage(extra='''
            def drop_identifier(rows: pd.DataFrame) -> pd.DataFrame:
                return rows.drop(columns=["sex"])
            ''', pipeline='''
            Node(drop_identifier, "clean_measurements", "table_without_identifier",
                 name="drop_identifier"),
            Node(train_model, ["train_features", "params:training"], "classifier",
                 name="train_model"),
            ''')},
    ),
    Variant(
        "statistics_logged_while_cleaning",
        "cleaning logs missing shares and refuses a table with too many; it changes no value",
        stages={"01_data_preprocessing": Stage(nodes=PREPROCESSING.replace(
            '''    rows = measurements.dropna(subset=[TARGET])''',
            '''    import logging

    missing = measurements[NUMERIC].isna().mean()
    logging.getLogger(__name__).info("missing shares: %s", missing.to_dict())
    if missing.max() > 0.5:
        raise ValueError(f"too many missing measurements: {missing.to_dict()}")
    rows = measurements.dropna(subset=[TARGET])'''))},
    ),
    Variant(
        "row_wise_features_before_the_split",
        "ratios and a per-row mean of the measurements, computed before the split",
        stages={"01_data_preprocessing": Stage(nodes=PREPROCESSING.replace(
            '    return rows[rows[NUMERIC].notna().any(axis=1)]',
            '    rows = rows[rows[NUMERIC].notna().any(axis=1)].copy()\n'
            '    rows["bill_ratio"] = rows["bill_length"] / rows["bill_depth"]\n'
            '    rows["size"] = rows[NUMERIC].mean(axis=1)\n'
            '    return rows'))},
    ),
    Variant(
        "constant_columns_dropped_before_the_split",
        "cleaning drops columns with one value; a statistic steers, no value is learned",
        stages={"01_data_preprocessing": Stage(nodes=PREPROCESSING.replace(
            '    return rows[rows[NUMERIC].notna().any(axis=1)]',
            '    for column in list(rows.columns):\n'
            '        if rows[column].nunique() <= 1:\n'
            '            rows = rows.drop(columns=[column])\n'
            '    return rows[rows[NUMERIC].notna().any(axis=1)]'))},
    ),
    Variant(
        "early_stopping_on_the_eval_split",
        "boosting rounds stopped by the score on the eval features (model selection)",
        **_early_stopping("eval"),
    ),
    Variant(
        "model_chosen_on_the_eval_split_and_served",
        "the better of two models on eval accuracy is kept and served",
        stages={
            "03_model_training": LEAKS["model_chosen_on_the_test_split_and_kept"].stages[
                "03_model_training"],
            "04_model_evaluation": Stage(extra='''
                def choose_model(model, baseline, eval_features: pd.DataFrame):
                    X, y = eval_features.drop(columns=[TARGET]), eval_features[TARGET]
                    if accuracy_score(y, model.predict(X)) >= accuracy_score(y, baseline.predict(X)):
                        return model
                    return baseline
                ''', pipeline='''
                Node(evaluate, ["classifier", "eval_features", "test_features"], "metrics",
                     name="evaluate"),
                Node(choose_model, ["classifier", "baseline", "eval_features"], "best_model",
                     name="choose_model"),
                '''),
            "05_api": Stage(pipeline='''
                Node(score_rows, ["new_rows", "feature_pipeline", "best_model"], "predictions",
                     name="score_rows"),
                '''),
        },
        catalog=LEAKS["model_chosen_on_the_test_split_and_kept"].catalog,
    ),
    Variant(
        "threshold_tuned_on_the_eval_split_and_served",
        "a decision threshold tuned on eval, kept in models/, used by batch scoring",
        stages={
            "04_model_evaluation": Stage(
                extra=LEAKS["threshold_tuned_on_the_test_split_and_served"].stages[
                    "04_model_evaluation"].extra.replace("test_features", "eval_features"),
                pipeline='''
                Node(evaluate, ["classifier", "eval_features", "test_features"], "metrics",
                     name="evaluate"),
                Node(tune_threshold, ["classifier", "eval_features"], "threshold",
                     name="tune_threshold"),
                '''),
            "05_api": LEAKS["threshold_tuned_on_the_test_split_and_served"].stages["05_api"],
        },
        catalog=LEAKS["threshold_tuned_on_the_test_split_and_served"].catalog,
    ),
    Variant(
        "a_name_another_stage_also_writes",
        "features and serving each build a `model_input` of their own; neither reads the other's",
        stages={
            "02_feature_engineering": Stage(extra='''
                def select_columns(rows: pd.DataFrame) -> pd.DataFrame:
                    return rows[FEATURES + [TARGET]]
                ''', pipeline='''
                Node(select_columns, "train_rows", "model_input", name="select_columns"),
                Node(fit_features, "model_input", "feature_pipeline", name="fit_features"),
                ''' + _transforms()),
            "05_api": Stage(extra='''
                def select_new_columns(rows: pd.DataFrame) -> pd.DataFrame:
                    return rows[FEATURES]
                ''', pipeline='''
                Node(select_new_columns, "new_rows", "model_input", name="select_new_columns"),
                Node(score_rows, ["model_input", "feature_pipeline", "classifier"],
                     "predictions", name="score_rows"),
                '''),
        },
    ),
    Variant(
        "holdout_split_in_memory_in_the_training_stage",
        "training splits its features in memory, fits on X_train, scores X_test and logs it",
        stages={"03_model_training": Stage(
            nodes=LEAKS["training_on_the_in_memory_test_part"].stages["03_model_training"].nodes
            + '''

def holdout_score(model, X: pd.DataFrame, y: pd.Series) -> None:
    import logging

    from sklearn.metrics import accuracy_score

    logging.getLogger(__name__).info("holdout accuracy %.3f",
                                     accuracy_score(y, model.predict(X)))
''', pipeline='''
            Node(split_holdout, ["train_features", "params:split"],
                 ["X_train", "X_test", "y_train", "y_test"], name="split_holdout"),
            Node(fit_classifier, ["X_train", "y_train"], "classifier", name="train_model"),
            Node(holdout_score, ["classifier", "X_test", "y_test"], None, name="holdout_score"),
            ''')},
    ),
    Variant(
        "named_split_in_an_intermediate_folder",
        "a split written to data/02_intermediate by name; the scaler is fitted on X_train",
        **_intermediate_split("X_train"),
    ),
    Variant(
        "train_statistics_two_helpers_deep",
        "gaps in each split filled with train medians, through two helpers in utils/",
        stages={"02_feature_engineering": Stage(
            nodes=FEATURES.replace(
                "from sklearn.compose import ColumnTransformer",
                f"from sklearn.compose import ColumnTransformer\n\n"
                f"from {PACKAGE}.utils.gaps import typical_values"),
            extra='''
            def gap_values(train: pd.DataFrame) -> dict:
                return typical_values(train)


            def fill(rows: pd.DataFrame, values: dict) -> pd.DataFrame:
                return rows.fillna(values)
            ''', pipeline='''
            Node(gap_values, "train_rows", "gap_values", name="gap_values"),
            Node(fill, ["train_rows", "gap_values"], "train_filled", name="fill_train"),
            Node(fit_features, "train_filled", "feature_pipeline", name="fit_features"),
            ''' + _transforms())},
        files={"src/{package}/utils/gaps.py": '''
            """Missing measurements."""

            from .columns import NUMERIC


            def typical_values(rows):
                return _medians(rows).to_dict()


            def _medians(rows):
                return rows[NUMERIC].median()
            '''},
    ),
)


def _scaled_in_one_node(fit_on: str) -> dict:
    """Stage 02 as a notebook would have it: one node fits a scaler and scales the train
    and test parts; `fit_on` is the expression the scaler is fitted on."""
    return {"stages": {"02_feature_engineering": Stage(nodes=HEADER + f'''

        def scale(train: pd.DataFrame, test: pd.DataFrame) -> tuple:
            """Train and test measurements scaled by a scaler fitted on {fit_on}."""
            from sklearn.preprocessing import StandardScaler

            scaler = StandardScaler()
            scaler.fit({fit_on})
            train_scaled = train.assign(**dict(zip(NUMERIC, scaler.transform(train[NUMERIC]).T)))
            return train_scaled, test.assign(**dict(zip(NUMERIC,
                                                        scaler.transform(test[NUMERIC]).T)))
        '''.replace("\n        ", "\n"), pipeline='''
        Node(scale, ["train_rows", "test_rows"], ["train_features", "test_features"],
             name="scale"),
        Node(scale, ["train_rows", "eval_rows"], ["train_copy", "eval_features"],
             name="scale_eval"),
        ''')}}


def _tuned_on_eval(fit_on: str) -> dict:
    """Stage 03 picks C by eval accuracy; the candidates are fitted on `fit_on`."""
    return {"stages": {"03_model_training": Stage(extra=f'''
        def tune_c(train_features: pd.DataFrame, eval_features: pd.DataFrame) -> dict:
            from sklearn.metrics import accuracy_score

            fitted_on = {fit_on}
            best, best_score = None, -1.0
            for c in (0.1, 1.0, 10.0):
                model = LogisticRegression(C=c, max_iter=1000)
                model.fit(fitted_on.drop(columns=[TARGET]), fitted_on[TARGET])
                predicted = model.predict(eval_features.drop(columns=[TARGET]))
                score = accuracy_score(eval_features[TARGET], predicted)
                if score > best_score:
                    best, best_score = c, score
            return {{"C": best}}
        ''', pipeline='''
        Node(tune_c, ["train_features", "eval_features"], "best_params", name="tune_c"),
        Node(train_model, ["train_features", "best_params"], "classifier",
             name="train_model"),
        ''')}}


LEAKS |= _variants(
    Variant(
        "scaler_fitted_on_train_and_test_in_one_node",
        "one node scales train and test with a scaler fitted on both (and eval, reused)",
        frozenset({("KL402", "scale"), ("KL402", "scale_eval")}),
        **_scaled_in_one_node("pd.concat([train, test])[NUMERIC]"),
    ),
    Variant(
        "candidates_fitted_on_train_and_eval_while_tuning",
        "C is tuned on eval, but each candidate is fitted on the train and eval rows",
        frozenset({("KL402", "tune_c")}),
        **_tuned_on_eval("pd.concat([train_features, eval_features])"),
    ),
)

CLEAN |= _variants(
    Variant(
        "a_baseline_fitted_on_train_and_scored_on_test_in_the_report",
        "evaluation fits a majority-class baseline on train and reports both test scores",
        stages={"04_model_evaluation": Stage(extra='''
            def compare_with_baseline(model, train_features: pd.DataFrame,
                                      test_features: pd.DataFrame) -> dict:
                from sklearn.dummy import DummyClassifier

                baseline = DummyClassifier().fit(train_features.drop(columns=[TARGET]),
                                                 train_features[TARGET])
                return {"model": _scores(model, test_features),
                        "baseline": _scores(baseline, test_features)}
            ''', pipeline='''
            Node(evaluate, ["classifier", "eval_features", "test_features"], "metrics",
                 name="evaluate"),
            Node(compare_with_baseline, ["classifier", "train_features", "test_features"],
                 "baseline_comparison", name="compare_with_baseline"),
            ''')},
        catalog='''
            baseline_comparison:
              type: json.JSONDataset
              filepath: data/05_reporting/baseline_comparison.json
            ''',
    ),
    Variant(
        "scaler_fitted_on_train_in_one_node",
        "one node fits a scaler on train and scales the train and test parts with it",
        **_scaled_in_one_node("train[NUMERIC]"),
    ),
    Variant(
        "regularisation_tuned_on_the_eval_split",
        "C chosen by eval accuracy, each candidate fitted on the train features",
        **_tuned_on_eval("train_features"),
    ),
)

VARIANTS = LEAKS | CLEAN
