"""Kedro imports the plugin's CLI module on every `kedro` call in a project: it must pull
in nothing but click and leaf modules (the choices and errors, the plugin's and the
contract's, and `render`, which loads no renderer until a command runs); the benchmark
in benchmarks/ measures the time, this pins the cause."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import PYTHON, run

PROBE = """
import json, sys
before = set(sys.modules)
import click
with_click = set(sys.modules)
import kedro_plugin_layout.cli
print(json.dumps(sorted(set(sys.modules) - with_click)))
"""


def test_cli_module_imports_only_click(tmp_path: Path) -> None:
    result = run([PYTHON, "-c", PROBE], tmp_path, check=True)
    added = json.loads(result.stdout)
    ours = [m for m in added if m.startswith(("kedro_plugin_layout", "kedro_ml_starter"))]
    assert ours == ["kedro_ml_starter", "kedro_ml_starter.errors", "kedro_ml_starter.kinds",
                    "kedro_plugin_layout", "kedro_plugin_layout.cli", "kedro_plugin_layout.errors",
                    "kedro_plugin_layout.kinds", "kedro_plugin_layout.render"]
    heavy = ("kedro", "omegaconf", "yaml", "pandas", "sklearn", "tomlkit", "ruamel", "rich",
             "jsonschema", "cookiecutter")
    assert [m for m in added if m.split(".")[0] in heavy] == []
