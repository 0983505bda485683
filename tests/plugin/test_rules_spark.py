"""The rules on a Spark project: Spark and MLlib datasets, cluster paths, transcoded names,
and the part-file directories Spark writes. Synthetic trees: no Spark or JVM needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kedro_plugin_layout.check.facts import Facts
from kedro_plugin_layout.commands.check import check
from kedro_plugin_layout.project.records import Node, StagePipeline
from tests.plugin.trees import PACKAGE, layout_project, outcome, set_stage_nodes, write

SPARK_MODEL = f"{PACKAGE}.utils.spark_models.SparkMLModelDataset"

SPARK_CATALOG = f"""
raw_penguins:
  type: spark.SparkDataset
  filepath: data/01_raw/penguins.csv
  file_format: csv
  load_args:
    header: true
  metadata:
    kedro-viz:
      layer: 01_raw

penguins_train@spark:
  type: spark.SparkDataset
  filepath: data/02_train/penguins_train.parquet
  file_format: parquet
  save_args:
    mode: overwrite
  metadata:
    kedro-viz:
      layer: 02_train

penguins_train@pandas:
  type: pandas.ParquetDataset
  filepath: data/02_train/penguins_train.parquet
  metadata:
    kedro-viz:
      layer: 02_train

penguins_eval@spark:
  type: spark.SparkDataset
  filepath: data/03_eval/penguins_eval.parquet
  file_format: parquet
  metadata:
    kedro-viz:
      layer: 03_eval

penguins_test@spark:
  type: spark.SparkDataset
  filepath: data/04_test/penguins_test.parquet
  file_format: parquet
  metadata:
    kedro-viz:
      layer: 04_test

feature_transformers:
  type: {SPARK_MODEL}
  filepath: models/feature_transformers
  versioned: true

spark_model:
  type: {SPARK_MODEL}
  filepath: models/model
  versioned: true
  metadata:
    kedro-viz:
      layer: models

model_metadata:
  type: json.JSONDataset
  filepath: data/05_reporting/model_metadata.json
  metadata:
    kedro-viz:
      layer: 05_reporting
