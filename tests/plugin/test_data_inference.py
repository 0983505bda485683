"""Data roles from the catalog, DVC and the split, not only from the disk (issue 27):
what DVC tracks, which data folders `init` infers and what each holds, and the rules that
leave folders DVC restores to DVC."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kedro_plugin_layout.check.facts import Facts
from kedro_plugin_layout.kinds import DataRole
from kedro_plugin_layout.project.data_folders import infer_data, split_outputs, split_role
from kedro_plugin_layout.project.dvc import DvcTracked, dvc_files, read_dvc
from kedro_plugin_layout.project.files import walk
from kedro_plugin_layout.project.model_datasets import is_model_dataset
from kedro_plugin_layout.project.records import CatalogEntry, Node
from tests.plugin.trees import layout_project, outcome, write


def entry(name: str, location: str, kind: str = "pandas.ParquetDataset") -> CatalogEntry:
    return CatalogEntry(name, kind, location, location)


NO_DVC = DvcTracked()


def infer(entries: list[CatalogEntry] = (), on_disk: list[str] = (), nodes: list[Node] = (),
          dvc: DvcTracked = NO_DVC):
    return infer_data("data", on_disk, {e.name: e for e in entries}, dvc, nodes,
                      is_model_dataset)


# -- what DVC tracks ---------------------------------------------------------------------------


def test_dvc_outputs_from_dvc_files_and_pipeline_stages(tmp_path: Path) -> None:
    write(tmp_path, ".dvc/config", "[core]\n")
    write(tmp_path, "data/01_raw.dvc", "outs:\n- md5: abc.dir\n  path: 01_raw\n")
    write(tmp_path, "data/02_extra/rows.csv.dvc", "outs:\n- path: rows.csv\n  cache: false\n")
    write(tmp_path, "dvc.yaml", """\
