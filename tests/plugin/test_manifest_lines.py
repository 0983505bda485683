"""Findings about the manifest point at its entry in pyproject.toml: the data folder, the
stage, the key; in the starter's `[[...]]` form and in inline arrays."""

from __future__ import annotations

import shutil
from pathlib import Path

from kedro_plugin_layout.commands.check import check
from kedro_plugin_layout.project.manifest_lines import ManifestLines
from kedro_plugin_layout.project.records import Location
from tests.plugin.trees import layout_project, pipelines_dir

INLINE = """\
[tool.kedro_layout]
version = 1
models = "models"
data = [
  { folder = "01_raw", role = "raw" },
  {folder='02_train', role='train'},
]
stages = [{ folder = "01_prep", role = "preprocessing" }]
"""


def line_of(root: Path, text: str, after: str = "") -> int:
    lines = (root / "pyproject.toml").read_text().splitlines()
    start = lines.index(after) if after else 0
    return lines.index(text, start) + 1


def at(finding) -> tuple:
    return finding.path, finding.line, finding.column


def test_inline_arrays_and_keys_are_placed() -> None:
    lines = ManifestLines.scan(INLINE)
    assert lines.table == Location("pyproject.toml", 1, 1)
    assert lines.key("models") == Location("pyproject.toml", 3, 1)
    assert lines.key("notebooks") == lines.table  # not written: the table
    assert lines.data("01_raw") == Location("pyproject.toml", 5, 5)
    assert lines.data("02_train") == Location("pyproject.toml", 6, 4)
    assert lines.stage("01_prep") == Location("pyproject.toml", 8, 13)
    assert lines.stage("02_gone") == Location("pyproject.toml", 8, 1)  # the `stages` key


def test_missing_folders_and_stages_point_at_their_manifest_entry(tmp_path: Path) -> None:
    root = layout_project(tmp_path)
    shutil.rmtree(root / "data/03_eval")
    shutil.rmtree(pipelines_dir(root) / "05_api")
    report = check(root, select=["KL101", "KL103"])
    kl101 = next(f for f in report.findings if f.rule == "KL101")
    kl103 = next(f for f in report.findings if f.rule == "KL103")
    assert at(kl101) == ("pyproject.toml",
                         line_of(root, 'folder = "03_eval"', "[[tool.kedro_layout.data]]"), 1)
    assert at(kl103) == ("pyproject.toml", line_of(root, 'folder = "05_api"'), 1)


def test_stages_out_of_order_point_at_the_first_misplaced_entry(tmp_path: Path) -> None:
    root = layout_project(tmp_path)
    text = (root / "pyproject.toml").read_text()
    swapped = (text.replace('"03_model_training"', '"XX"')
                   .replace('"04_model_evaluation"', '"03_model_training"')
                   .replace('"XX"', '"04_model_evaluation"'))
    (root / "pyproject.toml").write_text(swapped)
    findings = [f for f in check(root, select=["KL202"]).findings
                if "not listed in the order" in f.message]
    assert [at(f) for f in findings] == [
        ("pyproject.toml", line_of(root, 'folder = "04_model_evaluation"'), 1)]


def test_without_a_manifest_a_missing_folder_points_at_its_path(tmp_path: Path) -> None:
    root = layout_project(tmp_path)
    text = (root / "pyproject.toml").read_text()
    (root / "pyproject.toml").write_text(text[:text.index("[tool.kedro_layout]")])
    shutil.rmtree(root / "notebooks")
    [finding] = check(root, select=["KL102"]).findings
    assert at(finding) == ("notebooks", None, None)
