"""The ways eval and test rows reach a fit, one passing and one failing tree each: KL402
(held-out rows or values learned from them), KL404 (rows before the split), KL405 (values
learned from those rows), KL406 (choices made on the test split). What each node does is
read from its code (tests/plugin/trees.py, NODES); tags override it both ways.
tests/plugin/test_leak_corpus.py holds the realistic projects; docs/check.md, "What the
leakage rules see", lists what no rule can see."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugin.trees import PACKAGE, STAGES, layout_project, outcome, set_stage_nodes

NODES_PY = f"src/{PACKAGE}/pipelines/02_feature_engineering/nodes.py"
SPLIT_AFTER_CLEANING = (
    'node(step, "raw_rows", "clean_rows", name="clean"),\n'
    '        node(split, "clean_rows", ["train_split", "eval_split", "test_split"], '
    'name="split")'
)
FIT = 'node(fit, "train_split", "transformer", name="fit_transformer")'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return layout_project(tmp_path)


def add_dataset(root: Path, name: str, filepath: str, kind: str = "pickle.PickleDataset") -> None:
    with (root / "conf/base/catalog.yml").open("a") as stream:
        stream.write(f"\n{name}:\n  type: {kind}\n  filepath: {filepath}\n")


def features(fit: str) -> str:
    """Stage 02 with its fit node replaced."""
    return STAGES["02_feature_engineering"].replace(FIT, fit)


def line_of(root: Path, text: str) -> int:
    lines = (root / NODES_PY).read_text().splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def fitting(root: Path, stage: str, function: str) -> str:
    """How a finding names the call that makes a node of the tree a fit."""
    calls = {"train": ("model.fit(...)", "    model.fit(", "model.fit("),
             "fit": ("StandardScaler().fit(...)", "    return StandardScaler().fit(",
                     "StandardScaler().fit(")}
    what, text, call = calls[function]
    where = f"{line_of(root, text)}:{text.index(call) + 1}"
    return f"(`{what}` at src/{PACKAGE}/pipelines/{stage}/nodes.py:{where})"


def test_the_complete_tree_passes_every_leakage_rule(project: Path) -> None:
    for rule in ("KL402", "KL404", "KL405", "KL406"):
        assert outcome(project, rule) == ("pass", [""]), rule


# -- KL404: a fit on the rows before the split -------------------------------------------------


def test_kl404_training_on_the_raw_data(project: Path) -> None:
    set_stage_nodes(project, "03_model_training",
                    'node(train, ["raw_rows", "params:model"], "model", name="train")')
    status, [message] = outcome(project, "KL404")
    assert status == "fail"
    assert message.startswith(
        "leakage: node `train` in stage 03_model_training "
        f"{fitting(project, '03_model_training', 'train')} fits on rows before the split, "
        "eval and test rows included: `raw_rows` (data/01_raw/rows.csv) -> node "
        "`train`; split first and fit on the train split only")


def test_kl404_training_on_cleaned_rows_that_are_not_split_yet(project: Path) -> None:
    """The cleaned data, in memory, still holds every row."""
    set_stage_nodes(project, "01_data_preprocessing", SPLIT_AFTER_CLEANING)
    assert outcome(project, "KL404")[0] == "pass"
    set_stage_nodes(project, "03_model_training",
                    'node(train, "clean_rows", "model", name="train")')
    status, [message] = outcome(project, "KL404")
    assert status == "fail"
    assert ("`raw_rows` (data/01_raw/rows.csv) -> node `clean` -> `clean_rows` (in memory) "
            "-> node `train`") in message
    assert outcome(project, "KL402")[0] == "pass"


def test_kl404_a_transformer_fitted_before_the_split_is_one_finding(project: Path) -> None:
    """The scaler is the cause: the fits downstream of it are not reported again."""
    set_stage_nodes(project, "01_data_preprocessing",
                    'node(fit, "raw_rows", "scaler", name="fit_scaler"),\n'
                    '        node(transform, ["scaler", "raw_rows"], "scaled_rows", '
                    'name="scale"),\n'
                    '        node(split, "scaled_rows", ["train_split", "eval_split", '
                    '"test_split"], name="split")')
    status, [message] = outcome(project, "KL404")
    assert status == "fail" and "node `fit_scaler` in stage 01_data_preprocessing" in message
    assert outcome(project, "KL405")[0] == "pass"


def test_kl404_a_node_in_the_training_stage_that_learns_nothing_is_not_a_fit(
        project: Path) -> None:
    """Dropping a column of the cleaned rows fits nothing; training on the result does."""
    set_stage_nodes(project, "01_data_preprocessing", SPLIT_AFTER_CLEANING)
    set_stage_nodes(project, "03_model_training",
                    'node(step, "clean_rows", "table", name="drop_id"),\n'
                    '        node(train, ["train_features", "params:model"], "model", '
                    'name="train")')
    assert outcome(project, "KL404")[0] == "pass"


def test_kl404_a_split_kept_in_memory_is_recognised(project: Path) -> None:
    """Kedro's spaceflights splits in memory (X_train, X_test): training on X_train passes."""
    set_stage_nodes(project, "03_model_training",
                    'node(split, "raw_rows", ["X_train", "X_test"], name="split_data"),\n'
                    '        node(train, "X_train", "model", name="train")')
    assert outcome(project, "KL404")[0] == "pass"
    # a word alone does not make a split: nothing here is named for training
    set_stage_nodes(project, "03_model_training",
                    'node(step, "raw_rows", ["features", "test_flags"], name="profile"),\n'
                    '        node(train, "features", "model", name="train")')
    status, [message] = outcome(project, "KL404")
    assert status == "fail"
    assert "`raw_rows` (data/01_raw/rows.csv) -> node `profile` -> `features`" in message