"""

SPLIT = ('node(step, "raw_penguins", ["penguins_train@spark", "penguins_eval@spark", '
         '"penguins_test@spark"], name="split")')
FEATURES = (
    'node(step, {fit_inputs}, "feature_transformers", name="fit_features", tags=["fit"]),\n'
    '        node(step, ["feature_transformers", "penguins_train@spark"], "train_features",\n'
    '             name="transform_train"),\n'
    '        node(step, ["feature_transformers", "penguins_eval@spark"], "eval_features",\n'
    '             name="transform_eval"),\n'
    '        node(step, ["feature_transformers", "penguins_test@spark"], "test_features",\n'
    '             name="transform_test")'
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = layout_project(tmp_path)
    add_catalog(root, SPARK_CATALOG)
    set_stage_nodes(root, "01_data_preprocessing", SPLIT)
    return root


def add_catalog(project: Path, text: str) -> None:
    with (project / "conf" / "base" / "catalog.yml").open("a") as stream:
        stream.write("\n" + text)


def features_fit_on(project: Path, *inputs: str, extra: str = "") -> None:
    nodes = FEATURES.format(fit_inputs=list(inputs)).replace("'", '"')
    set_stage_nodes(project, "02_feature_engineering", extra + nodes)


def finding_paths(project: Path, rule: str) -> list[str | None]:
    return [f.path for f in check(project, select=[rule]).findings]


# -- placement of Spark and MLlib datasets -------------------------------------------------


def test_a_spark_catalog_passes_every_placement_rule(project: Path) -> None:
    for rule in ("KL301", "KL302", "KL303", "KL304", "KL305", "KL306"):
        assert outcome(project, rule)[0] == "pass", rule


@pytest.mark.parametrize("kind", [
    SPARK_MODEL,
    f"{PACKAGE}.utils.spark.PipelineModelDataset",
    "kedro_mlflow.io.models.MlflowModelTrackingDataset",
])
def test_kl303_spark_mllib_model_under_data_is_flagged(project: Path, kind: str) -> None:
    add_catalog(project, f"fitted:\n  type: {kind}\n  filepath: data/02_train/fitted\n")
    status, messages = outcome(project, "KL303")
    assert status == "fail"
    assert f"dataset `fitted` ({kind}) looks like a model" in messages[0]
    assert "store it under models/" in messages[0]


@pytest.mark.parametrize(("name", "kind", "filepath"), [
    ("feature_transformers_out", "spark.SparkDataset", "data/02_train/ft.parquet"),
    ("model_input", "spark.SparkDatasetV2", "data/02_train/model_input.parquet"),
    ("model_scores", "spark.DeltaTableDataset", "data/06_scoring/scores"),
    ("model_table", "spark.SparkHiveDataset", "data/06_scoring/hive"),
    ("model_features", "pandas.ParquetDataset", "data/02_train/model_features.parquet"),
    ("model_card", "json.JSONDataset", "data/05_reporting/model_card.json"),
])
def test_kl303_spark_tables_named_like_models_are_not_models(
        project: Path, name: str, kind: str, filepath: str) -> None:
    add_catalog(project, f"{name}:\n  type: {kind}\n  filepath: {filepath}\n")
    assert outcome(project, "KL303")[0] == "pass"


def test_kl303_a_transcoded_name_says_model_like_a_plain_one(project: Path) -> None:
    add_catalog(project, f"encoder@blob:\n  type: {PACKAGE}.utils.io.BlobDataset\n"
                         "  filepath: data/02_train/encoder.bin\n")
    status, messages = outcome(project, "KL303")
    assert status == "fail" and "dataset `encoder@blob`" in messages[0]


# -- cluster and cloud paths -------------------------------------------------------------------


@pytest.mark.parametrize("filepath", [
    "s3a://bucket/penguins/02_train/penguins_train.parquet",
    "abfss://lake@account.dfs.core.windows.net/penguins/penguins_train.parquet",
    "wasbs://lake@account.blob.core.windows.net/penguins/penguins_train.parquet",
    "gs://bucket/penguins/penguins_train.parquet",
    "hdfs://namenode:8020/penguins/penguins_train.parquet",
    "dbfs:/FileStore/penguins/penguins_train.parquet",
    "/dbfs/FileStore/penguins/penguins_train.parquet",
    "/Volumes/main/penguins/raw/penguins_train.parquet",
])
def test_kl301_cluster_storage_is_outside_and_called_remote(project: Path, filepath: str) -> None:
    add_catalog(project, f"remote_train:\n  type: spark.SparkDataset\n  filepath: {filepath}\n"
                         "  file_format: parquet\n"
                         f"remote_model:\n  type: {SPARK_MODEL}\n  filepath: {filepath}_m\n")
    status, messages = outcome(project, "KL301")
    assert status == "fail" and len(messages) == 2
    assert f"dataset `remote_train` stores `{filepath}` outside the project " \
           "(conf/base/catalog.yml:" in messages[0]
    assert "in remote storage: keep project-relative paths in conf/base and put cluster or " \
           "cloud paths in a run environment of their own (conf/<env>/, used with" in messages[0]
    assert outcome(project, "KL302")[0] == "pass"
    assert outcome(project, "KL303")[0] == "pass"


def test_kl301_cluster_paths_of_a_cluster_environment_say_so(project: Path) -> None:
    """The catalog stays in conf/base; the cluster environment only moves the data root:
    the finding points at the globals.yml line that does it."""
    add_catalog(project, "cluster_train:\n  type: spark.SparkDataset\n"
                         "  filepath: ${globals:data_root,data}/02_train/cluster.parquet\n")
    write(project, "conf/cluster/globals.yml",
          "# storage every executor reads\ndata_root: s3a://bucket/penguins/data\n")
    assert check(project, select=["KL301"]).exit_code == 0
    [finding] = check(project, select=["KL301"], env="cluster").findings
    assert (finding.path, finding.line, finding.column) == ("conf/cluster/globals.yml", 2, 1)
    declared = _line_of(project, "conf/base/catalog.yml", "cluster_train:")
    assert finding.message.endswith(
        "stores `s3a://bucket/penguins/data/02_train/cluster.parquet` outside the project "
        f"(conf/base/catalog.yml:{declared}, its path from `data_root` at "
        "conf/cluster/globals.yml:2): in remote storage, as a cluster environment "
        "(`--env cluster`) may: check the layout without `--env` (conf/base and conf/local), "
        "or add an ignore with a reason for KL301 to [tool.kedro_layout] when CI checks "
        "this environment")


@pytest.mark.parametrize("root", ["/mnt/shared/penguins/data", "file:///mnt/shared/penguins/data"])
def test_kl301_a_shared_folder_of_a_cluster_environment_is_not_told_to_be_relative(
        project: Path, root: str) -> None:
    """A folder every machine mounts (NFS, a shared disk) is a cluster environment's
    storage as much as a bucket is: the advice is the environment's, not "use a path
    relative to the project root"."""
    add_catalog(project, "cluster_train:\n  type: spark.SparkDataset\n"
                         "  filepath: ${globals:data_root,data}/02_train/cluster.parquet\n")
    write(project, "conf/cluster/globals.yml", f"data_root: {root}\n")
    [finding] = check(project, select=["KL301"], env="cluster").findings
    assert (finding.path, finding.line) == ("conf/cluster/globals.yml", 1)
    assert finding.message.endswith(
        "in shared storage, as a cluster environment (`--env cluster`) may when every machine "
        "of the cluster mounts it at this path: check the layout without `--env` (conf/base "
        "and conf/local), or add an ignore with a reason for KL301 to [tool.kedro_layout] "
        "when CI checks this environment"), finding.message
    assert "relative to the project root" not in finding.message