stages:
  prepare:
    cmd: kedro run --pipelines data_processing
    outs:
    - data/03_primary
    - data/04_feature/table.parquet:
        cache: false
  train:
    wdir: data
    cmd: kedro run --pipelines data_science
    outs:
    - path: 06_models/model.pkl
    metrics:
    - 08_reporting/metrics.json:
        cache: false
  sweep:
    foreach: [a, b]
    do:
      cmd: echo ${item}
      outs:
      - data/07_model_output/${item}.csv
  escape:
    cmd: echo
    outs: [../outside.csv, /abs/path.csv, s3://bucket/x]
""")
    write(tmp_path, "notes/broken.dvc", "outs: [\n")
    files = walk(tmp_path, {"data"}).files

    found = dvc_files(tmp_path, files, "data")
    tracked = read_dvc(tmp_path, found)

    assert found == ["data/01_raw.dvc", "data/02_extra/rows.csv.dvc", "dvc.yaml",
                     "notes/broken.dvc"]
    assert tracked.paths == {"data/01_raw", "data/02_extra/rows.csv", "data/03_primary",
                             "data/04_feature/table.parquet", "data/06_models/model.pkl",
                             "data/08_reporting/metrics.json"}
    assert tracked.cached == {"data/01_raw", "data/03_primary", "data/06_models/model.pkl"}
    assert tracked.unreadable == ("notes/broken.dvc",)
    assert tracked.restores("data/01_raw") and tracked.restores("data/01_raw/x/y.csv")
    assert not tracked.restores("data/01_raw_extra")
    assert not tracked.keeps_out_of_git("data/04_feature")


def test_a_project_without_dvc_reads_nothing(tmp_path: Path) -> None:
    root = layout_project(tmp_path)
    assert dvc_files(root, walk(root, {"data", "models"}).files, "data") == []
    assert not Facts(root).dvc


# -- which data folders, and what they hold -----------------------------------------------------


def test_folders_come_from_the_catalog_when_the_disk_has_none() -> None:
    data = infer([entry("rows", "data/01_raw/rows.csv"), entry("table", "data/raw/t.parquet"),
                  entry("loose", "data/loose.csv"), entry("remote", "s3://b/data/x.csv"),
                  entry("images", "data/03_images")])
    assert [(d.folder, d.role) for d in data.folders] == [
        ("01_raw", "raw"), ("03_images", "other"), ("raw", "raw")]
    assert data.seen_in["01_raw"] == ("catalog",)


def test_kedros_folders_fill_the_gaps_only_where_the_project_follows_kedro() -> None:
    kedro = infer([entry("rows", "data/01_raw/rows.csv"),
                   entry("metrics", "data/08_reporting/metrics.json")],
                  dvc=DvcTracked(frozenset({"data/03_primary"})))
    assert [d.folder for d in kedro.folders] == [
        "01_raw", "02_intermediate", "03_primary", "04_feature", "05_model_input", "06_models",
        "07_model_output", "08_reporting"]
    assert kedro.seen_in["03_primary"] == ("DVC",)
    assert kedro.seen_in["02_intermediate"] == ("Kedro's default",)
    assert kedro.models == "data/06_models"
    own = infer([entry("rows", "data/01_raw/rows.csv"), entry("x", "data/04_scores/x.csv")])
    assert [d.folder for d in own.folders] == ["01_raw", "04_scores"]


def test_a_folder_holding_one_split_gets_its_role() -> None:
    split = Node("split", "prep", ("table",), ("X_train", "X_valid", "X_holdout", "y_train",
                                              "report"))
    entries = [entry("X_train", "data/05_fit_rows/x.parquet"),
               entry("y_train", "data/05_fit_rows/y.parquet"),
               entry("X_valid", "data/06_tuning/x.parquet"),
               entry("X_holdout", "data/07_final/x.parquet"),
               entry("report", "data/07_final/report.csv")]
    data = infer(entries, nodes=[split])
    assert {d.folder: d.role for d in data.folders} == {
        "05_fit_rows": "train", "06_tuning": "eval", "07_final": "other"}


@pytest.mark.parametrize(("name", "role"), [
    ("X_train", DataRole.TRAIN), ("trainSet", DataRole.TRAIN), ("y_val", DataRole.EVAL),
    ("validation_rows", DataRole.EVAL), ("test_set", DataRole.TEST),
    ("holdout", DataRole.TEST), ("contest_entries", None), ("train_test_pairs", None),
    ("model", None),
])
def test_the_split_a_name_says(name: str, role: DataRole | None) -> None:
    assert split_role(name) == role


def test_only_a_node_writing_train_and_held_out_data_is_a_split() -> None:
    assert split_outputs([Node("n", "s", ("a",), ("train_rows", "extra"))]) == {}
    assert split_outputs([Node("n", "s", ("a",), ("train_rows", "test_rows", "extra"))]) == {
        "train_rows": DataRole.TRAIN, "test_rows": DataRole.TEST}


def test_the_models_folder_is_where_every_model_is_stored() -> None:
    models = [entry("regressor", "artifacts/regressor.pkl", "pickle.PickleDataset"),
              entry("scaler", "artifacts/scaler.pkl", "pickle.PickleDataset")]
    assert infer(models).models == "artifacts"
    shared = infer([*models, entry("table", "artifacts/table.csv", "pandas.CSVDataset")])
    assert shared.models == "models"
    apart = infer([models[0], entry("scaler", "other/scaler.pkl", "pickle.PickleDataset")])
    assert apart.models == "models"


# -- the rules leave what DVC restores to DVC ----------------------------------------------------


def test_folders_dvc_restores_are_neither_missing_nor_asked_for_a_gitkeep(tmp_path: Path) -> None:
    root = layout_project(tmp_path)
    for folder in ("01_raw", "02_train"):
        for path in (root / "data" / folder).iterdir():
            path.unlink()
        (root / "data" / folder).rmdir()
    (root / "models/.gitkeep").unlink()
    (root / "models").rmdir()
    assert outcome(root, "KL101")[0] == "fail"
    assert outcome(root, "KL105")[0] == "fail"
    write(root, ".dvc/config", "")
    write(root, "data/01_raw.dvc", "outs:\n- path: 01_raw\n")
    write(root, "dvc.yaml", "stages:\n  split:\n    cmd: x\n    outs:\n    - data/02_train\n"
                            "  train:\n    cmd: y\n    outs:\n    - models\n")
    write(root, "data/.gitignore", "/01_raw\n/02_train\n")
    write(root, ".gitignore", (root / ".gitignore").read_text() + "/models\n")
    subprocess.run(["git", "init", "-q", str(root)], check=True)  # git reads data/.gitignore

    assert outcome(root, "KL101") == ("pass", [""])
    assert outcome(root, "KL105") == ("pass", [""])
    assert outcome(root, "KL501") == ("pass", [""])
    assert outcome(root, "KL502") == ("pass", [""])
