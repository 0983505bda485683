"""Lite loading: the node graph without the project's dependencies, the fallback to a real
import when lite mode cannot build a stage, `--import-mode`, and where each node was made."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest

from kedro_plugin_layout.check.facts import Facts
from kedro_plugin_layout.commands.check import check
from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.project.standins import StandIn, StandInModule, StandInUsed, stand_ins
from tests.plugin.trees import PACKAGE, layout_project, pipelines_dir, write
from tests.support import PYTHON, run

MISSING = "kedro_layout_never_installed"  # a dependency no environment has


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return layout_project(tmp_path)


def write_stage(root: Path, folder: str, pipeline: str, nodes: str = "") -> None:
    stage = pipelines_dir(root) / folder
    (stage / "pipeline.py").write_text(textwrap.dedent(pipeline).lstrip())
    if nodes:
        (stage / "nodes.py").write_text(textwrap.dedent(nodes).lstrip())


def training_nodes(root: Path) -> list:
    return list(Facts(root).get("pipelines")["03_model_training"].nodes)


# -- stand-ins ------------------------------------------------------------------------------


def test_a_stand_in_takes_what_import_time_code_does_with_a_library() -> None:
    pd = StandInModule("pandas")
    frame = pd.DataFrame({"a": [1]})[["a"]] * 2 + 1
    assert isinstance(frame, StandIn) and repr(pd.DataFrame) == "<stand-in pandas.DataFrame>"
    pd.options.mode.copy_on_write = True
    assert pd.options.mode.copy_on_write is True

    sklearn = StandInModule("sklearn")

    class Estimator(sklearn.base.BaseEstimator, sklearn.base.TransformerMixin, flavour="x"):
        pass

    assert [c.__name__ for c in Estimator.__mro__] == [
        "Estimator", "BaseEstimator", "TransformerMixin", "StandInBase", "object"]
    assert not isinstance(1, pd.DataFrame)
    with pd.option_context("display.width", 80) as context:
        assert isinstance(context, StandIn)

    @StandInModule("pandera").check_types(lazy=True)
    def clean(rows):
        return rows

    assert clean.__name__ == "clean" and callable(clean)
    assert bool(StandInModule("torch").cuda.is_available())


@pytest.mark.parametrize("use", [
    lambda value: list(value), lambda value: len(value), lambda value: f"{value}",
    lambda value: value < 3, lambda value: "a" in value, lambda value: range(value),
])
def test_a_value_that_could_shape_the_graph_refuses(use) -> None:
    with pytest.raises(StandInUsed, match="`numpy.arange"):
        use(StandInModule("numpy").arange(3))


def test_stand_ins_answer_only_the_projects_imports_and_leave_nothing_behind(
        project: Path) -> None:
    source = project / "src"
    write(source, f"{PACKAGE}/uses_libraries.py",
          f"import {MISSING}.sub as lib\nimport json\nVALUE = lib.make(1)\n")
    sys.path.insert(0, str(source))
    try:
        with stand_ins(source, PACKAGE) as finder:
            import importlib

            module = importlib.import_module(f"{PACKAGE}.uses_libraries")
            assert isinstance(module.VALUE, StandIn)
            assert module.json is sys.modules["json"]  # the standard library stays real
        assert finder.stood_in == {MISSING}
        assert MISSING not in sys.modules and f"{PACKAGE}.uses_libraries" not in sys.modules
        assert finder not in sys.meta_path
    finally:
        sys.path.remove(str(source))


def test_a_submodule_of_a_library_imported_for_real_stands_in_and_is_taken_back(
        project: Path, tmp_path: Path) -> None:
    """Kedro imports a project's settings for real (and with them the runtime's hooks)
    before the check reads its pipelines: a submodule of that library which the project
    imports later, and which needs what is not installed, stands in like the rest."""
    library = tmp_path / "libs"
    write(library, "real_library/__init__.py", "")
    write(library, "real_library/heavy.py", "raise ImportError('heavy needs numpy')\n")
    source = project / "src"
    write(source, f"{PACKAGE}/uses_heavy.py", "from real_library.heavy import thing\n")
    sys.path[:0] = [str(source), str(library)]
    try:
        import importlib

        real = importlib.import_module("real_library")
        with stand_ins(source, PACKAGE) as finder:
            module = importlib.import_module(f"{PACKAGE}.uses_heavy")
            assert isinstance(module.thing, StandIn)
        assert finder.stood_in == {"real_library"}
        assert "real_library.heavy" not in sys.modules and not hasattr(real, "heavy")
        with pytest.raises(ImportError, match="heavy needs numpy"):  # real again
            importlib.import_module("real_library.heavy")
    finally:
        sys.path.remove(str(source))
        sys.path.remove(str(library))
        sys.modules.pop("real_library", None)


# -- lite loading in a check ------------------------------------------------------------------


def test_a_dependency_that_is_not_installed_does_not_stop_the_check(project: Path) -> None:
    write_stage(project, "03_model_training", f"""
        from kedro.pipeline import Node, Pipeline

        from .nodes import train


        def create_pipeline(**kwargs) -> Pipeline:
            return Pipeline([Node(train, ["train_features", "params:model"], "model",
                                  name="train")])
        """, f"""
        import {MISSING} as boosting
        from {MISSING}.callbacks import EarlyStopping


        class Model(boosting.Booster, frozen=True):
            patience = EarlyStopping(rounds=5)


        @boosting.traced
        def train(features, parameters):
            return Model()
        """)
    report = check(project, select=["KL204", "KL4"])
    assert report.exit_code == 0, report.findings
    assert report.notes == (f"pipelines: 5 stages read in lite mode, with stand-ins for "
                            f"{MISSING}",)
    [node] = training_nodes(project)
    assert (node.name, node.inputs, node.outputs) == ("train", ("train_features",), ("model",))


GRAPH_FROM_A_LIBRARY = """
    import pandas as pd
    from kedro.pipeline import Node, Pipeline

    from .nodes import step

    SPLITS = pd.Series(["train", "eval"])


    def create_pipeline(**kwargs) -> Pipeline:
        return Pipeline([Node(step, f"{split}_features", f"{split}_scores",
                              name=f"score_{split}") for split in SPLITS])
    """


def test_a_graph_computed_from_a_library_value_is_imported_for_real(project: Path) -> None:
    """A fresh process: pandas, not imported yet, is a stand-in until the fallback."""
    write_stage(project, "04_model_evaluation", GRAPH_FROM_A_LIBRARY)
    result = run([PYTHON, "-m", "kedro_plugin_layout", "check", str(project), "--select",
                  "KL204,KL4", "--format", "json"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    notes = json.loads(result.stdout)["notes"]
    assert notes[1] == (
        "pipelines: stage 04_model_evaluation imported with its dependencies: lite mode could "
        "not build its graph (StandInUsed: import-time code iterates over `pandas.Series(...)`, "
        "a value of a dependency that is not imported in lite mode)")
    tree = run([PYTHON, "-m", "kedro_plugin_layout", "tree", "--format", "json"], project)
    stages = {s["folder"]: s for s in json.loads(tree.stdout)["stages"]}
    assert stages["04_model_evaluation"]["outputs"] == ["eval_scores", "train_scores"]


def test_import_mode_lite_refuses_instead_of_importing(project: Path) -> None:
    write_stage(project, "04_model_evaluation",
                GRAPH_FROM_A_LIBRARY.replace("import pandas as pd", f"import {MISSING} as pd"))
    with pytest.raises(ProjectReadError) as error:
        check(project, select=["KL204"], import_mode="lite")
    assert error.value.message == (
        f"src/{PACKAGE}/pipelines/04_model_evaluation: lite mode cannot build this stage's "
        f"graph (StandInUsed: import-time code iterates over `{MISSING}.Series(...)`, a value "
        "of a dependency that is not imported in lite mode); run with --import-mode full "
        "where the project's dependencies are installed")


def test_a_fallback_that_cannot_import_names_both_reasons(project: Path) -> None:
    write_stage(project, "04_model_evaluation",
                GRAPH_FROM_A_LIBRARY.replace("import pandas as pd", f"import {MISSING} as pd"))
    with pytest.raises(ProjectReadError) as error:
        check(project, select=["KL204"])
    message = error.value.message
    assert message.startswith(f"src/{PACKAGE}/pipelines/04_model_evaluation: importing the "
                              "project's code failed in ")
    assert f"ModuleNotFoundError: No module named '{MISSING}'" in message
    assert "lite mode failed too (StandInUsed: import-time code iterates over" in message
    assert "\n" not in message


def test_an_error_in_the_projects_own_code_is_named_first(project: Path) -> None:
    """Lite mode runs the project's code: when that code raises, and the real import then
    fails on a dependency this environment lacks, the project's error leads."""
    write_stage(project, "04_model_evaluation",
                GRAPH_FROM_A_LIBRARY.replace("import pandas as pd", f"import {MISSING} as pd")
                .replace("    SPLITS =", "    raise RuntimeError('boom')\n    SPLITS ="))
    with pytest.raises(ProjectReadError) as error:
        check(project, select=["KL204"])
    message = error.value.message
    assert message.startswith(f"src/{PACKAGE}/pipelines/04_model_evaluation: the project's "
                              "code raised RuntimeError: boom in ")
    assert (f"importing it with its dependencies failed too (ModuleNotFoundError: No module "
            f"named '{MISSING}')") in message
    assert "\n" not in message