def test_kl301_points_at_a_nested_globals_key_and_at_other_environment_files(
        project: Path) -> None:
    """`${globals:paths.data}` is set on the line of `data:` under `paths:`; a catalog file
    of the environment that sets `_shared` and uses `${_shared}` points at `_shared`."""
    add_catalog(project, "cluster_train:\n  type: spark.SparkDataset\n"
                         "  filepath: ${globals:paths.data,data}/02_train/cluster.parquet\n")
    write(project, "conf/cluster/globals.yml",
          "paths:\n  models: hdfs://namenode/penguins/models\n"
          "  data: hdfs://namenode/penguins/data\n")
    write(project, "conf/cluster/catalog_exports.yml",
          "_shared: /mnt/exports\n\nexported:\n  type: spark.SparkDataset\n"
          "  filepath: ${_shared}/penguins.parquet\n")
    findings = {f.message.split("`")[1]: f
                for f in check(project, select=["KL301"], env="cluster").findings}
    assert set(findings) == {"cluster_train", "exported"}
    nested, shared = findings["cluster_train"], findings["exported"]
    assert (nested.path, nested.line, nested.column) == ("conf/cluster/globals.yml", 3, 3)
    assert "its path from `paths.data` at conf/cluster/globals.yml:3)" in nested.message
    assert "in remote storage, as a cluster environment" in nested.message
    assert (shared.path, shared.line) == ("conf/cluster/catalog_exports.yml", 1)
    assert ("(conf/cluster/catalog_exports.yml:3, its path from `_shared` at "
            "conf/cluster/catalog_exports.yml:1)") in shared.message
    assert "in shared storage, as a cluster environment" in shared.message


def test_kl301_cluster_storage_set_in_base_is_told_to_move_to_an_environment(
        project: Path) -> None:
    """Shared or remote storage in conf/base/globals.yml reaches every run, a laptop's
    included: with or without `--env`, the finding says to move it to an environment."""
    add_catalog(project, "cluster_train:\n  type: spark.SparkDataset\n"
                         "  filepath: ${globals:data_root,data}/02_train/cluster.parquet\n")
    write(project, "conf/base/globals.yml", "data_root: /mnt/shared/penguins/data\n")
    write(project, "conf/cluster/globals.yml", "models_root: s3a://bucket/models\n")
    for env in (None, "cluster"):
        [finding] = check(project, select=["KL301"], env=env).findings
        assert (finding.path, finding.line) == ("conf/base/globals.yml", 1)
        assert ("in shared storage: keep project-relative paths in conf/base and put cluster "
                "or cloud paths in a run environment of their own (conf/<env>/, used with "
                "`kedro run --env <env>`)") in finding.message, finding.message


