"""What `kedro new --starter=ml-structure` writes: the exact files, fully rendered."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from kedro_ml_starter import TEMPLATE_PATH
from kedro_ml_starter.manifest import default_manifest, load_manifest
from kedro_ml_starter.template_record import is_answer, read_template_record
from kedro_plugin_layout import __version__
from tests.support import PACKAGE, new_project, run

pytestmark = pytest.mark.e2e

_STAGES = ("data_preprocessing", "feature_engineering", "model_training", "model_evaluation",
           "api")
_STAGE_FILES = ("__init__.py", "nodes.py", "pipeline.py")
# Files the serving issues (#4, #15) add to the 05_api stage folder (the app; the serving
# runtime itself is kedro_ml_starter.runtime) and its tests folder: keep these lists exact too.
_SERVING_FILES = ("app.py",)
_SERVING_TEST_FILES: tuple[str, ...] = ("conftest.py", "test_app.py", "test_app_parity.py")

_COMMON = """
.gitignore
.github/workflows/ci.yml
README.md
pyproject.toml
requirements.txt
conf/base/catalog.yml
conf/base/parameters_api.yml
conf/base/parameters_data_contract.yml
conf/base/parameters_data_preprocessing.yml
conf/base/parameters_feature_engineering.yml
conf/base/parameters_model_evaluation.yml
conf/base/parameters_model_training.yml
conf/logging.yml
conf/local/.gitkeep
conf/local/credentials.yml
data/01_raw/README.md
data/01_raw/penguins.csv
data/02_train/.gitkeep
data/03_eval/.gitkeep
data/04_test/.gitkeep
data/05_reporting/.gitkeep
data/06_scoring/.gitkeep
data/06_scoring/new_penguins.csv
models/.gitkeep
notebooks/explore_raw_data.ipynb
src/{pkg}/__init__.py
src/{pkg}/__main__.py
src/{pkg}/pipeline_registry.py
src/{pkg}/settings.py
src/{pkg}/pipelines/__init__.py
src/{pkg}/utils/__init__.py
src/{pkg}/utils/features.py
src/{pkg}/utils/scoring.py
src/{pkg}/utils/splits.py
tests/__init__.py
tests/conftest.py
tests/helpers.py
tests/test_notebook.py
tests/test_run.py
tests/test_registry.py
tests/pipelines/__init__.py
"""


# The Spark engine (#7) replaces some pandas files in place (same paths: catalog,
# parameters, notebook, stage nodes, utils/features.py, utils/scoring.py, tests/conftest.py
# and the serving stage's tests; the other stage tests are shared) and adds these.
_SPARK_ADDS = """
conf/base/log4j2-spark.properties
conf/base/spark.yml
tests/test_spark_stages.py
"""


# What `tracking: mlflow` adds (#12): what an MLflow run records, and where.
_TRACKING_ADDS = """
conf/base/tracking.yml
"""


def expected_files(package: str, stage_style: str, engine: str = "pandas",
                   tracking: str = "none") -> set[str]:
    """Every file a new project has, for a package name, a stage style, an engine and a
    tracking choice."""
    files = {line.format(pkg=package) for line in _COMMON.split()}
    if tracking == "mlflow":
        files |= set(_TRACKING_ADDS.split())
    if engine == "spark":
        files |= {line.format(pkg=package) for line in _SPARK_ADDS.split()}
    for number, stage in enumerate(_STAGES, start=1):
        folder = f"{number:02d}_{stage}" if stage_style == "numbered" else stage
        extra = _SERVING_FILES if stage == "api" else ()
        tests = _SERVING_TEST_FILES if stage == "api" else ()
        files |= {f"src/{package}/pipelines/{folder}/{name}" for name in _STAGE_FILES + extra}
        files |= {f"tests/pipelines/{folder}/{name}"
                  for name in ("__init__.py", f"test_{stage}_nodes.py", *tests)}
    return files


def project_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


def test_default_project_has_exactly_the_expected_files(generated_project: Path):
    assert project_files(generated_project) == expected_files(PACKAGE, "numbered")


def test_plain_stage_style_has_unnumbered_stage_folders(plain_project: Path):
    assert plain_project.name == "plain-lab"
    assert project_files(plain_project) == expected_files("plain_lab", "plain")


def test_task_regression_predicts_the_body_mass_from_the_same_files(
        regression_project: Path, generated_project: Path):
    """`task: regression` changes the data contract's target and task, the estimator and
    the scoring sample (which holds the species, now a feature, and not the body mass);
    the code is the same."""
    from kedro_ml_starter.runtime import DataContract

    assert project_files(regression_project) == expected_files("mass_lab", "numbered")
    assert not [p for p in regression_project.rglob("*") if "_task_" in p.as_posix()]
    regression = DataContract.load(regression_project)
    classification = DataContract.load(generated_project)
    assert (regression.target, regression.task) == ("body_mass_g", "regression")
    assert (classification.target, classification.task) == ("species", "classification")
    assert regression.columns[0].role == "feature" and regression.classes == ()
    assert classification.classes == ("Adelie", "Chinstrap", "Gentoo")
    training = yaml.safe_load((regression_project / "conf/base/parameters_model_training.yml")
                              .read_text())
    assert training["model_training"]["estimator"]["type"] == "sklearn.linear_model.Ridge"
    sample = (regression_project / "data/06_scoring/new_penguins.csv").read_text()
    assert sample.splitlines()[0] == ("species,island,bill_length_mm,bill_depth_mm,"
                                      "flipper_length_mm,sex,year")
    for path in (regression_project / "src").rglob("*.py"):
        relative = path.relative_to(regression_project / "src/mass_lab")
        assert path.read_text() == (generated_project / "src/penguin_lab" / relative
                                    ).read_text().replace("penguin_lab", "mass_lab").replace(
            "Penguin Lab", "Mass Lab").replace("tabular classification", "tabular regression"), path


def test_spark_engine_has_exactly_the_expected_files(spark_project: Path):
    assert spark_project.name == "spark-lab"
    assert project_files(spark_project) == expected_files("spark_lab", "numbered", "spark")
    assert not [p for p in spark_project.rglob("*") if "_engine_spark" in p.as_posix()]


def test_spark_engine_files_are_the_spark_versions(spark_project: Path,
                                                   generated_project: Path):
    """The overlay's files replaced the pandas ones at the same paths; the rest is shared."""
    catalog = (spark_project / "conf/base/catalog.yml").read_text(encoding="utf-8")
    assert "spark.SparkDatasetV2" in catalog and "pandas." not in catalog
    nodes = spark_project / "src/spark_lab/pipelines/01_data_preprocessing/nodes.py"
    assert "from pyspark.sql import DataFrame" in nodes.read_text(encoding="utf-8")
    assert "spark.master: local[*]" in (spark_project / "conf/base/spark.yml").read_text()
    settings = (spark_project / "src/spark_lab/settings.py").read_text(encoding="utf-8")
    assert "from kedro_ml_starter.runtime import (" in settings and "    SparkHooks,\n" in settings
    assert '"config_patterns": {"spark": ["spark*", "spark*/**"]}' in settings
    shared = "data/01_raw/penguins.csv"
    assert (spark_project / shared).read_bytes() == (generated_project / shared).read_bytes()
    pandas_settings = (generated_project / "src/penguin_lab/settings.py").read_text()
    assert "SparkHooks" not in pandas_settings and "spark*" not in pandas_settings