def test_import_mode_full_imports_the_dependencies(project: Path) -> None:
    report = check(project, select=["KL204"], import_mode="full")
    assert report.notes == ("pipelines: imported with the project's dependencies "
                            "(--import-mode full)",)


def test_a_check_imports_none_of_the_installed_heavy_libraries(generated_project: Path,
                                                               tmp_path: Path) -> None:
    probe = (
        "import json, sys\n"
        "from kedro_plugin_layout.commands.check import check\n"
        f"report = check({str(generated_project)!r})\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pandas', 'numpy', 'sklearn', 'matplotlib', 'omegaconf', 'fsspec'))\n"
        "print(json.dumps([report.exit_code, report.notes, heavy]))\n"
    )
    result = run([PYTHON, "-c", probe], tmp_path, check=True)
    code, [note], heavy = json.loads(result.stdout)
    assert (code, heavy) == (0, [])
    assert note.startswith("pipelines: 5 stages read in lite mode, with stand-ins for ")
    assert {"pandas", "sklearn"} <= set(note.split("stand-ins for ")[1].split(", "))


# -- where each node was made ------------------------------------------------------------------


def test_nodes_point_at_their_node_call_in_every_output(project: Path) -> None:
    pipeline = """\
        from kedro.pipeline import Node, Pipeline, pipeline

        from .nodes import step


        def create_pipeline(**kwargs) -> Pipeline:
            base = Pipeline([
                Node(step, "train_features", "model", name="train"),
                Node(step, "test_features", "peek", name="peek"),
            ])
            return pipeline(base, namespace="ns", inputs={"train_features", "test_features"},
                            outputs={"model"}, tags=["copied"])
        """
    write_stage(project, "03_model_training", pipeline)
    nodes = {node.name: node for node in training_nodes(project)}
    path = f"src/{PACKAGE}/pipelines/03_model_training/pipeline.py"
    assert {name: (n.location.path, n.location.line, n.location.column)
            for name, n in nodes.items()} == {"ns.train": (path, 8, 9), "ns.peek": (path, 9, 9)}
    assert nodes["ns.peek"].namespace == "ns"
    report = check(project, select=["KL403"])
    [finding] = report.findings
    assert (finding.path, finding.line, finding.column) == (path, 9, 9)
    from kedro_plugin_layout.render import render

    sarif = json.loads(render(report, "sarif"))["runs"][0]["results"][0]
    assert sarif["locations"][0]["physicalLocation"]["region"] == {"startLine": 9,
                                                                   "startColumn": 9}
    assert f"::error file={path},line=9,col=9,title=KL403::" in render(report, "github")
    assert f"        - {path}:9:9: stage 03_model_training" in render(report, "text")


