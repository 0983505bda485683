"""`kedro layout tree`: stages with their nodes and data, folders with counts and sizes."""

from __future__ import annotations

import json

from kedro_plugin_layout.commands.tree import layout_tree
from kedro_plugin_layout.render.layout_tree import human_size
from tests.plugin.layout_projects import invoke
from tests.support import kedro


def test_tree_shows_stages_in_order_and_data_folders(generated_project):
    result = kedro(["layout", "tree"], generated_project, COLUMNS="300")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    stage_lines = [line for line in lines if "[" in line and "node" in line]
    assert [line.split()[1] for line in stage_lines] == [
        "01_data_preprocessing", "02_feature_engineering", "03_model_training",
        "04_model_evaluation", "05_api"]
    for stage in layout_tree(generated_project).stages:
        assert f"reads:  {', '.join(stage.inputs)}" in result.stdout
        assert f"writes: {', '.join(stage.outputs)}" in result.stdout
        assert stage.outputs
    raw = generated_project / "data/01_raw"
    files = [p for p in raw.rglob("*") if p.is_file() and p.name != ".gitkeep"]
    size = human_size(sum(p.stat().st_size for p in files))
    assert f"├── data/01_raw/  [raw]  {len(files)} files, {size}" in lines
    assert "└── models/  [models]  0 files, 0 B" in lines


def test_tree_json_lists_nodes_inputs_and_outputs(generated_project, tmp_path):
    printed = invoke(generated_project, "tree", "--format", "json")
    result = invoke(generated_project, "tree", "--format", "json", "-o", str(tmp_path / "t.json"))

    assert printed.exit_code == 0, printed.output
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote the layout tree to {tmp_path / 't.json'}.\n"
    tree = json.loads((tmp_path / "t.json").read_text())
    assert json.loads(printed.output) == tree
    stages = {stage["folder"]: stage for stage in tree["stages"]}
    assert list(stages) == ["01_data_preprocessing", "02_feature_engineering",
                            "03_model_training", "04_model_evaluation", "05_api"]
    assert all(stage["status"] == "ok" and stage["nodes"] > 0 for stage in stages.values())
    produced = set(stages["01_data_preprocessing"]["outputs"])
    assert produced & set(stages["02_feature_engineering"]["inputs"])
    assert [f["path"] for f in tree["folders"]][:2] == ["data/01_raw", "data/02_train"]


def test_human_sizes():
    assert [human_size(n) for n in (0, 980, 13_517, 1_153_434)] == [
        "0 B", "980 B", "13.2 KiB", "1.1 MiB"]