def _line_of(project: Path, rel: str, text: str) -> int:
    return (project / rel).read_text().splitlines().index(text) + 1


def test_kl301_a_local_path_elsewhere_is_not_called_remote(project: Path) -> None:
    add_catalog(project, "exported:\n  type: spark.SparkDataset\n"
                         "  filepath: /srv/exports/penguins.parquet\n")
    [message] = outcome(project, "KL301")[1]
    assert "use a path relative to the project root" in message
    assert "remote storage" not in message


@pytest.mark.parametrize("scheme", ["file://", "file:"])
def test_file_urls_inside_the_project_resolve_to_their_layout_folder(
        project: Path, scheme: str) -> None:
    root = project.resolve().as_posix()
    add_catalog(project,
                f"local_train:\n  type: spark.SparkDataset\n"
                f"  filepath: {scheme}{root}/data/02_train/local_train.parquet\n"
                f"local_model:\n  type: {SPARK_MODEL}\n"
                f"  filepath: {scheme}{root}/data/03_eval/local_model\n")
    entry = Facts(project).datasets["local_train"]
    assert (entry.location, entry.outside) == ("data/02_train/local_train.parquet", False)
    assert outcome(project, "KL301")[0] == "pass"
    assert outcome(project, "KL302")[0] == "pass"
    status, messages = outcome(project, "KL303")
    assert status == "fail" and "dataset `local_model`" in messages[0]


# -- transcoded datasets: one dataset for placement and data flow ---------------------------


def test_transcoded_entries_at_one_misplaced_path_are_one_finding(project: Path) -> None:
    add_catalog(project, "stray@spark:\n  type: spark.SparkDataset\n"
                         "  filepath: data/99_misc/stray.parquet\n"
                         "stray@pandas:\n  type: pandas.ParquetDataset\n"
                         "  filepath: data/99_misc/stray.parquet\n")
    status, messages = outcome(project, "KL302")
    assert status == "fail" and len(messages) == 1
    assert "dataset `stray@spark` (and `stray@pandas`) stores `data/99_misc/stray.parquet`" \
        in messages[0]


def test_every_transcoding_of_a_split_has_its_folders_role(project: Path) -> None:
    nodes = (Node("fit", "02_feature_engineering", ("penguins_eval@pandas",), ("stats",)),
             Node("use", "02_feature_engineering", ("penguins_eval",), ("more",)))
    facts = Facts(project, pipelines={
        "02_feature_engineering": StagePipeline("02_feature_engineering", "ok", nodes)})
    stored = facts.stored
    for name in ("penguins_eval@spark", "penguins_eval@pandas", "penguins_eval"):
        assert (stored[name].role, stored[name].location) == (
            "eval", "data/03_eval/penguins_eval.parquet"), name
    assert stored["stats"].location is None


def test_kl402_fit_on_another_transcoding_of_the_eval_split(project: Path) -> None:
    features_fit_on(project, "penguins_train@spark", "penguins_eval@pandas")
    status, messages = outcome(project, "KL402")
    assert status == "fail"
    assert "leakage: node `fit_features` in stage 02_feature_engineering (tagged `fit`) fits " \
           "on rows of the eval split: node `split` splits off the eval part -> " \
           "`penguins_eval@spark` " \
           "(data/03_eval/penguins_eval.parquet) -> node `fit_features`" in messages[0]


def test_kl402_fit_through_an_in_memory_intermediate_of_the_test_split(project: Path) -> None:
    features_fit_on(project, "penguins_train@pandas", "test_stats",
                    extra='node(step, "penguins_test@pandas", "test_stats", '
                          'name="describe_test"),\n        ')
    status, messages = outcome(project, "KL402")
    assert status == "fail"
    assert "`fit_features`" in messages[0]
    assert "-> `penguins_test@spark` (data/04_test/penguins_test.parquet) -> node " \
           "`describe_test` -> `test_stats` (in memory) -> node `fit_features`" in messages[0]


def test_kl402_fit_on_the_train_split_in_either_transcoding_passes(project: Path) -> None:
    features_fit_on(project, "penguins_train@spark", "penguins_train@pandas")
    assert outcome(project, "KL402")[0] == "pass"


