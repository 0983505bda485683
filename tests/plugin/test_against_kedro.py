"""Differential tests: the check's own reading of a project against Kedro's.

For speed the check reads a project without omegaconf and without the project's
dependencies (`project/config.py`, `project/catalog.py`, `project/pipelines.py` in lite
mode). Here the same projects are read by Kedro itself, in a subprocess: the project's
own `OmegaConfigLoader` (its settings.py), Kedro's `CatalogConfigResolver` for dataset
factory patterns, and `find_pipelines()` with the project's dependencies imported for
real. Both readings must be equal, so a Kedro release that changes how it reads a project
fails here instead of in a user's check.

The corpus: generated projects of both engines and both stage styles, the spaceflights
stand-in (`spaceflights.py`), and a generated project grown with globals, runtime
parameters with defaults, variables, factory patterns, `conf/local` overrides and a
`staging` environment that overrides base and its globals.

One difference is by design and left out: a transcoded name without an entry of its own
(`x@pandas` next to `x@spark`) is stored where its sibling is, for the check, while Kedro
would make it a MemoryDataset.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from kedro_plugin_layout.kinds import ImportMode
from kedro_plugin_layout.project.catalog import (
    RESOLVED_FIELDS,
    catalog_entries,
    load_catalog,
    locate,
    resolve_locations,
)
from kedro_plugin_layout.project.config import read_config, read_globals
from kedro_plugin_layout.project.model import load_project
from kedro_plugin_layout.project.pipelines import load_stage_pipelines
from kedro_plugin_layout.project.records import dataset_base
from tests.plugin.spaceflights import spaceflights_project
from tests.support import PYTHON, copy_project, new_project, run

pytestmark = pytest.mark.e2e

# Kedro's reading, printed as JSON: what `kedro run` would load for the environment.
KEDRO_VIEW = r"""
import json, sys
from pathlib import Path

from kedro.framework.project import find_pipelines, settings
from kedro.framework.startup import bootstrap_project
from kedro.io.catalog_config_resolver import CatalogConfigResolver

root, env = Path(sys.argv[1]).resolve(), sys.argv[2] or None
bootstrap_project(root)
loader = settings.CONFIG_LOADER_CLASS(
    conf_source=str(root / settings.CONF_SOURCE), env=env, **settings.CONFIG_LOADER_ARGS)
catalog = loader["catalog"]
pipelines = {name: pipeline for name, pipeline in find_pipelines(raise_errors=True).items()
             if name != "__default__"}
resolver = CatalogConfigResolver(config=catalog)
names = {n for p in pipelines.values() for n in p.datasets()
         if n != "parameters" and not n.startswith("params:")} | set(catalog) | set(sys.argv[3:])
paths = {}
for name in sorted(n for n in names if "{" not in n):
    config = resolver.resolve_pattern(name)
    value = config.get("filepath", config.get("path"))
    paths[name] = None if value is None else str(value)