_README_SECTION = re.compile(r'README(?:, | \(section )"([^"]+)"')


@pytest.mark.parametrize("fixture", ["generated_project", "spark_project", "tracked_project"])
def test_every_readme_section_a_generated_file_names_exists(fixture: str,
                                                           request: pytest.FixtureRequest):
    """Comments point users to the README (`see README, "On a cluster"`): each section they
    name is a heading of the project's README."""
    project: Path = request.getfixturevalue(fixture)
    headings = {line.lstrip("#").strip()
                for line in (project / "README.md").read_text(encoding="utf-8").splitlines()
                if line.startswith("#")}
    named = {(path.relative_to(project).as_posix(), section)
             for path in project.rglob("*") if path.is_file() and path.name != "README.md"
             and path.suffix in (".yml", ".yaml", ".py", ".toml", ".properties")
             for section in _README_SECTION.findall(path.read_text(encoding="utf-8"))}
    assert named, "no generated file names a README section"
    assert sorted((f, s) for f, s in named if s not in headings) == []
    if fixture == "spark_project":
        assert ("conf/base/catalog.yml", "On a cluster") in named


def test_tracking_mlflow_adds_its_settings_its_hooks_and_mlflow(tracked_project: Path,
                                                                generated_project: Path):
    """`tracking: mlflow` adds conf/base/tracking.yml, the hooks in settings.py and mlflow
    in requirements.txt; the default, `none`, adds none of them."""
    assert project_files(tracked_project) == expected_files("tracked_lab", "numbered",
                                                            tracking="mlflow")
    assert not [p for p in tracked_project.rglob("*") if "_tracking_mlflow" in p.as_posix()]
    tracking = yaml.safe_load((tracked_project / "conf/base/tracking.yml").read_text())
    assert tracking == {
        "tracking_uri": None, "experiment": "tracked_lab", "metrics": ["metrics"],
        "artifacts": ["evaluation_plot"],
        "sklearn_model": {"steps": ["feature_transformers", "model"],
                          "example": "train_split"},
        "onnx_model": "model_onnx", "registered_model": "tracked_lab",
    }
    settings = (tracked_project / "src/tracked_lab/settings.py").read_text()
    assert "    MlflowHooks,\n" in settings
    assert "HOOKS += (MlflowHooks(),)" in settings
    requirements = (tracked_project / "requirements.txt").read_text().splitlines()
    assert "mlflow>=3.4,<4" in requirements
    untracked = generated_project
    assert not (untracked / "conf/base/tracking.yml").exists()
    assert "MlflowHooks" not in (untracked / "src/penguin_lab/settings.py").read_text()
    assert "mlflow" not in (untracked / "requirements.txt").read_text()
    assert "## Tracking" in (tracked_project / "README.md").read_text()
    assert "## Tracking" not in (untracked / "README.md").read_text()