def test_kl403_training_reads_another_transcoding_of_the_test_split(project: Path) -> None:
    set_stage_nodes(project, "03_model_training",
                    'node(step, ["train_features", "penguins_test@pandas"], "model", '
                    'name="train")')
    status, messages = outcome(project, "KL403")
    assert status == "fail"
    assert "03_model_training (training) reads the test split `penguins_test@pandas` " \
           "(data/04_test/penguins_test.parquet)" in messages[0]


# -- the directories Spark writes --------------------------------------------------------------

PARQUET_PARTS = ("part-00000-4f1c.c000.snappy.parquet", ".part-00000-4f1c.c000.snappy.parquet.crc",
                 "part-00001-4f1c.c000.snappy.parquet", "_SUCCESS", "._SUCCESS.crc")
MLLIB_MODEL = ("metadata/part-00000", "metadata/_SUCCESS", "metadata/.part-00000.crc",
               "stages/0_StringIndexer_9a1/metadata/part-00000",
               "stages/0_StringIndexer_9a1/data/part-00000-77.snappy.parquet",
               "stages/1_LogisticRegression_3b/metadata/part-00000",
               "stages/1_LogisticRegression_3b/data/part-00000-88.snappy.parquet")


def write_tree(root: Path, folder: str, files: tuple[str, ...]) -> None:
    for name in files:
        write(root, f"{folder}/{name}", "x")


@pytest.mark.parametrize(("folder", "files", "count"), [
    ("scratch/penguins_train.parquet", PARQUET_PARTS, 5),
    ("scratch/scored", ("_SUCCESS", "species=Adelie/part-00000-1.c000.snappy.parquet",
                        "species=Gentoo/part-00000-2.c000.snappy.parquet"), 3),
    ("scratch/events", ("part-00000-5e.c000.json", "_SUCCESS"), 2),
    ("scratch/scores_delta", ("_delta_log/00000000000000000000.json",
                              "part-00000-9d.snappy.parquet"), 2),
    ("scratch/model", MLLIB_MODEL, 7),
])
def test_kl304_a_spark_directory_under_src_is_one_finding(
        project: Path, folder: str, files: tuple[str, ...], count: int) -> None:
    write_tree(project, f"src/{PACKAGE}/{folder}", files)
    [finding] = check(project, select=["KL304"]).findings
    assert finding.path == f"src/{PACKAGE}/{folder}"
    assert finding.message == (
        f"dataset directory `src/{PACKAGE}/{folder}/` ({count} data files, as Spark writes "
        "them) is inside the source folder: move the whole directory to a numbered data "
        "folder (or models/) and declare it in conf/base/catalog.yml")


def test_kl304_lists_loose_files_and_spark_directories_once_each(project: Path) -> None:
    write_tree(project, f"src/{PACKAGE}/scratch/out.parquet", PARQUET_PARTS)
    write(project, f"src/{PACKAGE}/scratch/sample.csv", "a,b\n")
    write(project, f"src/{PACKAGE}/utils/part_names.py", "PARTS = []\n")
    assert finding_paths(project, "KL304") == [f"src/{PACKAGE}/scratch/out.parquet",
                                               f"src/{PACKAGE}/scratch/sample.csv"]


def test_spark_output_in_the_layout_and_spark_state_at_the_root_raise_nothing(
        project: Path) -> None:
    features_fit_on(project, "penguins_train@pandas")
    for split in ("02_train/penguins_train", "03_eval/penguins_eval", "04_test/penguins_test"):
        write_tree(project, f"data/{split}.parquet", PARQUET_PARTS)
    write_tree(project, "data/01_raw/penguins.csv", ("part-00000-1.csv", "_SUCCESS"))
    write_tree(project, "models/model/2026-11-29T20.00.00.000Z/model", MLLIB_MODEL)
    write_tree(project, "spark-warehouse/scores", PARQUET_PARTS)
    write_tree(project, "metastore_db", ("service.properties", "seg0/c10.dat", "db.lck"))
    write(project, "derby.log", "Booting Derby\n")
    report = check(project)
    assert [(r.rule, r.message) for r in report.findings] == []
    assert report.exit_code == 0
