"""Adopting projects that look like real ones (tests/plugin/lookalikes.py): `kedro layout
init` never breaks them, and the check then reports only their true findings, the same in
lite and full import mode (issue 27), the data-flow rules included (issue 23: data built
from parameters alone carries no rows, a split is recognised in any folder and in memory,
only learners are fits).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kedro_ml_starter.manifest import load_manifest
from kedro_plugin_layout.commands.check import check
from kedro_plugin_layout.kinds import ImportMode
from tests.plugin.layout_projects import invoke
from tests.plugin.lookalikes import KEDRO_DATA_FOLDERS, LOOKALIKES, PREFIXED, LookAlike, lookalike
from tests.support import KEDRO, PYTHON, run, tree_hashes


def _params() -> list[object]:
    return [pytest.param(item, id=item.name) for item in LOOKALIKES]


def adopt(item: LookAlike, parent: Path) -> Path:
    root = item.build(parent)
    result = invoke(root, "init")
    assert result.exit_code == 0, result.output
    assert "Left for you" not in result.output, result.output
    return root


def findings(root: Path, mode: ImportMode) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for result in check(root, import_mode=mode).findings:
        found.setdefault(result.rule, []).append(result.message)
    return found


@pytest.mark.parametrize("mode", [ImportMode.LITE, ImportMode.FULL])
@pytest.mark.parametrize("item", _params())
def test_an_adopted_lookalike_shows_only_its_true_findings(tmp_path: Path, item: LookAlike,
                                                           mode: ImportMode) -> None:
    root = adopt(item, tmp_path)
    found = findings(root, mode)
    assert set(found) == item.findings, found


# -- init never breaks a project ---------------------------------------------------------------


@pytest.mark.e2e
def test_a_utils_module_stays_importable_and_kedro_run_works_as_before(tmp_path: Path) -> None:
    root = lookalike("utils_module").build(tmp_path)
    utils = root / "src/house_prices/utils.py"
    text = utils.read_text()
    first = run([KEDRO, "run"], root)
    assert first.returncode == 0, first.stderr[-3000:]
    metrics = root / "data/08_reporting/metrics.json"
    metrics.unlink()

    adopted = run([KEDRO, "layout", "init"], root)

    assert adopted.returncode == 0, adopted.stderr
    assert not (root / "src/house_prices/utils").exists()
    assert utils.read_text() == text
    assert load_manifest(root).utils == "utils"
    again = run([KEDRO, "run"], root)
    assert again.returncode == 0, again.stderr[-3000:]
    assert metrics.is_file()
    checked = run([KEDRO, "layout", "check"], root)
    assert checked.returncode == 0, checked.stdout


def test_init_undoes_everything_when_adoption_breaks_a_pipeline(tmp_path: Path,
                                                                monkeypatch) -> None:
    """A stage that builds before adoption and fails after it: the plan is undone and one
    line names the stage and the error."""
    from kedro_plugin_layout.commands import init

    root = lookalike("in_memory_split").build(tmp_path)
    stage = root / "src/rocket_prices/pipelines/data_science"
    (stage / "pipeline.py").write_text(
        "try:\n    from .switch import BROKEN\nexcept ImportError:\n    BROKEN = False\n"
        + (stage / "pipeline.py").read_text().replace(
            "    return Pipeline([", "    assert not BROKEN, 'the stage switch is on'\n"
                                     "    return Pipeline([", 1))
    before = tree_hashes(root)
    real = init.plan_missing_parts

    def with_a_breaking_file(plan, project):
        left = real(plan, project)
        plan.create_file("src/rocket_prices/pipelines/data_science/switch.py", "BROKEN = True\n")
        return left

    monkeypatch.setattr(init, "plan_missing_parts", with_a_breaking_file)
    result = invoke(root, "init")

    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1] == (
        "Error: adopting the layout would break stage data_science's pipeline "
        "(AssertionError: the stage switch is on), so init undid it; please report this to "
        "kedro-ml-structure with the project's layout; nothing was changed")
    assert tree_hashes(root) == before


# -- the order of stages comes from their data --------------------------------------------------


def test_prefixed_stages_keep_the_order_their_data_and_prefixes_give(tmp_path: Path) -> None:
    root = adopt(lookalike("prefixed_stages"), tmp_path)
    manifest = load_manifest(root)
    assert manifest.stage_style == "plain"
    assert [s.folder for s in manifest.stages] == [stage for stage, *_ in PREFIXED]


# -- data roles from the catalog and DVC, not only the disk -------------------------------------


def test_data_tracked_by_dvc_is_adopted_from_the_catalog_and_dvc(tmp_path: Path) -> None:
    root = lookalike("dvc_data").build(tmp_path)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    before = tree_hashes(root)

    result = invoke(root, "init")

    assert result.exit_code == 0, result.output
    assert "  data   data/01_raw                   raw        (not on disk; from catalog, DVC)" \
        in result.output.splitlines()
    manifest = load_manifest(root)
    assert [d.folder for d in manifest.data] == list(KEDRO_DATA_FOLDERS)
    assert manifest.models == "data/06_models"
    created = set(tree_hashes(root)) - set(before)
    assert not [path for path in created if path.startswith(("data/01_raw/", "data/03_primary/"))]
    assert "data/02_intermediate/.gitkeep" in created  # Kedro's folder, not DVC's
    assert findings(root, ImportMode.LITE) == {}


# -- projects made with an older Kedro ---------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize(("name", "says"), [
    ("kedro_019", ("this project targets Kedro 0.19.9 ([tool.kedro] kedro_init_version) and "
                   "Kedro 1.7.0 refuses to load it")),
    ("kedro_018", ("this project targets Kedro 0.18.14 ([tool.kedro] project_version) and "
                   "Kedro 1.7.0 refuses to load it")),
])
def test_an_older_kedro_project_gets_one_line_and_exit_code_2(tmp_path: Path, name: str,
                                                              says: str) -> None:
    root = lookalike(name).build(tmp_path)
    before = tree_hashes(root)

    for command in (["check"], ["init"], ["check", "--format", "json"]):
        result = run([KEDRO, "layout", *command], root)
        assert result.returncode == 2, (result.stdout, result.stderr)
        [line] = result.stderr.splitlines()
        assert line.startswith(f"Error: {root / 'pyproject.toml'}: {says}"), line
        assert "`python -m kedro_plugin_layout check .` checks it without Kedro's version " \
               "check" in line
        assert "Traceback" not in result.stdout + result.stderr
    assert tree_hashes(root) == before

    adopted = run([PYTHON, "-m", "kedro_plugin_layout", "init"], root)
    assert adopted.returncode == 0, adopted.stderr
    checked = run([PYTHON, "-m", "kedro_plugin_layout", "check", "."], root)
    assert checked.returncode == 0, checked.stdout
    assert "No findings" in checked.stdout
