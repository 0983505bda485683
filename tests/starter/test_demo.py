"""scripts/demo.py never reuses or overwrites a folder (its pipelines are tested elsewhere)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    spec = importlib.util.spec_from_file_location("demo_script", ROOT / "scripts" / "demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "DEMO_DIR", tmp_path / "demo")
    return module


def test_a_fresh_name_skips_existing_folders(demo, tmp_path: Path):
    assert demo.fresh_project_name(tmp_path) == ("Penguin Demo", "penguin-demo")
    (tmp_path / "penguin-demo").mkdir()
    (tmp_path / "penguin-demo-2").write_text("a user's file")
    assert demo.fresh_project_name(tmp_path) == ("Penguin Demo 3", "penguin-demo-3")


def test_a_demo_path_that_is_a_file_stops_the_demo(demo, tmp_path: Path, capsys):
    (tmp_path / "demo").write_text("not a folder")
    assert demo.main([]) == 1
    err = capsys.readouterr().err
    assert "demo exists and is not a folder" in err and err.count("\n") == 1
    assert (tmp_path / "demo").read_text() == "not a folder"
