"""KL3xx: datasets write inside the layout folders, models in models/, nothing in src/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugin.trees import PACKAGE, layout_project, outcome, write


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return layout_project(tmp_path)


def add_catalog(project: Path, text: str) -> None:
    with (project / "conf" / "base" / "catalog.yml").open("a") as stream:
        stream.write("\n" + text)


def finding_at_entry(project: Path, rule: str, name: str) -> None:
    """The rule's one finding points at the entry's line in conf/base/catalog.yml, column 1."""
    from kedro_plugin_layout.commands.check import check

    [finding] = check(project, select=[rule]).findings
    line = (project / "conf/base/catalog.yml").read_text().splitlines().index(f"{name}:") + 1
    assert (finding.path, finding.line, finding.column) == ("conf/base/catalog.yml", line, 1)


def test_the_complete_tree_passes_every_placement_rule(project: Path) -> None:
    for rule in ("KL301", "KL302", "KL303", "KL304", "KL305", "KL306"):
        assert outcome(project, rule)[0] == "pass", rule


@pytest.mark.parametrize("filepath", ["/tmp/elsewhere/out.csv", "../sibling/out.csv",
                                      "s3://bucket/out.csv"])
def test_kl301_dataset_outside_the_project(project: Path, filepath: str) -> None:
    add_catalog(project, f"exported:\n  type: pandas.CSVDataset\n  filepath: {filepath}\n")
    status, messages = outcome(project, "KL301")
    assert status == "fail"
    assert f"`exported` stores `{filepath}` outside the project" in messages[0]
    assert "conf/base/catalog.yml:" in messages[0]
    finding_at_entry(project, "KL301", "exported")


def test_kl301_reads_conf_local_over_base(project: Path) -> None:
    write(project, "conf/local/catalog.yml",
          "model:\n  type: pickle.PickleDataset\n  filepath: /mnt/shared/model.pkl\n")
    status, messages = outcome(project, "KL301")
    assert status == "fail" and "conf/local/catalog.yml" in messages[0]


def test_kl301_points_at_the_globals_line_that_sets_the_path(project: Path) -> None:
    """The entry is fine; `exports` in conf/local/globals.yml takes it out of the project:
    that line is where to fix it, and the message names the entry too."""
    add_catalog(project, "exported:\n  type: pandas.CSVDataset\n"
                         "  filepath: ${globals:exports,data/05_reporting}/out.csv\n")
    assert outcome(project, "KL301")[0] == "pass"  # the default stays inside
    write(project, "conf/local/globals.yml", "# this machine\nexports: /srv/exports\n")
    from kedro_plugin_layout.commands.check import check

    [finding] = check(project, select=["KL301"]).findings
    assert (finding.path, finding.line, finding.column) == ("conf/local/globals.yml", 2, 1)
    line = (project / "conf/base/catalog.yml").read_text().splitlines().index("exported:") + 1
    assert finding.message.startswith(
        "dataset `exported` stores `/srv/exports/out.csv` outside the project "
        f"(conf/base/catalog.yml:{line}, its path from `exports` at conf/local/globals.yml:2): "
        "in shared storage: keep project-relative paths in conf/base"), finding.message


def test_kl302_dataset_in_a_folder_outside_the_manifest(project: Path) -> None:
    add_catalog(project, "stray:\n  type: pandas.CSVDataset\n  filepath: data/99_misc/x.csv\n")
    status, messages = outcome(project, "KL302")
    assert status == "fail" and "`stray` stores `data/99_misc/x.csv`" in messages[0]
    finding_at_entry(project, "KL302", "stray")


def test_kl302_pattern_whose_folder_is_a_placeholder_is_not_flagged(project: Path) -> None:
    add_catalog(project, '"{layer}.{name}":\n  type: pandas.CSVDataset\n'
                         '  filepath: data/{layer}/{name}.csv\n')
    assert outcome(project, "KL302")[0] == "pass"


def test_kl302_globals_templating_is_resolved_like_kedro(project: Path) -> None:
    write(project, "conf/base/globals.yml", "folder: data/99_elsewhere\n")
    add_catalog(project, "templated:\n  type: pandas.CSVDataset\n"
                         "  filepath: ${globals:folder}/t.csv\n")
    status, messages = outcome(project, "KL302")
    assert status == "fail" and "data/99_elsewhere/t.csv" in messages[0]


def test_kl303_model_outside_models(project: Path) -> None:
    add_catalog(project, "scaler:\n  type: pickle.PickleDataset\n"
                         "  filepath: data/02_train/scaler.pkl\n")
    status, messages = outcome(project, "KL303")
    assert status == "fail"
    assert "`scaler` (pickle.PickleDataset)" in messages[0] and "models/" in messages[0]
    finding_at_entry(project, "KL303", "scaler")


def test_kl303_model_named_json_report_is_not_a_model(project: Path) -> None:
    add_catalog(project, "model_metrics:\n  type: json.JSONDataset\n"
                         "  filepath: data/05_reporting/model_metrics.json\n")
    assert outcome(project, "KL303")[0] == "pass"


@pytest.mark.parametrize(("name", "kind", "model"), [
    ("preprocessed_df", "pickle.PickleDataset", False),  # a pickled DataFrame
    ("model_input_table", "pickle.PickleDataset", False),
    ("feature_config", "pickle.PickleDataset", False),
    ("price_histogram_plot", "pickle.PickleDataset", False),
    ("companies", "pickle.PickleDataset", False),  # a name that says nothing
    ("X_train", "pickle.PickleDataset", False),
    ("trained_model", "pickle.PickleDataset", True),
    ("feature_scaler", "pickle.PickleDataset", True),
    ("rf_classifier", "my_project.datasets.JoblibDataset", True),
    ("churn", "kedro_mlflow.io.models.MlflowModelTrackingDataset", True),  # by its type
    ("encoder_report", "pickle.PickleDataset", False),
])
def test_kl303_judges_a_pickle_by_its_type_and_name(project: Path, name: str, kind: str,
                                                     model: bool) -> None:
    add_catalog(project, f"{name}:\n  type: {kind}\n  filepath: data/02_train/{name}.pkl\n")
    status, messages = outcome(project, "KL303")
    assert status == ("fail" if model else "pass"), messages


@pytest.mark.parametrize("name", ["penguins.csv", "cache/x.parquet", "model.PKL"])
def test_kl304_data_file_under_src(project: Path, name: str) -> None:
    write(project, f"src/{PACKAGE}/{name}", "a,b\n")
    status, messages = outcome(project, "KL304")
    assert status == "fail" and f"src/{PACKAGE}/{name}" in messages[0]


def test_kl305_notebook_under_src(project: Path) -> None:
    write(project, f"src/{PACKAGE}/pipelines/explore.ipynb", "{}")
    status, messages = outcome(project, "KL305")
    assert status == "fail" and "explore.ipynb" in messages[0] and "notebooks/" in messages[0]


def _layer(name: str, filepath: str, layer: str | None = None) -> str:
    metadata = f"  metadata:\n    kedro-viz:\n      layer: {layer}\n" if layer else ""
    return f"{name}:\n  type: pandas.CSVDataset\n  filepath: {filepath}\n{metadata}"


def test_kl306_a_data_folder_dataset_without_a_layer_is_reported_at_its_entry(
        project: Path) -> None:
    add_catalog(project, _layer("labels", "data/02_train/labels.csv"))
    from kedro_plugin_layout.commands.check import check

    [finding] = check(project, select=["KL306"]).findings
    line = (project / "conf/base/catalog.yml").read_text().splitlines().index("labels:") + 1
    assert (finding.path, finding.line, finding.column) == ("conf/base/catalog.yml", line, 1)
    assert finding.message == (
        f"dataset `labels` is stored in `data/02_train/` but has no kedro-viz layer "
        f"(conf/base/catalog.yml:{line}): add `metadata: kedro-viz: layer: 02_train` to its "
        "entry (`kedro layout fix` does), so `kedro viz` draws it in that folder's band")


@pytest.mark.parametrize(("filepath", "layer", "expected"), [
    ("data/02_train/labels.csv", "03_eval", "`02_train`"),
    ("data/02_train/labels.csv", "models", "`02_train`"),
    ("models/labels.csv", "02_train", "`models` or remove it"),
])
def test_kl306_a_layer_that_is_not_the_folder(project: Path, filepath: str, layer: str,
                                              expected: str) -> None:
    add_catalog(project, _layer("labels", filepath, layer))
    status, [message] = outcome(project, "KL306")
    folder = filepath.rsplit("/", 1)[0]
    assert status == "fail"
    assert message.startswith(f"dataset `labels` has the kedro-viz layer `{layer}` but is "
                              f"stored in `{folder}/` (conf/base/catalog.yml:")
    assert f": set its layer to {expected}, so `kedro viz` draws it" in message


@pytest.mark.parametrize(("filepath", "layer"), [
    ("data/01_raw/labels.csv", "raw"),            # Kedro's convention: the name alone
    ("models/encoder.pkl", None),                 # models/ may go without one
    ("models/encoder.pkl", "models"),
    ("/tmp/elsewhere/labels.csv", None),          # KL301's business
    ("data/99_misc/labels.csv", None),            # KL302's business
])
def test_kl306_accepts(project: Path, filepath: str, layer: str | None) -> None:
    add_catalog(project, _layer("labels", filepath, layer))
    assert outcome(project, "KL306")[0] == "pass"


def test_kl306_reads_conf_local_over_base_and_can_be_ignored_in_the_manifest(
        project: Path) -> None:
    from kedro_plugin_layout.commands.check import check

    write(project, "conf/local/catalog.yml", _layer("metrics", "data/05_reporting/m.json"))
    [finding] = check(project, select=["KL306"]).findings
    assert finding.path == "conf/local/catalog.yml" and finding.line == 1
    with (project / "pyproject.toml").open("a") as stream:
        stream.write('\n[[tool.kedro_layout.ignore]]\nrule = "KL306"\n'
                     'reason = "we do not use kedro-viz"\n')
    [result] = [r for r in check(project, select=["KL306"]).results]
    assert (result.status, result.message) == (
        "skip", "ignored in [tool.kedro_layout]: we do not use kedro-viz")


def test_env_selects_the_catalog_environment(project: Path) -> None:
    from kedro_plugin_layout.commands.check import check
    from kedro_plugin_layout.errors import ProjectReadError

    write(project, "conf/prod/catalog.yml",
          "model:\n  type: pickle.PickleDataset\n  filepath: /mnt/models/model.pkl\n")
    assert check(project, select=["KL301"]).exit_code == 0
    [finding] = check(project, select=["KL301"], env="prod").findings
    assert finding.path == "conf/prod/catalog.yml" and finding.line == 1
    with pytest.raises(ProjectReadError) as error:
        check(project, select=["KL301"], env="staging")
    assert error.value.message == "conf/staging: no environment 'staging'; create it or pick " \
                                  "another"