def test_kl402_a_fit_on_the_in_memory_test_part(project: Path) -> None:
    set_stage_nodes(project, "03_model_training",
                    'node(split, "raw_rows", ["X_train", "X_test", "y_train", "y_test"], '
                    'name="split_data"),\n'
                    '        node(train, ["X_test", "y_test"], "model", name="train")')
    status, [message] = outcome(project, "KL402")
    assert status == "fail"
    assert ("fits on rows of the test split: node `split_data` splits off the test part "
            "-> `X_test` (in memory) -> node `train`") in message


def test_kl404_a_split_stored_in_a_folder_of_no_role(project: Path) -> None:
    """Named parts written by a split are its parts wherever they are stored."""
    for name in ("X_train", "X_test"):
        add_dataset(project, name, f"data/02_intermediate/{name}.pkl")
    set_stage_nodes(project, "03_model_training",
                    'node(split, "raw_rows", ["X_train", "X_test"], name="split_data"),\n'
                    '        node(train, "X_train", "model", name="train")')
    assert outcome(project, "KL404")[0] == "pass"
    set_stage_nodes(project, "03_model_training",
                    'node(split, "raw_rows", ["X_train", "X_test"], name="split_data"),\n'
                    '        node(train, "X_test", "model", name="train")')
    assert outcome(project, "KL402")[0] == "fail"


# -- KL405: values learned before the split ----------------------------------------------------


def test_kl405_statistics_of_every_row_reach_the_fit(project: Path) -> None:
    set_stage_nodes(project, "01_data_preprocessing", SPLIT_AFTER_CLEANING
                    + ',\n        node(describe, "clean_rows", "category_stats", '
                      'name="describe")')
    set_stage_nodes(project, "02_feature_engineering", features(
        'node(fit, ["train_split", "category_stats"], "transformer", name="fit_transformer")'))
    status, [message] = outcome(project, "KL405")
    assert status == "fail"
    described = line_of(project, "return pd.concat(frames).describe()")
    nodes_py = NODES_PY.replace("02_feature_engineering", "01_data_preprocessing")
    assert message.startswith(
        "leakage: node `fit_transformer` in stage 02_feature_engineering "
        f"{fitting(project, '02_feature_engineering', 'fit')} fits on values "
        "learned from rows before the split, eval and test rows included: `raw_rows` "
        "(data/01_raw/rows.csv) -> node `clean` -> `clean_rows` (in memory) -> node "
        f"`describe` learns from it (pd.concat(frames).describe(), {nodes_py}:{described}:12)"
        " -> `category_stats` (in memory) -> node `fit_transformer`; compute statistics")
    assert outcome(project, "KL404")[0] == "pass"


def test_kl405_statistics_of_the_train_split_pass(project: Path) -> None:
    set_stage_nodes(project, "02_feature_engineering", features(
        'node(describe, "train_split", "category_stats", name="describe"),\n'
        '        node(fit, ["train_split", "category_stats"], "transformer", '
        'name="fit_transformer")'))
    assert outcome(project, "KL405")[0] == "pass"


