"""requirements.txt read as pip reads it: KL503 knows `kedro @ git+https://…` is kedro
(it read `kedro-git` before, issue 27)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kedro_plugin_layout.project.requirements import requirement_name, requirement_names
from tests.plugin.trees import layout_project, outcome, write


@pytest.mark.parametrize(("line", "name"), [
    ("kedro~=1.7.0", "kedro"),
    ("Kedro_Datasets[pandas,spark]>=9,<10", "kedro-datasets"),
    ("kedro @ git+https://github.com/kedro-org/kedro.git@main", "kedro"),
    (("kedro-datasets[pandas] @ git+https://github.com/kedro-org/kedro-plugins.git@main"
      "#subdirectory=kedro-datasets"), "kedro-datasets"),
    ('scikit-learn==1.9.1 ; python_version >= "3.10"', "scikit-learn"),
    ("pyarrow>=15 --hash=sha256:0123", "pyarrow"),
    ("git+https://github.com/kedro-org/kedro.git@main#egg=kedro", "kedro"),
    ("https://files.example/kedro-1.7.0-py3-none-any.whl", "kedro"),
    ("https://files.example/kedro_viz-12.1.0.tar.gz", "kedro-viz"),
    ("zope.interface==7.0", "zope-interface"),
    ("./vendor/helpers", None),
    ("git+https://github.com/kedro-org/kedro.git", None),
])
def test_the_name_a_requirement_line_gives(line: str, name: str | None) -> None:
    assert requirement_name(line) == name


def test_includes_continuations_editables_and_comments(tmp_path: Path) -> None:
    write(tmp_path, "requirements.txt", """\
# the project's dependencies
-r requirements/base.txt
--index-url https://pypi.org/simple
-e git+https://github.com/kedro-org/kedro-viz.git#egg=kedro_viz&subdirectory=package
-e .
pandas \\
    >=2.2  # a comment after a continuation
-r ../outside.txt
""")
    write(tmp_path, "requirements/base.txt", "kedro @ git+https://example/kedro.git@main\n"
                                             "-r base.txt\n-r missing.txt\n")
    write(tmp_path.parent, "outside.txt", "not-inside-the-project\n")

    assert requirement_names(tmp_path / "requirements.txt", tmp_path) == (
        "kedro-viz", "pandas", "kedro")


def test_kl503_passes_on_a_direct_reference_and_fails_without_kedro(tmp_path: Path) -> None:
    root = layout_project(tmp_path)
    (root / "requirements.txt").write_text(
        "kedro @ git+https://github.com/kedro-org/kedro.git@main\n")
    assert outcome(root, "KL503") == ("pass", [""])
    (root / "requirements.txt").write_text("kedro-viz>=12\nkedro-datasets\n")
    assert outcome(root, "KL503")[0] == "fail"
