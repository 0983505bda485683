"""The ways eval and test rows reach a fit through the graph, one passing and one failing
project each: KL402 (held-out data, concatenations, model selection on eval), KL404 (rows
before the split), KL405 (values computed before the split), KL406 (model selection on
the test split). docs/check.md, "What the leakage rules see", lists what no rule can see."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugin.trees import STAGES, layout_project, outcome, set_stage_nodes

SPLIT_AFTER_CLEANING = (
    'node(step, "raw_rows", "clean_rows", name="clean"),\n'
    '        node(step, "clean_rows", ["train_split", "eval_split", "test_split"], '
    'name="split")'
)
FIT = 'node(step, "train_split", "transformer", name="fit_transformer", tags=["fit"])'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return layout_project(tmp_path)


def add_dataset(root: Path, name: str, filepath: str) -> None:
    with (root / "conf/base/catalog.yml").open("a") as stream:
        stream.write(f"\n{name}:\n  type: pickle.PickleDataset\n  filepath: {filepath}\n")


def features(fit: str) -> str:
    """Stage 02 with its fit node replaced."""
    return STAGES["02_feature_engineering"].replace(FIT, fit)


def test_the_complete_tree_passes_every_leakage_rule(project: Path) -> None:
    for rule in ("KL402", "KL404", "KL405", "KL406"):
        assert outcome(project, rule) == ("pass", [""]), rule


# -- KL404: a fit on the rows before the split -------------------------------------------------


def test_kl404_training_on_the_raw_data(project: Path) -> None:
    set_stage_nodes(project, "03_model_training",
                    'node(step, ["raw_rows", "params:model"], "model", name="train")')
    status, [message] = outcome(project, "KL404")
    assert status == "fail"
    assert message.startswith("leakage: node `train` in stage 03_model_training fits on "
                              "`raw_rows` (data/01_raw/rows.csv), which holds the rows from "
                              "before the split, eval and test rows included; it reads it "
                              "directly: split first")


def test_kl404_training_on_cleaned_rows_that_are_not_split_yet(project: Path) -> None:
    """The issue's case: the cleaned data, in memory, still holds every row."""
    set_stage_nodes(project, "01_data_preprocessing", SPLIT_AFTER_CLEANING)
    assert outcome(project, "KL404")[0] == "pass"
    set_stage_nodes(project, "03_model_training",
                    'node(step, "clean_rows", "model", name="train")')
    status, [message] = outcome(project, "KL404")
    assert status == "fail" and "fits on `clean_rows`, which holds the rows" in message
    assert outcome(project, "KL402")[0] == "pass"  # no held-out data: KL402 cannot see it


def test_kl404_a_transformer_fitted_before_the_split(project: Path) -> None:
    set_stage_nodes(project, "01_data_preprocessing",
                    'node(step, "raw_rows", "scaler", name="fit_scaler", tags=["fit"]),\n'
                    '        node(step, ["raw_rows", "scaler"], "scaled_rows", name="scale"),\n'
                    '        node(step, "scaled_rows", ["train_split", "eval_split", '
                    '"test_split"], name="split")')
    status, [message] = outcome(project, "KL404")
    assert status == "fail" and "node `fit_scaler` in stage 01_data_preprocessing" in message


def test_kl404_a_split_kept_in_memory_is_recognised(project: Path) -> None:
    """Kedro's spaceflights splits in memory (X_train, X_test): training on X_train passes,
    and the split node itself, in the training stage, is not a fit."""
    set_stage_nodes(project, "03_model_training",
                    'node(step, "train_features", ["X_train", "X_test"], name="split_again"),\n'
                    '        node(step, "X_train", "model", name="train")')
    assert outcome(project, "KL404")[0] == "pass"
    set_stage_nodes(project, "03_model_training",
                    'node(step, "raw_rows", ["X_train", "X_test"], name="split_data"),\n'
                    '        node(step, "X_train", "model", name="train")')
    assert outcome(project, "KL404")[0] == "pass"
    # a word alone does not make a split: nothing here is named for training
    set_stage_nodes(project, "03_model_training",
                    'node(step, "raw_rows", ["features", "test_flags"], name="profile"),\n'
                    '        node(step, "features", "model", name="train")')
    status, messages = outcome(project, "KL404")
    assert status == "fail"
    assert any("`train`" in m and "reads it through features <- raw_rows" in m
               for m in messages)


# -- KL405: values computed before the split -------------------------------------------------


def test_kl405_statistics_of_every_row_reach_the_fit(project: Path) -> None:
    set_stage_nodes(project, "01_data_preprocessing", SPLIT_AFTER_CLEANING
                    + ',\n        node(step, "clean_rows", "category_stats", name="describe")')
    set_stage_nodes(project, "02_feature_engineering", features(
        'node(step, ["train_split", "category_stats"], "transformer", name="fit_transformer", '
        'tags=["fit"])'))
    status, [message] = outcome(project, "KL405")
    assert status == "fail"
    assert ("node `fit_transformer` in stage 02_feature_engineering fits on the train split "
            "but also on `clean_rows`, rows from before the split; it reads it through "
            "category_stats <- clean_rows: statistics, vocabularies or encodings") in message
    assert outcome(project, "KL404")[0] == "pass"