print(json.dumps({
    "catalog": catalog,
    "parameters": loader["parameters"],
    "globals": loader["globals"],
    "paths": paths,
    "pipelines": {
        name: sorted(
            [node.name, sorted(i for i in node.inputs
                               if i != "parameters" and not i.startswith("params:")),
             list(node.outputs), sorted(node.tags), node.namespace]
            for node in pipeline.nodes)
        for name, pipeline in pipelines.items()
    },
}, default=str))
"""


# Names no pipeline uses, resolved too: one a factory pattern of the grown project
# matches, one nothing matches (Kedro: a MemoryDataset; the check: no location).
PROBES = ("batch_scores", "nowhere_at_all")


def kedro_view(root: Path, env: str | None) -> dict[str, Any]:
    result = run([PYTHON, "-c", KEDRO_VIEW, str(root), env or "", *PROBES], root, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as stream:
        stream.write(textwrap.dedent(text))


def grown(project: Path) -> Path:
    """A generated project grown with what real projects put in conf/."""
    _write(project, "conf/base/globals.yml", """
        folders:
          raw: data/01_raw
          scoring: data/06_scoring
        suffix: csv
        """)
    _write(project, "conf/base/catalog.yml", """

        _reports: data/05_reporting

        from_globals:
          type: pandas.CSVDataset
          filepath: ${globals:folders.raw}/extra.${globals:suffix}

        with_default:
          type: pandas.CSVDataset
          filepath: ${globals:folders.archive, data/01_raw/archive}/old.csv

        from_runtime:
          type: pandas.CSVDataset
          filepath: ${runtime_params:scoring_folder, data/06_scoring}/rows.csv
          versioned: ${runtime_params:versioned, true}

        not_versioned:
          type: pandas.CSVDataset
          filepath: "${runtime_params:scoring_folder, 'data/06_scoring'}/kept.csv"
          versioned: ${runtime_params:keep_versions, false}

        from_variable:
          type: pandas.CSVDataset
          filepath: ${_reports}/summary.csv

        overridden:
          type: pandas.CSVDataset
          filepath: data/01_raw/base.csv

        "{name}_scores":
          type: pandas.CSVDataset
          filepath: ${globals:folders.scoring}/{name}.csv
        """)
    _write(project, "conf/local/catalog_overrides.yml", """
        overridden:
          type: pandas.ParquetDataset
          filepath: data/02_train/local.parquet
        """)
    _write(project, "conf/base/parameters_extra.yml", """
        extra:
          threshold: 0.5
          folder: ${globals:folders.raw}
        plain_number: 3
        """)
    _write(project, "conf/local/parameters_extra.yml", """
        plain_number: 4
        """)
    _write(project, "conf/staging/globals.yml", """
        folders:
          raw: data/01_raw/staging
          scoring: data/06_scoring/staging
        """)
    _write(project, "conf/staging/catalog/nested.yml", """
        overridden:
          type: pandas.CSVDataset
          filepath: data/03_eval/staging.csv
        """)
    return project


@pytest.fixture(scope="module")
def spark_plain_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = {"project_name": "Spark Plain", "engine": "spark", "stage_style": "plain"}
    return new_project(tmp_path_factory.mktemp("spark-plain"), config=config)


@pytest.fixture(scope="module")
def spaceflights(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return spaceflights_project(tmp_path_factory.mktemp("spaceflights"))


@pytest.fixture(scope="module")
def grown_project(generated_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return grown(copy_project(generated_project, tmp_path_factory.mktemp("grown")))


CORPUS = [
    ("generated_project", None), ("plain_project", None), ("spark_project", None),
    ("spark_plain_project", None), ("spaceflights", None), ("grown_project", None),
    ("grown_project", "staging"), ("grown_project", "base"),
]


@pytest.fixture(scope="module")
def views() -> dict[tuple[Path, str | None], dict[str, Any]]:
    """Kedro's reading of each corpus case, made once for all the tests that compare it."""
    return {}


@pytest.fixture(params=CORPUS, ids=[f"{name}-{env or 'default'}" for name, env in CORPUS])
def case(request: pytest.FixtureRequest, views) -> tuple[Path, str | None, dict[str, Any]]:
    name, env = request.param
    root = request.getfixturevalue(name)
    if (root, env) not in views:
        views[root, env] = kedro_view(root, env)
    return root, env, views[root, env]


def test_the_catalog_is_what_kedros_config_loader_loads(case) -> None:
    root, env, kedro = case
    ours = load_catalog(root, env)
    assert ours.unresolved == {}
    assert sorted(ours) == sorted(kedro["catalog"])
    for name, config in kedro["catalog"].items():
        for field in RESOLVED_FIELDS:
            assert ours[name].get(field) == config.get(field), (name, field)


def test_every_dataset_is_stored_where_kedro_resolves_it(case) -> None:
    root, env, kedro = case
    config = load_catalog(root, env)
    entries = catalog_entries(root, config)
    names = sorted(kedro["paths"])
    ours = resolve_locations(root, config, entries, names)
    theirs = {name: locate(root, path)[0] for name, path in kedro["paths"].items()}
    by_design = {name for name in names if dataset_base(name) != name
                 and name not in config and ours[name] != theirs[name]}
    assert {name: ours[name] for name in names if name not in by_design} == \
        {name: theirs[name] for name in names if name not in by_design}


def test_parameters_and_globals_are_what_kedro_loads(case) -> None:
    root, env, kedro = case
    ours = read_config(root, "parameters", env).values
    assert sorted(ours) == sorted(kedro["parameters"])
    plain = {key: value for key, value in ours.items() if "${" not in json.dumps(value)}
    assert plain == {key: kedro["parameters"][key] for key in plain}
    assert read_globals(root, env).values == kedro["globals"]


def test_the_pipelines_in_lite_mode_are_what_find_pipelines_builds(case) -> None:
    root, _, kedro = case
    project = load_project(root)
    loaded = load_stage_pipelines(project, sorted(kedro["pipelines"]), ImportMode.LITE)
    ours = {
        folder: sorted([node.name, sorted(node.inputs), list(node.outputs), sorted(node.tags),
                        node.namespace] for node in stage.nodes)
        for folder, stage in loaded.stages.items()
    }
    assert ours == kedro["pipelines"]
    assert all(stage.imported == ImportMode.LITE for stage in loaded.stages.values())