def test_kl405_reference_data_that_is_never_split_is_not_rows(project: Path) -> None:
    add_dataset(project, "countries", "data/01_raw/countries.csv")
    set_stage_nodes(project, "02_feature_engineering", features(
        'node(fit, ["train_split", "countries"], "transformer", name="fit_transformer")'))
    assert outcome(project, "KL405")[0] == "pass"


def test_configuration_built_from_parameters_alone_carries_no_rows(project: Path) -> None:
    """The split reads the configuration; it still holds no row."""
    set_stage_nodes(project, "01_data_preprocessing",
                    'node(step, "params:split", "split_config", name="configure"),\n'
                    '        node(split, ["raw_rows", "split_config"], '
                    '["train_split", "eval_split", "test_split"], name="split")')
    set_stage_nodes(project, "02_feature_engineering", features(
        'node(fit, ["train_split", "split_config"], "transformer", name="fit_transformer")'))
    for rule in ("KL402", "KL404", "KL405"):
        assert outcome(project, rule)[0] == "pass", rule


def test_tags_override_what_the_code_says_both_ways(project: Path) -> None:
    set_stage_nodes(project, "01_data_preprocessing", SPLIT_AFTER_CLEANING)
    set_stage_nodes(project, "03_model_training",
                    'node(train, "clean_rows", "model", name="train", tags=["no_fit"])')
    assert outcome(project, "KL404")[0] == "pass"
    set_stage_nodes(project, "03_model_training",
                    'node(step, "clean_rows", "model", name="train", tags=["fit"])')
    assert outcome(project, "KL404")[0] == "fail"


# -- KL402: held-out rows, concatenations, model selection on eval ----------------------------


def test_kl402_a_fit_on_a_concatenation_is_one_finding(project: Path) -> None:
    add_dataset(project, "train_extra", "data/02_train/extra.parquet")
    concat = features('node(step, ["train_split", "{other}"], "all_rows", name="concat"),\n'
                      '        node(fit, "all_rows", "transformer", name="fit_transformer")')
    set_stage_nodes(project, "02_feature_engineering", concat.format(other="train_extra"))
    assert outcome(project, "KL402")[0] == "pass"  # two train parts
    set_stage_nodes(project, "02_feature_engineering", concat.format(other="test_split"))
    status, [message] = outcome(project, "KL402")  # the model trained downstream: same cause
    assert status == "fail"
    assert ("fits on rows of the test "
            "split: node `split` splits off the test part -> `test_split` "
            "(data/04_test/test.parquet) -> node `concat` -> `all_rows` (in memory) -> node "
            "`fit_transformer`") in message


def test_kl402_early_stopping_on_eval_is_model_selection(project: Path) -> None:
    training = 'node({func}, ["train_features", "eval_features"], "model", name="train"{tags})'
    set_stage_nodes(project, "03_model_training", training.format(func="train", tags=""))
    status, [message] = outcome(project, "KL402")
    assert status == "fail" and "fits on rows of the eval split" in message
    assert "tag it `select` when its code does not show it" in message
    set_stage_nodes(project, "03_model_training",
                    training.format(func="train", tags=', tags=["select"]'))
    assert outcome(project, "KL402")[0] == "pass"
    set_stage_nodes(project, "03_model_training",  # eval_set= shows it
                    training.format(func="train_with_early_stopping", tags=""))
    assert outcome(project, "KL402")[0] == "pass"


def test_kl402_a_fit_after_model_selection_on_eval_passes(project: Path) -> None:
    """A calibrator fitted on train, downstream of a model early-stopped on eval."""
    set_stage_nodes(project, "03_model_training",
                    'node(train_with_early_stopping, ["train_features", "eval_features"], '
                    '"model", name="train"),\n'
                    '        node(fit, ["model", "train_features"], "calibrator", '
                    'name="calibrate")')
    assert outcome(project, "KL402")[0] == "pass"


def test_kl402_statistics_of_the_test_split_stored_anywhere(project: Path) -> None:
    add_dataset(project, "test_profile", "models/test_profile.json", "json.JSONDataset")
    set_stage_nodes(project, "02_feature_engineering", features(
        'node(describe, "test_split", "test_profile", name="profile_test"),\n'
        '        node(fit, ["train_split", "test_profile"], "transformer", '
        'name="fit_transformer")'))
    status, [message] = outcome(project, "KL402")
    assert status == "fail"
    assert ("fits on values learned from rows of the test split: node `split` splits off the "
            "test part -> `test_split` (data/04_test/test.parquet) -> node `profile_test` "
            "learns from it") in message
    assert "-> `test_profile` (models/test_profile.json) -> node `fit_transformer`" in message


