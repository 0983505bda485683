"""The catalog read as Kedro's OmegaConfigLoader reads it, without omegaconf: the files it
picks, the merge, duplicate keys, the interpolations the rules need, factory patterns.

Where Kedro itself can say what it loads, the test compares with it (`OmegaConfigLoader`
is imported by the test, never by the check)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kedro_plugin_layout.check.facts import Facts
from kedro_plugin_layout.commands.check import check
from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.project.catalog import FactoryPatterns, load_catalog
from tests.plugin.trees import layout_project, write


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return layout_project(tmp_path)


def conf(root: Path, relative: str, text: str) -> None:
    write(root, f"conf/{relative}", textwrap.dedent(text).lstrip())


def kedro_catalog(root: Path, env: str = "local") -> dict:
    import warnings

    from kedro.config import OmegaConfigLoader

    with warnings.catch_warnings():  # omegaconf's deprecation notices about Kedro's calls
        warnings.simplefilter("ignore")
        loader = OmegaConfigLoader(str(root / "conf"), base_env="base", default_run_env=env)
        return loader["catalog"]


def test_files_merge_and_interpolation_agree_with_kedro(project: Path) -> None:
    conf(project, "base/globals.yml", """
        folders:
          train: data/02_train
        """)
    conf(project, "base/catalog/extra.yml", """
        _parquet: &parquet
          type: pandas.ParquetDataset
        _reports: data/05_reporting

        extra_train:
          <<: *parquet
          filepath: ${globals:folders.train}/extra.parquet
        report:
          type: json.JSONDataset
          filepath: ${_reports}/report.json
        chosen:
          type: ${runtime_params:chosen_type, pandas.CSVDataset}
          filepath: ${globals:folders.missing, data/06_scoring}/chosen.csv
        """)
    conf(project, "base/sub/catalog_nested.yml", """
        nested:
          type: pandas.CSVDataset
          filepath: data/01_raw/nested.csv
        """)
    conf(project, "base/.hidden/catalog.yml", "hidden: {type: x, filepath: /tmp/x}\n")
    conf(project, "base/notes/readme.yml", "not_catalog: {type: x, filepath: /tmp/x}\n")
    conf(project, "local/catalog.yml", """
        model:
          type: pickle.PickleDataset
          filepath: models/local_model.pkl
        """)
    ours = load_catalog(project)
    assert dict(ours) == kedro_catalog(project)
    assert ours["extra_train"]["filepath"] == "data/02_train/extra.parquet"
    assert ours["model"]["filepath"] == "models/local_model.pkl"  # local replaces base
    assert ours.locations["model"].path == "conf/local/catalog.yml"
    assert (ours.locations["report"].line, ours.locations["report"].column) == (8, 1)
    assert ours.unresolved == {}


def test_an_interpolation_it_does_not_resolve_is_reported(project: Path) -> None:
    conf(project, "base/catalog_custom.yml", """
        exported:
          type: pandas.CSVDataset
          filepath: ${my_resolver:exports}/out.csv
        """)
    report = check(project, select=["KL30"])
    assert report.exit_code == 0
    assert report.notes == ("catalog: `exported` uses an interpolation the check does not "
                            "resolve (filepath: ${my_resolver:exports}); its location is not "
                            "checked",)
    assert Facts(project).get("datasets")["exported"].location is None


def test_a_dataset_declared_in_two_files_is_refused_as_kedro_does(project: Path) -> None:
    conf(project, "base/catalog_more.yml", """
        # the same name again
        model:
          type: pickle.PickleDataset
          filepath: models/other.pkl
        """)
    with pytest.raises(ValueError, match="Duplicate keys found"):
        kedro_catalog(project)
    with pytest.raises(ProjectReadError) as error:
        load_catalog(project)
    assert error.value.message == (
        "conf/base/catalog_more.yml:2:1: `model` is also declared in "
        f"conf/base/catalog.yml:{catalog_line(project, 'model:')}:1; Kedro refuses a key "
        "declared twice in one environment: keep one")


def test_a_key_repeated_in_one_file_is_a_yaml_error(project: Path) -> None:
    conf(project, "base/catalog_more.yml", """
        a:
          type: x
          type: y
        """)
    with pytest.raises(ProjectReadError) as error:
        load_catalog(project)
    assert error.value.message == ("conf/base/catalog_more.yml: not valid YAML (line 3, "
                                   "column 3: found duplicate key type); fix the syntax")


def test_a_file_that_is_not_a_mapping_is_named(project: Path) -> None:
    conf(project, "base/catalog_more.yml", "- a\n- b\n")
    with pytest.raises(ProjectReadError) as error:
        load_catalog(project)
    assert error.value.message == ("conf/base/catalog_more.yml: holds a list, not a mapping "
                                   "of names to entries; fix the file")


def test_dates_stay_strings_as_in_omegaconf(project: Path) -> None:
    conf(project, "base/catalog_more.yml", """
        daily:
          type: pandas.CSVDataset
          filepath: data/01_raw/2024-01-01
        """)
    assert load_catalog(project)["daily"]["filepath"] == "data/01_raw/2024-01-01"


def test_factory_patterns_are_tried_in_kedros_order() -> None:
    patterns = FactoryPatterns({
        "{default}": {"type": "MemoryDataset"},
        "{name}_features": {"filepath": "data/02_train/{name}_features.parquet"},
        "{layer}.{name}_features": {"filepath": "data/{layer}/{name}.parquet"},
    })
    assert patterns.match("eval_features") == "{name}_features"
    assert patterns.match("ns.eval_features") == "{layer}.{name}_features"
    assert patterns.match("other") is None and patterns.match_catch_all("other") == "{default}"
    assert patterns.resolve("ns.eval_features", "{layer}.{name}_features") == {
        "filepath": "data/ns/eval.parquet"}


def test_two_catch_all_patterns_are_refused() -> None:
    with pytest.raises(ProjectReadError, match="several catch-all patterns"):
        FactoryPatterns({"{a}": {}, "{b}": {}})


def catalog_line(root: Path, text: str) -> int:
    return (root / "conf/base/catalog.yml").read_text().splitlines().index(text) + 1
