"""The generated project's own tests survive what users do (issue 26): one ordinary edit
(user_edits.py) applied to a copy of a session project, then `kedro run` where the edit
needs a new run to mean anything, then the project's own `pytest`, which must pass and
still test the project (a floor of passed tests, and the tests the edit touches ran).

Cheap on purpose: projects come from the session fixtures (generated once per engine)
and are copied, never generated again; an edit that changes only the model or how it is
served starts from the trained project and reruns the stages it changes alone. The selected
cases run two at a time (each step is a process of its own, so both cores work); each
test then reads its case's results.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import CompletedProcess

import pandas as pd
import pytest

from tests.starter import user_edits as edits
from tests.support import KEDRO, PYTHON, copy_project, run

pytestmark = pytest.mark.e2e

MODEL_STAGES = ("run", "--pipelines", "03_model_training,04_model_evaluation")
FEATURE_STAGES = ("run", "--pipelines",
                  "02_feature_engineering,03_model_training,04_model_evaluation")
# The unedited project passes about 75 tests (pandas) or 80 (Spark): an edit may skip a
# few that no longer apply (no notebook, no scaled number), never most.
MINIMUM_PASSED = 60


@dataclass
class Outcome:
    """One case after its steps: the project, each step's process, each test's outcome
    (`tests/...::name` -> passed / failed / skipped), and the skip reasons."""

    project: Path
    steps: dict[str, CompletedProcess[str]] = field(default_factory=dict)
    tests: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def ran(self, part: str) -> dict[str, str]:
        """The outcomes of the tests whose id contains `part`."""
        return {name: result for name, result in self.tests.items() if part in name}


@dataclass(frozen=True)
class Case:
    source: str  # the session fixture the project is copied from
    edit: Callable[[Path, Path], None]
    run: tuple[str, ...] = ()  # `kedro` arguments run after the edit; () for none
    expect: Callable[[Outcome], None] = lambda outcome: None

    @property
    def engine(self) -> str:
        return "spark" if "spark" in self.source else "pandas"


# -- what each edit must leave true besides a passing suite -------------------------------

def _notebook_gone(outcome: Outcome) -> None:
    [(name, result)] = outcome.ran("test_notebook.py").items()
    assert result == "skipped", name
    assert "holds no notebook" in outcome.skipped[name]


def _own_notebook_ran(outcome: Outcome) -> None:
    assert outcome.ran("team/first_look.ipynb") and set(
        outcome.ran("test_notebook.py").values()) == {"passed"}
    seen = json.loads((outcome.project / edits.OWN_NOTEBOOK_OUTPUT).read_text())
    rows = len(pd.read_csv(outcome.project / "data/01_raw/penguins.csv"))
    assert seen == {"rows": rows, "target": "species"}


def _stage_before_tested(outcome: Outcome) -> None:
    name, _ = edits.STAGE_BEFORE
    pipelines = outcome.project / "src/penguin_lab/pipelines"
    assert {"02_data_cleaning", "03_feature_engineering", "06_api"} <= {
        p.name for p in pipelines.iterdir()}
    assert set(outcome.ran(f"02_{name}/").values()) == {"passed"}
    for moved in ("03_feature_engineering", "06_api"):
        assert outcome.ran(f"{moved}/") and "skipped" not in outcome.ran(moved).values()


def _stage_after_tested(outcome: Outcome) -> None:
    assert set(outcome.ran(f"06_{edits.STAGE_AFTER}/").values()) == {"passed"}


def _split_tested(outcome: Outcome) -> None:
    splits = outcome.ran("test_split_")
    assert len(splits) >= 4 and "failed" not in splits.values()


def _model_class(outcome: Outcome) -> str:
    metrics = outcome.project / "data/05_reporting/metrics.json"
    return json.loads(metrics.read_text())["model_class"]


def _estimator_trained(outcome: Outcome) -> None:
    if outcome.steps.get("kedro"):
        assert _model_class(outcome).endswith(".RandomForestClassifier")
    assert outcome.ran("test_the_estimator_is_a_parameter")


def _other_data_tested(outcome: Outcome) -> None:
    assert "test_the_request_schema_follows_the_data_contract" in " ".join(outcome.tests)
    contract = outcome.project / "conf/base/parameters_data_contract.yml"
    assert "petal length (cm)" in contract.read_text()


def _column_learned(outcome: Outcome) -> None:
    metadata = json.loads((outcome.project / "models/model_metadata.json").read_text())
    assert any(edits.NEW_COLUMN in name for name in metadata["feature_names"])


def _served_with_sklearn(outcome: Outcome) -> None:
    metrics = json.loads(
        (outcome.project / "data/05_reporting/metrics.json").read_text())
    assert metrics["onnx_parity"]["checked"] is False
    assert outcome.ran("test_all_stages_run_on_an_in_memory_catalog")


CASES: dict[str, Case] = {
    "delete the example notebook": Case(
        "generated_project", edits.delete_example_notebook, expect=_notebook_gone),
    "add a notebook that reads the catalog": Case(
        "generated_project", edits.add_own_notebook, expect=_own_notebook_ran),
    "add-stage before an existing stage": Case(
        "generated_project", edits.add_stage_before, expect=_stage_before_tested),
    "add-stage after the last stage": Case(
        "generated_project", edits.add_stage_after, expect=_stage_after_tested),
    "change split fractions and seed": Case(
        "generated_project", edits.change_split, expect=_split_tested),
    "change the estimator and its arguments": Case(
        "trained_project", edits.change_estimator("pandas"), run=FEATURE_STAGES,
        expect=_estimator_trained),
    "use-data with another dataset": Case(
        "generated_project", edits.use_other_data, expect=_other_data_tested),
    "add a column to the raw data and the contract": Case(
        "generated_project", edits.add_column, run=("run",), expect=_column_learned),
    "serve with sklearn": Case(
        "trained_project", edits.serve_with_sklearn, run=MODEL_STAGES,
        expect=_served_with_sklearn),
    # Spark projects are slow (a JVM per process, a minute of tests): two cases, the
    # edits whose code differs by engine most (hash-based splits, MLlib estimators).
    "spark: change split fractions and seed": Case(
        "spark_project", edits.change_split, expect=_split_tested),
    "spark: change the estimator and its arguments": Case(
        "spark_project", edits.change_estimator("spark"), expect=_estimator_trained),
}
# `kedro layout upgrade` from each released version with a user's edits kept, the last
# edit of issue 26's list, is tested where the released projects are built (each needs a
# venv of its own release): tests/upgrade/test_upgrade_e2e.py edits a 0.1.0 and a 0.2.0
# project as users do (a stage added, a catalog entry, estimator arguments, the seed, the
# column table, notebooks), upgrades them and runs their own pytest.

def _junit(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Each test's outcome and each skip's reason, from pytest's JUnit XML report."""
    tests, skipped = {}, {}
    for case in ET.parse(path).getroot().iter("testcase"):
        module = (case.get("classname") or "").replace(".", "/")
        name = f"{module}.py::{case.get('name')}"
        tests[name] = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                tests[name] = "failed"
            elif child.tag == "skipped":
                tests[name] = "skipped"
                skipped[name] = child.get("message", "")
    return tests, skipped