@pytest.mark.parametrize("fixture", ["generated_project", "plain_project", "spark_project",
                                     "tracked_project", "regression_project"])
def test_nothing_is_left_unrendered(fixture: str, request: pytest.FixtureRequest):
    root: Path = request.getfixturevalue(fixture)
    for path in root.rglob("*"):
        assert "{{" not in path.name and "{%" not in path.name, path
        if path.is_file() and path.suffix != ".csv":
            text = path.read_text(encoding="utf-8")
            assert "{{" not in text and "{%" not in text and "cookiecutter" not in text, path


@pytest.mark.parametrize(("fixture", "style"),
                         [("generated_project", "numbered"), ("plain_project", "plain")])
def test_pyproject_has_kedro_metadata_and_the_manifest(fixture: str, style: str,
                                                       request: pytest.FixtureRequest):
    root: Path = request.getfixturevalue(fixture)
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    package = root.name.replace("-", "_")
    assert pyproject["tool"]["kedro"] == {
        "package_name": package,
        "project_name": "Penguin Lab" if style == "numbered" else "Plain Lab",
        "kedro_init_version": pyproject["tool"]["kedro"]["kedro_init_version"],
        "source_dir": "src",
    }
    assert pyproject["project"]["name"] == package
    assert pyproject["tool"]["pytest"]["ini_options"]["pythonpath"] == ["src"]
    manifest = load_manifest(root)
    assert manifest.source == "pyproject"
    assert manifest == default_manifest(style)
    for stage in manifest.stages:
        assert (root / "src" / package / "pipelines" / stage.folder / "pipeline.py").is_file()
    for folder in manifest.data:
        assert (root / "data" / folder.folder).is_dir()


@pytest.mark.parametrize(("fixture", "answers"), [
    ("generated_project",
     ("Penguin Lab", "penguin-lab", "penguin_lab", "numbered", "pandas", "classification")),
    ("plain_project",
     ("Plain Lab", "plain-lab", "plain_lab", "plain", "pandas", "classification")),
    ("spark_project",
     ("Spark Lab", "spark-lab", "spark_lab", "numbered", "spark", "classification")),
    ("regression_project",
     ("Mass Lab", "mass-lab", "mass_lab", "numbered", "pandas", "regression")),
])
def test_the_manifest_records_the_version_and_every_answer(fixture: str, answers: tuple,
                                                           request: pytest.FixtureRequest):
    """What `kedro layout upgrade` renders again: this version, with these answers."""
    root: Path = request.getfixturevalue(fixture)
    record = read_template_record(tomllib.loads((root / "pyproject.toml").read_text()))
    questions = [key for key in json.loads((TEMPLATE_PATH / "cookiecutter.json").read_text())
                 if is_answer(key)]

    named = ("project_name", "repo_name", "python_package", "stage_style", "engine", "task")

    assert record is not None and record.version == __version__
    assert set(record.answers) == set(questions) >= set(named)
    assert {key: record.answers[key] for key in named} == dict(zip(named, answers, strict=True))


