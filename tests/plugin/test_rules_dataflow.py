"""KL4xx: stage order and leakage, walking the graph of all stages' nodes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugin.trees import STAGES, layout_project, outcome, set_stage_nodes


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return layout_project(tmp_path)


def test_the_complete_tree_passes_every_dataflow_rule(project: Path) -> None:
    for rule in ("KL401", "KL402", "KL403"):
        assert outcome(project, rule)[0] == "pass", rule


def test_kl401_stage_reads_a_later_stages_output(project: Path) -> None:
    set_stage_nodes(project, "03_model_training",
                    'node(train, ["train_features", "metrics"], "model", name="train")')
    status, messages = outcome(project, "KL401")
    assert status == "fail"
    assert "03_model_training" in messages[0] and "`metrics`" in messages[0]
    assert "04_model_evaluation" in messages[0]


def test_kl401_a_stage_reads_its_own_output_whoever_else_writes_that_name(
        project: Path) -> None:
    """Two stages that never run together may write datasets of the same name."""
    set_stage_nodes(project, "03_model_training",
                    'node(step, "train_features", "model_input", name="prepare"),\n'
                    '        node(train, "model_input", "model", name="train")')
    set_stage_nodes(project, "05_api",
                    'node(step, "new_rows", "model_input", name="prepare_new_rows"),\n'
                    '        node(score, ["model", "transformer", "model_input"], "predictions", '
                    'name="score")')
    assert outcome(project, "KL401")[0] == "pass"
    assert outcome(project, "KL402")[0] == "pass"  # new rows never reach the training stage
    set_stage_nodes(project, "03_model_training",
                    'node(train, "model_input", "model", name="train")')
    status, [message] = outcome(project, "KL401")
    assert status == "fail" and "the later stage 05_api produces" in message


def test_kl402_training_reads_the_test_split(project: Path) -> None:
    set_stage_nodes(project, "03_model_training",
                    'node(train, ["train_features", "test_split"], "model", name="train")')
    status, messages = outcome(project, "KL402")
    assert status == "fail"
    assert messages[0].startswith("leakage: node `train` in stage 03_model_training (`model.fit")
    assert ("fits on rows of the test split: node `split` splits off the test part -> "
            "`test_split` (data/04_test/test.parquet) -> node `train`") in messages[0]


def test_kl402_leak_through_an_in_memory_intermediate(project: Path) -> None:
    """The fit node reads only train data and a memory dataset derived from eval."""
    set_stage_nodes(project, "02_feature_engineering", STAGES["02_feature_engineering"].replace(
        'node(fit, "train_split", "transformer", name="fit_transformer")',
        'node(describe, "eval_split", "eval_stats", name="describe_eval"),\n'
        '        node(fit, ["train_split", "eval_stats"], "transformer", '
        'name="fit_transformer")',
    ))
    status, [message] = outcome(project, "KL402")
    assert status == "fail"
    assert message.startswith("leakage: node `fit_transformer` in stage 02_feature_engineering")
    assert "fits on values learned from rows of the eval split" in message
    assert ("`eval_split` (data/03_eval/eval.parquet) -> node `describe_eval` learns from it"
            in message)


def test_kl402_leak_through_a_persisted_dataset_of_another_stage(project: Path) -> None:
    set_stage_nodes(project, "01_data_preprocessing",
                    'node(split, "raw_rows", ["eval_split", "test_split"], name="split"),\n'
                    '        node(step, ["raw_rows", "test_split"], "train_split", name="oops")')
    status, messages = outcome(project, "KL402")
    assert status == "fail"
    assert any("`train`" in m and "`test_split` (data/04_test/test.parquet) -> node `oops` "
               "-> `train_split` (data/02_train/train.parquet)" in m for m in messages)


def test_kl402_a_node_tagged_fit_in_any_stage_counts(project: Path) -> None:
    set_stage_nodes(project, "04_model_evaluation",
                    'node(evaluate, ["model", "eval_features", "test_features"], "metrics", '
                    'name="evaluate"),\n'
                    '        node(step, ["model", "eval_features"], "calibrated", '
                    'name="calibrate", tags=["fit"])')
    status, messages = outcome(project, "KL402")
    assert status == "fail" and "`calibrate`" in messages[0]


def test_kl403_training_reads_the_test_split(project: Path) -> None:
    set_stage_nodes(project, "03_model_training",
                    'node(train, ["train_features", "test_features"], "model", name="train")')
    status, messages = outcome(project, "KL403")
    assert status == "fail"
    assert "03_model_training (training) reads the test split `test_features`" in messages[0]


def test_kl403_fit_node_of_the_features_stage_reads_test(project: Path) -> None:
    set_stage_nodes(project, "02_feature_engineering", STAGES["02_feature_engineering"].replace(
        'node(fit, "train_split", "transformer"', 'node(fit, ["train_split", "test_split"], '
        '"transformer"'))
    status, messages = outcome(project, "KL403")
    assert status == "fail" and "`fit_transformer`" in messages[0]


def test_kl402_follows_transcoded_datasets(project: Path) -> None:
    """`stats@pandas` written and `stats@numpy` read are one dataset to Kedro."""
    set_stage_nodes(project, "02_feature_engineering", STAGES["02_feature_engineering"].replace(
        'node(fit, "train_split", "transformer", name="fit_transformer")',
        'node(describe, "test_split", "stats@pandas", name="describe_test"),\n'
        '        node(fit, ["train_split", "stats@numpy"], "transformer", '
        'name="fit_transformer")',
    ))
    status, [message] = outcome(project, "KL402")
    assert status == "fail"
    assert "-> node `describe_test` learns from it" in message
    assert "-> `stats@pandas` (in memory) -> node `fit_transformer`" in message
