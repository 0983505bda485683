"""Stage order from the graph: `init` orders stages by the datasets they pass each other,
ties by the numbers their folders carry, then names; a cycle is explained by its datasets,
by `init` and by KL401 (issue 27)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kedro_ml_starter.manifest import load_manifest
from kedro_plugin_layout.project.records import Node
from kedro_plugin_layout.project.stage_graph import StageGraph, describe_cycle, prefix_number
from tests.plugin.layout_projects import invoke
from tests.plugin.lookalikes import dataset, kedro_project
from tests.plugin.trees import layout_project, outcome, set_stage_nodes


def node(stage: str, inputs: list[str], outputs: list[str]) -> Node:
    return Node(f"{stage}:{'+'.join(outputs)}", stage, tuple(inputs), tuple(outputs))


@pytest.mark.parametrize(("folder", "number"), [
    ("03_model_training", 3), ("p07_train", 7), ("step2-clean", 2), ("stage12_report", 12),
    ("data_science", None), ("v2", None), ("abcdefgh1_x", None),
])
def test_the_number_a_folder_starts_with(folder: str, number: int | None) -> None:
    assert prefix_number(folder) == number


def test_stages_run_after_those_they_read_from_whatever_their_names() -> None:
    graph = StageGraph.from_nodes([
        node("reporting", ["metrics"], ["report"]),
        node("inference", ["model", "new_rows"], ["metrics"]),
        node("training", ["rows"], ["model"]),
        node("ingestion", [], ["rows"]),
    ])
    order = graph.order(["reporting", "inference", "training", "ingestion"])
    assert order.stages == ("ingestion", "training", "inference", "reporting")
    assert order.cycles == ()


def test_ties_go_to_numbers_then_names() -> None:
    graph = StageGraph.from_nodes([node("p10_b", ["x"], ["y"]), node("p02_a", [], ["x"])])
    stages = ["zeta", "p10_b", "alpha", "p03_c", "p02_a"]
    assert graph.order(stages).stages == ("p02_a", "p03_c", "p10_b", "alpha", "zeta")


def test_a_stage_that_reads_its_own_output_depends_on_nobody_for_it() -> None:
    """Two stages writing a dataset of the same name: each reads its own."""
    graph = StageGraph.from_nodes([
        node("b_stage", [], ["summary"]), node("b_stage", ["summary"], ["report"]),
        node("a_stage", [], ["summary"]), node("a_stage", ["summary"], ["table"]),
    ])
    assert graph.edges == {}


def test_a_cycle_is_named_by_its_datasets() -> None:
    graph = StageGraph.from_nodes([
        node("features", ["clean", "model"], ["features"]),
        node("training", ["features"], ["model"]),
        node("cleaning", [], ["clean"]),
    ])
    order = graph.order(["training", "features", "cleaning"])
    assert order.stages == ("cleaning", "features", "training")
    [cycle] = order.cycles
    assert describe_cycle(cycle) == ("training reads `features` from features; "
                                     "features reads `model` from training")


def test_init_orders_plain_stages_by_their_data_and_explains_a_cycle(tmp_path: Path) -> None:
    def stage(inputs: list[str], outputs: list[str]) -> dict[str, str]:
        return {"nodes.py": "def step(*args):\n    return args\n",
                "pipeline.py": f'''
                    from kedro.pipeline import Node, Pipeline

                    from .nodes import step


                    def create_pipeline(**kwargs) -> Pipeline:
                        return Pipeline([Node(step, {inputs!r}, {outputs!r},
                                              name="make_{outputs[0]}")])
                    '''}

    root = kedro_project(tmp_path, "loop-lab", "loop_lab", catalog={
        "rows": dataset("pandas.CSVDataset", "data/01_raw/rows.csv")}, stages={
        "reporting": stage(["scores"], ["report"]),
        "scoring": stage(["model", "rows"], ["scores"]),
        "modelling": stage(["rows", "report"], ["model"]),
        "data_preparation": stage([], ["unused"]),
    })

    result = invoke(root, "init")

    assert result.exit_code == 0, result.output
    assert [s.folder for s in load_manifest(root).stages] == [
        "data_preparation", "modelling", "scoring", "reporting"]
    assert ("Left for you: stages modelling and reporting and scoring depend on each other "
            "(scoring reads `model` from modelling; reporting reads `scores` from scoring; "
            "modelling reads `report` from reporting): no order runs each stage after those "
            "it reads from; move a node so that the data flows one way") in result.output
    status, messages = outcome(root, "KL401")
    assert status == "fail"
    assert messages == [
        ("stage modelling (node `make_model`) reads `report`, which the "
         "later stage reporting produces: the stages depend on each other (modelling reads "
         "`report` from reporting; scoring reads `model` from modelling; reporting reads "
         "`scores` from scoring), so no stage order fixes this: move a node so that the data "
         "flows one way")]


def test_kl401_without_a_cycle_says_to_reorder(tmp_path: Path) -> None:
    root = layout_project(tmp_path)
    set_stage_nodes(root, "03_model_training",
                    'node(step, ["train_features", "metrics"], "model", name="train")')
    status, [message] = outcome(root, "KL401")
    assert status == "fail"
    assert message.endswith("which the later stage 04_model_evaluation produces: the stages "
                            "depend on each other (03_model_training reads `metrics` from "
                            "04_model_evaluation; 04_model_evaluation reads `model` from "
                            "03_model_training), so no stage order fixes this: move a node so "
                            "that the data flows one way")
    set_stage_nodes(root, "03_model_training",
                    'node(step, ["train_features", "predictions"], "model", name="train")')
    set_stage_nodes(root, "05_api", 'node(step, ["transformer", "new_rows"], "predictions", '
                                    'name="score")')
    status, [message] = outcome(root, "KL401")
    assert message.endswith("which the later stage 05_api produces: move the producing node "
                            "to an earlier stage or the reading node to a later one")