def test_kl405_statistics_of_the_train_split_pass(project: Path) -> None:
    set_stage_nodes(project, "02_feature_engineering", features(
        'node(step, "train_split", "category_stats", name="describe"),\n'
        '        node(step, ["train_split", "category_stats"], "transformer", '
        'name="fit_transformer", tags=["fit"])'))
    assert outcome(project, "KL405")[0] == "pass"


def test_kl405_reference_data_that_is_never_split_is_not_rows(project: Path) -> None:
    add_dataset(project, "countries", "data/01_raw/countries.csv")
    set_stage_nodes(project, "02_feature_engineering", features(
        'node(step, ["train_split", "countries"], "transformer", name="fit_transformer", '
        'tags=["fit"])'))
    assert outcome(project, "KL405")[0] == "pass"


# -- KL402: held-out rows, concatenations, model selection on eval ----------------------------


def test_kl402_a_fit_on_a_concatenation(project: Path) -> None:
    add_dataset(project, "train_extra", "data/02_train/extra.parquet")
    concat = features('node(step, ["train_split", "{other}"], "all_rows", name="concat"),\n'
                      '        node(step, "all_rows", "transformer", name="fit_transformer", '
                      'tags=["fit"])')
    set_stage_nodes(project, "02_feature_engineering", concat.format(other="train_extra"))
    assert outcome(project, "KL402")[0] == "pass"  # two train parts
    set_stage_nodes(project, "02_feature_engineering", concat.format(other="test_split"))
    status, messages = outcome(project, "KL402")
    assert status == "fail"
    assert any("`fit_transformer`" in m and "reads it through all_rows <- test_split" in m
               for m in messages)
    # the model trained on its features depends on the test rows too
    assert any("`train`" in m and "train_features <- transformer <- all_rows <- test_split"
               in m for m in messages)


def test_kl402_early_stopping_on_eval_needs_the_select_tag(project: Path) -> None:
    training = 'node(step, ["train_features", "eval_features"], "model", name="train"{tags})'
    set_stage_nodes(project, "03_model_training", training.format(tags=""))
    status, [message] = outcome(project, "KL402")
    assert status == "fail" and "eval split `eval_features`" in message
    assert "tagged `select`, which lets it read eval, never test" in message
    set_stage_nodes(project, "03_model_training", training.format(tags=', tags=["select"]'))
    assert outcome(project, "KL402")[0] == "pass"


def test_kl402_a_fit_after_model_selection_on_eval_passes(project: Path) -> None:
    """A calibrator fitted on train, downstream of a model early-stopped on eval."""
    set_stage_nodes(project, "03_model_training",
                    'node(step, ["train_features", "eval_features"], "model", name="train", '
                    'tags=["select"]),\n'
                    '        node(step, ["model", "train_features"], "calibrator", '
                    'name="calibrate", tags=["fit"])')
    assert outcome(project, "KL402")[0] == "pass"


def test_kl402_select_never_opens_the_test_split(project: Path) -> None:
    set_stage_nodes(project, "03_model_training",
                    'node(step, ["train_features", "test_features"], "model", name="train", '
                    'tags=["select"])')
    status, [message] = outcome(project, "KL402")
    assert status == "fail" and "test split `test_features`" in message


# -- KL406: model selection on the test split ---------------------------------------------------


@pytest.mark.parametrize(("selection", "expected"), [
    (('node(step, ["model", "{split}_features"], "threshold", name="tune_threshold", '
      'tags=["select"])'),
     ("model selection on the test split: node `tune_threshold` (tagged `select`) depends on "
      "the test split `test_features` (data/04_test/test_features.parquet)")),
    ('node(step, ["model", "{split}_features"], "best_model", name="choose")',
     ("model selection on the test split: node `choose` in stage 04_model_evaluation writes "
      "`best_model` (models/best_model.pkl) to the models folder from data derived from the "
      "test split")),
], ids=["a threshold tuned by a select node", "the model kept in models/"])
def test_kl406_model_selection_on_the_test_split(project: Path, selection: str,
                                                 expected: str) -> None:
    add_dataset(project, "best_model", "models/best_model.pkl")
    evaluation = ('node(step, ["model", "eval_features", "test_features"], "metrics", '
                  'name="evaluate"),\n        ' + selection)
    set_stage_nodes(project, "04_model_evaluation", evaluation.format(split="eval"))
    assert outcome(project, "KL406")[0] == "pass"
    set_stage_nodes(project, "04_model_evaluation", evaluation.format(split="test"))
    status, [message] = outcome(project, "KL406")
    assert status == "fail" and message.startswith(expected)


# -- KL403's message agrees with what it allows ---------------------------------------------


def test_kl403_message_names_every_role_that_may_read_the_test_split(project: Path) -> None:
    set_stage_nodes(project, "03_model_training",
                    'node(step, ["train_features", "test_split"], "model", name="train")')
    status, [message] = outcome(project, "KL403")
    assert status == "fail"
    assert ("only preprocessing (which writes it), feature nodes not tagged `fit`, "
            "evaluation and serving read the test split") in message
    # ... and each role it names does read it without a finding
    set_stage_nodes(project, "03_model_training",
                    'node(step, ["train_features", "params:model"], "model", name="train")')
    set_stage_nodes(project, "05_api",
                    'node(step, ["model", "transformer", "new_rows", "test_split"], '
                    '"predictions", name="score")')
    assert outcome(project, "KL403")[0] == "pass"
