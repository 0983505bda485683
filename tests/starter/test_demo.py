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


def _make_dry_run(*args: str) -> list[str]:
    """The commands `make -n` would run in a fresh clone (no .venv yet)."""
    import subprocess

    result = subprocess.run(["make", "-n", "VENV=/nonexistent/venv", *args], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


@pytest.mark.parametrize(("args", "extras"), [((), "project"),
                                              (("ENGINE=spark",), "project,spark")])
def test_make_demo_installs_the_starter_and_what_the_demo_project_needs_only(args, extras):
    """The README's first command: no test extras (Spark only for ENGINE=spark), so no
    MLflow, kedro-viz, mkdocs or schemathesis in a demo's venv."""
    from tests.plugin.isolated_env import closure

    installs = [line for line in _make_dry_run("demo", *args) if " install " in line]

    assert installs[-1].endswith(f"pip install --quiet -e '.[{extras}]'")
    assert not any("test" in line for line in installs)
    names = {dist.metadata["Name"].lower() for dist in closure([f"kedro-ml-structure[{extras}]"])}
    assert {"kedro", "scikit-learn", "onnxruntime", "fastapi"} <= names
    assert names.isdisjoint({"mlflow", "mkdocs", "mkdocs-material", "kedro-viz",
                             "schemathesis", "zizmor", "repo-review"})
    assert ("pyspark" in names) == ("spark" in extras)


def test_make_test_installs_the_test_extras():
    installs = [line for line in _make_dry_run("test") if " install " in line]
    assert installs[-1].endswith("pip install --quiet -e '.[test]'")