@pytest.mark.parametrize(("fixture", "style"), [
    ("generated_project", "numbered"), ("plain_project", "plain"),
    ("spark_project", "numbered"),
])
def test_the_readme_first_screen_shows_the_layout_and_how_to_run_a_stage(
        fixture: str, style: str, request: pytest.FixtureRequest):
    """Issue 11: what a user sees before scrolling names every data folder, how to run one
    stage and where the raw data goes; a numbered project says how its stages import."""
    root: Path = request.getfixturevalue(fixture)
    first_screen = "\n".join(
        (root / "README.md").read_text(encoding="utf-8").splitlines()[:50])

    for folder in load_manifest(root).data:
        assert f"data/{folder.folder}/" in first_screen, folder.folder
    assert "kedro run --pipelines" in first_screen
    assert "data/01_raw/" in first_screen
    assert ("importlib" in first_screen) == (style == "numbered")
    # Issue 20: how to bring your own data, before scrolling.
    assert "kedro layout use-data" in first_screen and "docs/use-data.md" in first_screen


def test_every_docs_page_the_readme_names_is_a_page_of_this_repository(
        generated_project: Path, spark_project: Path):
    """The generated README names reference pages as `docs/<page>.md` of the
    kedro-ml-structure repository: each must exist, or the user follows a dead pointer."""
    docs = Path(__file__).resolve().parents[2] / "docs"
    named = {page for project in (generated_project, spark_project)
             for page in re.findall(r"`docs/([\w.-]+\.md)",
                                    (project / "README.md").read_text(encoding="utf-8"))}

    assert "use-data.md" in named
    assert sorted(page for page in named if not (docs / page).is_file()) == []


def test_raw_data_is_the_shipped_penguins_with_its_citation(generated_project: Path):
    raw = (generated_project / "data/01_raw/penguins.csv").read_text(encoding="utf-8")
    assert raw.splitlines()[0] == (
        "species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year"
    )
    assert len(raw.splitlines()) == 345
    readme = (generated_project / "data/01_raw/README.md").read_text(encoding="utf-8")
    assert "CC0" in readme and "PLoS ONE 9(3): e90081" in readme


def test_notebook_is_nbformat_4_with_code_that_compiles(generated_project: Path):
    (path,) = (generated_project / "notebooks").glob("*.ipynb")
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    code = [("".join(c["source"])) for c in notebook["cells"] if c["cell_type"] == "code"]
    assert any("catalog.load(\"raw_data\")" in cell for cell in code)
    assert any("params:data_contract" in cell for cell in code)
    compile("\n".join(code), str(path), "exec")


def test_gitignore_keeps_folders_and_shipped_data_but_not_outputs(project_copy,
                                                                  generated_project: Path):
    project = project_copy(generated_project)
    for output in ("data/02_train/train.parquet", "data/05_reporting/metrics.json",
                   "models/model.pkl/2026-01-01T00.00.00.000Z/model.pkl",
                   "conf/local/credentials.yml", "mlflow.db", "mlruns/1/meta.yaml",
                   ".viz/stats.json", "build/api/main"):
        (project / output).parent.mkdir(parents=True, exist_ok=True)
        (project / output).write_text("x")
    run(["git", "init", "-q"], project, check=True)
    listed = run(["git", "ls-files", "--others", "--exclude-standard"], project,
                 check=True).stdout.split()
    assert "data/01_raw/penguins.csv" in listed
    assert "data/06_scoring/new_penguins.csv" in listed
    assert "data/02_train/.gitkeep" in listed and "models/.gitkeep" in listed
    assert "conf/local/.gitkeep" in listed and "conf/base/catalog.yml" in listed
    assert not [p for p in listed if p.endswith((".parquet", ".json", ".pkl"))
                and not p.startswith(("src/", "notebooks/"))]
    assert "conf/local/credentials.yml" not in listed
    assert not [p for p in listed if p.startswith(("mlflow.db", "mlruns/", ".viz/", "build/"))]


def test_spark_engine_with_plain_stage_style(tmp_path: Path):
    """The two choices combine: unnumbered stage folders, Spark files in each of them."""
    project = new_project(tmp_path, config={"project_name": "Plain Spark", "engine": "spark",
                                            "stage_style": "plain"})
    assert project_files(project) == expected_files("plain_spark", "plain", "spark")
    nodes = project / "src/plain_spark/pipelines/data_preprocessing/nodes.py"
    assert "from pyspark.sql import DataFrame" in nodes.read_text(encoding="utf-8")