# -- KL406: choices made on the test split -------------------------------------------------------


def test_kl406_select_never_opens_the_test_split(project: Path) -> None:
    set_stage_nodes(project, "03_model_training",
                    'node(train, ["train_features", "test_features"], "model", name="train", '
                    'tags=["select"])')
    status, [message] = outcome(project, "KL406")
    assert status == "fail" and "fits on rows of the test split" in message
    assert outcome(project, "KL402")[0] == "pass"


@pytest.mark.parametrize(("selection", "expected"), [
    (('node(step, ["model", "{split}_features"], "threshold", name="tune_threshold", '
      'tags=["select"])'),
     ("model selection on the test split: node `tune_threshold` in stage 04_model_evaluation "
      "(tagged `select`) selects with rows of the test split: `test_features` "
      "(data/04_test/test_features.parquet) -> node `tune_threshold`")),
    ('node(choose, ["model", "{split}_features"], "best_model", name="choose")',
     ("model selection on the test split: node `choose` in stage 04_model_evaluation keeps "
      "a model in the models folder chosen with scores or choices made on rows of the test "
      "split: `test_features` (data/04_test/test_features.parquet) -> node `choose` "
      "learns from it")),
], ids=["a threshold tuned by a select node", "the model kept in models/"])
def test_kl406_model_selection_on_the_test_split(project: Path, selection: str,
                                                 expected: str) -> None:
    add_dataset(project, "best_model", "models/best_model.pkl")
    evaluation = ('node(evaluate, ["model", "eval_features", "test_features"], "metrics", '
                  'name="evaluate"),\n        ' + selection)
    set_stage_nodes(project, "04_model_evaluation", evaluation.format(split="eval"))
    assert outcome(project, "KL406")[0] == "pass"
    set_stage_nodes(project, "04_model_evaluation", evaluation.format(split="test"))
    status, [message] = outcome(project, "KL406")
    assert status == "fail" and message.startswith(expected)


def test_kl406_a_record_of_test_scores_in_models_that_nothing_reads_passes(
        project: Path) -> None:
    add_dataset(project, "test_scores", "models/test_scores.json", "json.JSONDataset")
    set_stage_nodes(project, "04_model_evaluation",
                    'node(evaluate, ["model", "test_features"], "test_scores", '
                    'name="evaluate")')
    assert outcome(project, "KL406")[0] == "pass"
    # ... until serving reads it
    set_stage_nodes(project, "05_api",
                    'node(score, ["model", "transformer", "new_rows", "test_scores"], '
                    '"predictions", name="score")')
    status, [message] = outcome(project, "KL406")
    assert status == "fail"
    assert message.startswith("model selection on the test split: node `score` in stage "
                              "05_api serves predictions with scores or choices made on "
                              "rows of the test split")


# -- KL403's message agrees with what it allows ---------------------------------------------


def test_kl403_message_names_every_role_that_may_read_the_test_split(project: Path) -> None:
    set_stage_nodes(project, "03_model_training",
                    'node(train, ["train_features", "test_split"], "model", name="train")')
    status, [message] = outcome(project, "KL403")
    assert status == "fail"
    assert ("only preprocessing (which writes it), feature nodes that fit nothing, "
            "evaluation and serving read the test split") in message
    # ... and each role it names does read it without a finding
    set_stage_nodes(project, "03_model_training",
                    'node(train, ["train_features", "params:model"], "model", name="train")')
    set_stage_nodes(project, "05_api",
                    'node(score, ["model", "transformer", "new_rows", "test_split"], '
                    '"predictions", name="score")')
    assert outcome(project, "KL403")[0] == "pass"


def test_a_node_whose_code_cannot_be_read_is_named_in_a_note(project: Path) -> None:
    """A library function used as a node: judged by its stage's role, and said so."""
    from kedro_plugin_layout.commands.check import check

    set_stage_nodes(project, "04_model_evaluation",
                    'node(evaluate, ["model", "eval_features", "test_features"], "metrics", '
                    'name="evaluate"),\n'
                    '        node(sorted, "test_features", "ordered", name="order_rows")')
    report = check(project, select=["KL4"])
    assert report.findings == ()
    assert ("leakage: the code of 1 node could not be read: `order_rows` (`sorted` is not "
            "defined in the project's source folder); such a node counts as a fit only in a "
            "training stage, or when tagged `fit`") in report.notes
