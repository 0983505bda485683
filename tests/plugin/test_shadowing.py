"""No writing command creates a file that hides an existing module from `import`: the
package `utils/` next to a `utils.py` broke `kedro run` on real projects (issue 27)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kedro_plugin_layout.commands.fix import plan_fix
from kedro_plugin_layout.edits.plan import Plan
from kedro_plugin_layout.edits.shadowing import shadowed_by
from kedro_plugin_layout.errors import UnsafeEditError
from tests.plugin.trees import PACKAGE, layout_project, outcome, write
from tests.support import tree_hashes


@pytest.mark.parametrize(("existing", "created", "hidden"), [
    ("pkg/utils.py", "pkg/utils/__init__.py", "pkg/utils.py"),
    ("pkg/fast.cpython-311-x86_64-linux-gnu.so", "pkg/fast/__init__.py",
     "pkg/fast.cpython-311-x86_64-linux-gnu.so"),
    ("pkg/helpers/io.py", "pkg/helpers.py", "pkg/helpers/"),  # a namespace package
    ("pkg/utils.py", "pkg/other/__init__.py", None),
    ("pkg/helpers/__init__.py", "pkg/helpers.py", None),  # the new module is the one hidden
    ("pkg/notes/readme.md", "pkg/notes.py", None),  # a folder without modules
    ("pkg/utils.py", "pkg/utils/.gitkeep", None),  # a folder alone hides nothing
])
def test_what_a_new_file_hides(tmp_path: Path, existing: str, created: str,
                               hidden: str | None) -> None:
    write(tmp_path, existing)
    assert shadowed_by(tmp_path, created) == hidden


def test_a_plan_refuses_a_package_beside_a_module_of_the_same_name(tmp_path: Path) -> None:
    write(tmp_path, "pkg/utils.py", "X = 1\n")
    plan = Plan()
    plan.create_dir("pkg/utils")
    plan.create_file("pkg/utils/__init__.py", "")
    before = tree_hashes(tmp_path)

    with pytest.raises(UnsafeEditError, match=r"pkg/utils/__init__.py would hide pkg/utils.py "
                                              r"from `import`"):
        plan.apply(tmp_path)
    assert tree_hashes(tmp_path) == before
    assert not plan.ensure_file(tmp_path, "pkg/utils/__init__.py", "")


def test_a_module_the_plan_removes_may_become_a_package(tmp_path: Path) -> None:
    """`kedro layout upgrade` turns a template's module into a package: delete, then add."""
    write(tmp_path, "pkg/helpers.py", "HELP = 1\n")
    plan = Plan()
    plan.delete_file(tmp_path, "pkg/helpers.py")
    assert plan.ensure_file(tmp_path, "pkg/helpers/__init__.py", "HELP = 2\n")
    plan.apply(tmp_path)
    assert (tmp_path / "pkg/helpers/__init__.py").read_text() == "HELP = 2\n"
    assert not (tmp_path / "pkg/helpers.py").exists()


def test_fix_keeps_a_utils_module_and_kl104_accepts_it(tmp_path: Path) -> None:
    root = layout_project(tmp_path)
    package = root / "src" / PACKAGE
    for path in (package / "utils").iterdir():
        path.unlink()
    (package / "utils").rmdir()
    write(root, f"src/{PACKAGE}/utils.py", "def shared():\n    return 1\n")

    result = plan_fix(root)

    assert not [op for op in result.plan.operations if "/utils/" in op.describe()]
    assert outcome(root, "KL104") == ("pass", [""])
