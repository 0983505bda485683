"""The architecture the folders show, held by the imports the code makes.

- One direction: the plugin may import the starter, never the reverse; the layout
  contract both share (manifest, template record, naming, kinds, errors) and the runtime
  that generated projects install are free of click, but for the two places a library
  error becomes a command line's one `Error:` line (the runtime's hooks, `kedro serve`).
- The plugin by what it does: the project as read (`project/`) knows nothing of the check
  or the edits; the check (`check/`), the edits (`edits/`) and the adoption of a user's
  data file (`adopt/`, which reads and decides but writes nothing) know nothing of each
  other or of the commands; every command renders through `render/`; no command imports
  another; at most ten modules sit at the plugin's top level.
- The real graph is visible: an import inside a function is there to keep `kedro --help`
  or the lite check fast (or a server free of a library), and a comment says so.

Imports are read from the source with `ast`, those inside functions included.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from tests.support import PYTHON, run

ROOT = Path(__file__).resolve().parents[1]
STARTER = ROOT / "kedro_ml_starter"
PLUGIN = ROOT / "kedro_plugin_layout"
TEMPLATE = STARTER / "template"
IMPORT_LINE = re.compile(r"^\s*(?:from|import)\s+kedro_plugin_layout\b", re.MULTILINE)
CONTRACT = ("errors", "kinds", "manifest", "template_record", "naming")
# Where a library error becomes a command line's one line: nowhere else may import click.
CLICK_IN_RUNTIME = {"runtime/hooks.py", "runtime/serving/cli.py"}


def imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def sources(package: Path) -> list[Path]:
    return sorted(p for p in package.rglob("*.py") if TEMPLATE not in p.parents)


def test_the_starter_never_imports_the_plugin() -> None:
    # template files are Jinja, not always Python: their import lines are read as text
    offenders = [p.relative_to(ROOT).as_posix() for p in STARTER.rglob("*")
                 if p.is_file() and p.suffix in (".py", ".ipynb")
                 and IMPORT_LINE.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert offenders == []


PROBE = """
import json, sys
import kedro_ml_starter.{modules}
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("click", "kedro"))))
"""


def test_the_contract_imports_neither_click_nor_kedro(tmp_path: Path) -> None:
    probe = PROBE.format(modules=", kedro_ml_starter.".join(CONTRACT))
    result = run([PYTHON, "-c", probe], tmp_path, check=True)
    assert json.loads(result.stdout) == []


def test_the_runtime_raises_its_own_errors_not_clicks() -> None:
    with_click = {p.relative_to(STARTER).as_posix() for p in sources(STARTER / "runtime")
                  if any(m.split(".")[0] == "click" for m in imports(p))}
    assert with_click == CLICK_IN_RUNTIME


def _plugin_layer(module: str) -> str:
    """`kedro_plugin_layout.check.rules.base` -> `check`; a top-level module is itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


# What each layer of the plugin may not import.
FORBIDDEN = {
    "project": {"check", "edits", "adopt", "render", "commands", "upgrade", "cli"},
    "check": {"edits", "adopt", "render", "commands", "upgrade", "cli"},
    "edits": {"check", "adopt", "render", "commands", "upgrade", "cli"},
    "adopt": {"check", "edits", "render", "commands", "upgrade", "cli"},
    "upgrade": {"check", "adopt", "render", "commands", "cli"},
    "render": {"cli"},
    "commands": {"render", "cli"},
}


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_plugin_layer_imports_only_the_layers_below_it(layer: str) -> None:
    crossings = {}
    for path in sources(PLUGIN / layer):
        reached = {_plugin_layer(m) for m in imports(path)
                   if m.startswith("kedro_plugin_layout.")}
        if reached & FORBIDDEN[layer]:
            crossings[path.relative_to(PLUGIN).as_posix()] = sorted(reached & FORBIDDEN[layer])
    assert crossings == {}


# Folders kept for plugins written against an older release, and the one module each may
# import: `rules/` re-exports what a rule is (check/rules/base.py) at the path 0.2 gave rule
# authors. A shim is no layer: nothing in the plugin imports it.
COMPATIBILITY = {"rules": {"kedro_plugin_layout.check.rules.base"}}


def test_every_plugin_folder_is_a_layer_held_above() -> None:
    folders = {p.name for p in PLUGIN.iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(FORBIDDEN) | set(COMPATIBILITY)


@pytest.mark.parametrize("shim", sorted(COMPATIBILITY))
def test_a_compatibility_folder_only_re_exports_and_nothing_imports_it(shim: str) -> None:
    reached = {m for path in sources(PLUGIN / shim) for m in imports(path)
               if m.startswith("kedro_plugin_layout.")}
    # `from x import name` reads as x and x.name: what the shim reaches is x's module
    modules = {m for m in reached if not any(m.startswith(f"{other}.") for other in reached)}
    assert modules == COMPATIBILITY[shim]
    importers = sorted(path.relative_to(PLUGIN).as_posix() for path in sources(PLUGIN)
                       if shim != path.relative_to(PLUGIN).parts[0]
                       and any(_plugin_layer(m) == shim for m in imports(path)))
    assert importers == []


def test_no_command_imports_another() -> None:
    crossings = {}
    for path in sources(PLUGIN / "commands"):
        own = f"kedro_plugin_layout.commands.{path.stem}"
        others = {m for m in imports(path) if m.startswith("kedro_plugin_layout.commands.")
                  and not m.startswith(own)}
        if others:
            crossings[path.name] = sorted(others)
    assert crossings == {}


def test_the_plugin_top_level_holds_at_most_ten_modules() -> None:
    modules = sorted(p.name for p in PLUGIN.glob("*.py"))
    assert len(modules) <= 10, modules


def _function_imports(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each import inside a function, TYPE_CHECKING blocks aside."""
    lines = path.read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(lines), str(path))
    found = []
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found += [(node.lineno, lines[node.lineno - 1]) for node in ast.walk(function)
                      if isinstance(node, (ast.Import, ast.ImportFrom))]
    return found


def _says_why(lines: list[str], number: int) -> bool:
    """A comment on the import's line, or above the group of imports it belongs to."""
    line = lines[number - 1]
    if "#" in line.replace("# type: ignore", "").replace("# noqa", ""):
        return True
    above = number - 2
    while above >= 0 and _in_import_group(lines[above].strip()):
        above -= 1
    return above >= 0 and lines[above].strip().startswith("#")


def _in_import_group(text: str) -> bool:
    """An import line, or a line of a parenthesised import's names."""
    return text.startswith(("from ", "import ", ")")) or text.endswith(",")


def test_every_import_inside_a_function_says_why_it_waits() -> None:
    silent = []
    for package in (STARTER, PLUGIN):
        for path in sources(package):
            lines = path.read_text(encoding="utf-8").splitlines()
            silent += [f"{path.relative_to(ROOT).as_posix()}:{number}: {line.strip()}"
                       for number, line in _function_imports(path)
                       if not _says_why(lines, number)]
    assert silent == []