def test_nodes_made_by_a_shared_helper_point_at_the_stage_that_calls_it(project: Path) -> None:
    write(project, f"src/{PACKAGE}/utils/nodes.py", textwrap.dedent("""\
        from kedro.pipeline import node


        def scored(split):
            return node(lambda rows: rows, f"{split}_features", f"{split}_scores",
                        name=f"score_{split}")
        """))
    write_stage(project, "04_model_evaluation", f"""\
        from kedro.pipeline import Pipeline

        from {PACKAGE}.utils.nodes import scored


        def create_pipeline(**kwargs) -> Pipeline:
            return Pipeline([
                scored(split)
                for split in ("eval", "test")
            ])
        """)
    stage = Facts(project).get("pipelines")["04_model_evaluation"]
    assert {(n.name, n.location.line, n.location.column) for n in stage.nodes} == {
        ("score_eval", 8, 9), ("score_test", 8, 9)}


def test_kl204_points_at_create_pipeline(project: Path) -> None:
    write_stage(project, "05_api", """\
        from kedro.pipeline import Pipeline


        def create_pipeline(**kwargs):
            return Pipeline([])
        """)
    [finding] = check(project, select=["KL204"]).findings
    assert (finding.path, finding.line) == (f"src/{PACKAGE}/pipelines/05_api/pipeline.py", 4)
