"""The edit plan: checked before anything is written, undone completely if it fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kedro_plugin_layout.edits import plan as plan_module
from kedro_plugin_layout.edits.plan import Plan
from kedro_plugin_layout.errors import PlanFailedError, UnsafeEditError
from tests.support import fail_plan_at, tree_hashes


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "src" / "pkg" / "pipelines" / "04_model_evaluation").mkdir(parents=True)
    (root / "src/pkg/pipelines/04_model_evaluation/nodes.py").write_text("x = 1\n")
    (root / "conf").mkdir()
    (root / "conf" / "catalog.yml").write_text("# keep me\nmetrics:\n  type: json\n")
    return root


def full_plan(root: Path) -> Plan:
    """An edit, a rename, a new folder and files: every kind of operation."""
    plan = Plan()
    plan.edit_file(root, "conf/catalog.yml", "# keep me\nmetrics:\n  type: yaml\n")
    plan.rename("src/pkg/pipelines/04_model_evaluation", "src/pkg/pipelines/05_model_evaluation")
    plan.create_dir("src/pkg/pipelines/04_tuning")
    plan.create_file("src/pkg/pipelines/04_tuning/__init__.py", "")
    plan.create_file("src/pkg/pipelines/04_tuning/nodes.py", "y = 2\n")
    return plan


def test_describe_lists_each_operation_with_relative_paths(project):
    lines = full_plan(project).describe().splitlines()

    assert lines == [
        "edit file    conf/catalog.yml (+1 -1 lines)",
        ("rename       src/pkg/pipelines/04_model_evaluation -> "
         "src/pkg/pipelines/05_model_evaluation"),
        "create dir   src/pkg/pipelines/04_tuning/",
        "create file  src/pkg/pipelines/04_tuning/__init__.py",
        "create file  src/pkg/pipelines/04_tuning/nodes.py",
    ]


def test_apply_performs_every_operation(project):
    full_plan(project).apply(project)

    assert (project / "conf/catalog.yml").read_text() == "# keep me\nmetrics:\n  type: yaml\n"
    assert (project / "src/pkg/pipelines/05_model_evaluation/nodes.py").read_text() == "x = 1\n"
    assert not (project / "src/pkg/pipelines/04_model_evaluation").exists()
    assert (project / "src/pkg/pipelines/04_tuning/nodes.py").read_text() == "y = 2\n"


@pytest.mark.parametrize("failing_index", [1, 2, 3, 4])
def test_a_failure_half_way_restores_the_tree_byte_for_byte(project, monkeypatch, failing_index):
    before = tree_hashes(project)
    fail_plan_at(monkeypatch, failing_index + 1, PermissionError(13, "Permission denied"))
    with pytest.raises(PlanFailedError) as error:
        full_plan(project).apply(project)

    assert tree_hashes(project) == before
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")) == sorted(
        ["conf", "conf/catalog.yml", "src", "src/pkg", "src/pkg/pipelines",
         "src/pkg/pipelines/04_model_evaluation", "src/pkg/pipelines/04_model_evaluation/nodes.py"]
    )
    assert "Permission denied" in error.value.message
    assert "nothing was changed" in error.value.message
    assert error.value.exit_code == 2


def test_a_real_os_error_mid_plan_is_rolled_back(project):
    """A file where a folder must be: writing under it fails even as root."""
    (project / "blocker").write_text("a file, not a folder\n")
    plan = full_plan(project)
    plan.create_file("blocker/inside.py", "z = 3\n")
    before = tree_hashes(project)

    with pytest.raises(PlanFailedError, match=r"could not create blocker/inside.py \(Not a dir"):
        plan.apply(project)

    assert tree_hashes(project) == before
    assert not (project / "src/pkg/pipelines/04_tuning").exists()


def test_creating_onto_an_existing_file_is_refused_before_writing_anything(project):
    plan = full_plan(project)
    plan.create_file("src/pkg/pipelines/04_model_evaluation/nodes.py", "overwrite\n")
    plan.operations.insert(0, plan.operations.pop())  # even as the first operation
    before = tree_hashes(project)

    with pytest.raises(UnsafeEditError, match="already exists; refusing to overwrite it"):
        plan.apply(project)

    assert tree_hashes(project) == before


def test_a_file_changed_since_planning_is_refused(project):
    plan = full_plan(project)
    (project / "conf/catalog.yml").write_text("# edited meanwhile\n")
    before = tree_hashes(project)

    with pytest.raises(UnsafeEditError, match="conf/catalog.yml changed since the plan was made"):
        plan.apply(project)

    assert tree_hashes(project) == before


def test_a_symlink_out_of_the_root_is_refused(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, project / "conf" / "linked")
    plan = Plan()
    plan.create_file("conf/linked/evil.yml", "x: 1\n")

    with pytest.raises(UnsafeEditError, match="outside the project root"):
        plan.apply(project)

    assert list(outside.iterdir()) == []


def test_a_dangling_symlink_is_never_written_through(project, tmp_path):
    target = tmp_path / "not-yet"
    os.symlink(target, project / "conf" / "dangling.yml")
    plan = Plan()
    plan.create_file("conf/dangling.yml", "x: 1\n")

    with pytest.raises(UnsafeEditError):
        plan.apply(project)

    assert not target.exists()


@pytest.mark.parametrize("path", ["../escape.txt", "/etc/passwd", "a/../../b"])
def test_paths_leaving_the_root_cannot_be_planned(path):
    with pytest.raises(UnsafeEditError, match="not a path inside the project"):
        Plan().create_file(path, "")


def test_renaming_onto_an_existing_folder_is_refused(project):
    (project / "src/pkg/pipelines/05_model_evaluation").mkdir()
    plan = Plan()
    plan.rename("src/pkg/pipelines/04_model_evaluation", "src/pkg/pipelines/05_model_evaluation")

    with pytest.raises(UnsafeEditError, match="05_model_evaluation already exists"):
        plan.apply(project)

    assert (project / "src/pkg/pipelines/04_model_evaluation/nodes.py").exists()


def test_a_chain_of_renames_may_reuse_a_freed_name(project):
    pipelines = project / "src/pkg/pipelines"
    (pipelines / "05_api").mkdir()
    plan = Plan()
    plan.rename("src/pkg/pipelines/05_api", "src/pkg/pipelines/06_api")
    plan.rename("src/pkg/pipelines/04_model_evaluation", "src/pkg/pipelines/05_model_evaluation")

    plan.apply(project)

    assert sorted(p.name for p in pipelines.iterdir()) == ["05_model_evaluation", "06_api"]


def test_an_interrupt_half_way_is_rolled_back_and_re_raised(project, monkeypatch):
    before = tree_hashes(project)
    real_apply = plan_module._apply_one

    def interrupted(op, root):
        if isinstance(op, plan_module.CreateFile):
            raise KeyboardInterrupt
        return real_apply(op, root)

    monkeypatch.setattr(plan_module, "_apply_one", interrupted)
    with pytest.raises(KeyboardInterrupt):
        full_plan(project).apply(project)

    assert tree_hashes(project) == before
    assert not (project / "src/pkg/pipelines/04_tuning").exists()


def removal_plan(root: Path) -> Plan:
    """What an upgrade plans: a binary edit, a file deleted and the folder it empties."""
    (root / "data").mkdir()
    (root / "data/raw.bin").write_bytes(b"\x00\x01old")
    plan = Plan()
    plan.edit_file(root, "data/raw.bin", b"\x00\x02new")
    plan.delete_file(root, "src/pkg/pipelines/04_model_evaluation/nodes.py")
    plan.delete_dir("src/pkg/pipelines/04_model_evaluation")
    plan.create_file("conf/model.onnx", b"\x08\x07")
    return plan


def test_deletions_and_binary_content_are_planned_and_applied(project):
    plan = removal_plan(project)

    assert plan.describe().splitlines() == [
        "edit file    data/raw.bin (binary)",
        "delete file  src/pkg/pipelines/04_model_evaluation/nodes.py",
        "delete dir   src/pkg/pipelines/04_model_evaluation/",
        "create file  conf/model.onnx",
    ]
    plan.apply(project)

    assert (project / "data/raw.bin").read_bytes() == b"\x00\x02new"
    assert (project / "conf/model.onnx").read_bytes() == b"\x08\x07"
    assert not (project / "src/pkg/pipelines/04_model_evaluation").exists()


@pytest.mark.parametrize("failing_index", [1, 2, 3])
def test_a_failure_after_deleting_restores_what_was_deleted(project, monkeypatch,
                                                            failing_index):
    plan = removal_plan(project)
    before = tree_hashes(project)
    fail_plan_at(monkeypatch, failing_index + 1, PermissionError(13, "Permission denied"))
    with pytest.raises(PlanFailedError, match="nothing was changed"):
        plan.apply(project)

    assert tree_hashes(project) == before
    assert (project / "src/pkg/pipelines/04_model_evaluation").is_dir()


def test_a_file_changed_since_its_deletion_was_planned_is_kept(project):
    plan = removal_plan(project)
    (project / "src/pkg/pipelines/04_model_evaluation/nodes.py").write_text("x = 2\n")

    with pytest.raises(UnsafeEditError, match="nodes.py changed since the plan was made"):
        plan.apply(project)

    assert (project / "src/pkg/pipelines/04_model_evaluation/nodes.py").read_text() == "x = 2\n"