def _chain(case: Case, parent: Path, source: Path) -> Outcome:
    outcome = Outcome(copy_project(source, parent))
    scratch = parent.parent / "scratch"
    scratch.mkdir()
    case.edit(outcome.project, scratch)
    if case.run:
        outcome.steps["kedro"] = run([KEDRO, *case.run], outcome.project, timeout=900)
        if outcome.steps["kedro"].returncode != 0:
            return outcome
    report = parent.parent / "junit.xml"
    outcome.steps["pytest"] = run(
        [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}"],
        outcome.project, timeout=1200)
    if report.exists():
        outcome.tests, outcome.skipped = _junit(report)
    return outcome


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
             ) -> dict[str, Outcome]:
    """Every selected case's chain, two at a time."""
    selected = sorted({item.callspec.params["case"] for item in request.session.items
                       if item.module is request.module and hasattr(item, "callspec")})
    sources = {name: request.getfixturevalue(name)
               for name in {CASES[case].source for case in selected}}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            case: pool.submit(_chain, CASES[case],
                              tmp_path_factory.mktemp("edit") / "project",
                              sources[CASES[case].source])
            for case in selected
        }
        return {case: future.result() for case, future in futures.items()}


def _shown(result: CompletedProcess[str]) -> str:
    return (f"exit {result.returncode}\n--- stdout\n{result.stdout[-4000:]}\n--- stderr\n"
            f"{result.stderr[-2000:]}")


def _params() -> list:
    return [pytest.param(name, id=name.replace(" ", "-").replace(":", ""),
                         marks=[pytest.mark.spark] if case.engine == "spark" else [])
            for name, case in CASES.items()]


@pytest.mark.parametrize("case", _params())
def test_the_projects_own_tests_pass_after_the_edit(outcomes, case):
    outcome, expected = outcomes[case], CASES[case]
    for step, result in outcome.steps.items():
        assert result.returncode == 0, f"{step}: {_shown(result)}"
    assert "pytest" in outcome.steps, "the project's tests did not run"
    results = list(outcome.tests.values())
    assert "failed" not in results
    assert results.count("passed") >= MINIMUM_PASSED, (
        f"only {results.count('passed')} of {len(results)} tests passed; skipped: "
        f"{sorted(set(outcome.skipped.values()))}")
    expected.expect(outcome)
