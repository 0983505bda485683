"""Finishes the new project: the engine's files, the layout manifest, local credentials.

- The template holds the pandas project; `_engine_spark/` mirrors the files the Spark
  engine replaces or adds. With `engine: spark` they move into place; either way
  `_engine_spark/` is removed. Both engines share the same layout. `_tracking_mlflow/`
  holds what `tracking: mlflow` adds (conf/base/tracking.yml), and `_task_regression/`
  what `task: regression` replaces (the scoring sample, without the new target), the
  same way.
- Appends the `[tool.kedro_layout]` manifest to pyproject.toml, written by the contract's
  `manifest_to_toml` (kedro_ml_starter.manifest, which `kedro layout` reads with), so the
  layout the starter generates and the layout `kedro layout check` expects are, by
  construction, the same. It ends with the record of what
  generated the project (this distribution's version and every answer given), which
  `kedro layout upgrade` renders again to tell the user's changes from the template's.
- Says in one line when requirements.txt installs kedro-ml-structure from a local path,
  which other machines cannot reach (`kedro_ml_starter.origin`).
- Writes `conf/local/credentials.yml`. It is not a template file because the project's
  .gitignore (which lives in the template too) ignores `conf/local/*`, so git would
  silently leave it out of this repository and of the wheel built from a clean clone.
"""

import json
import shutil
import sys
from pathlib import Path

from kedro_ml_starter import __version__
from kedro_ml_starter.manifest import default_manifest, manifest_to_toml
from kedro_ml_starter.origin import local_path_note
from kedro_ml_starter.template_record import TemplateRecord, recorded_answers

STAGE_STYLE = "{{ cookiecutter.stage_style }}"
ENGINE = "{{ cookiecutter.engine }}"
CONTEXT = json.loads(r"""{{ cookiecutter | jsonify }}""")
OVERLAY = Path("_engine_spark")
TRACKING = "{{ cookiecutter.tracking }}"
TRACKING_OVERLAY = Path("_tracking_mlflow")
TASK = "{{ cookiecutter.task }}"
TASK_OVERLAY = Path("_task_regression")
CREDENTIALS = "# Secrets for this machine only (git ignores conf/local). The project needs none yet.\n"


def apply_overlay(overlay: Path) -> None:
    """Moves every file of `overlay` to the same path in the project, replacing it."""
    for source in sorted(path for path in overlay.rglob("*") if path.is_file()):
        target = source.relative_to(overlay)
        target.parent.mkdir(parents=True, exist_ok=True)
        source.replace(target)


if ENGINE == "spark":
    apply_overlay(OVERLAY)
shutil.rmtree(OVERLAY)
if TRACKING == "mlflow":
    apply_overlay(TRACKING_OVERLAY)
shutil.rmtree(TRACKING_OVERLAY)
if TASK == "regression":
    apply_overlay(TASK_OVERLAY)
shutil.rmtree(TASK_OVERLAY)

pyproject = Path("pyproject.toml")
text = pyproject.read_text(encoding="utf-8").rstrip("\n")
record = TemplateRecord(__version__, recorded_answers(CONTEXT))
manifest = manifest_to_toml(default_manifest(STAGE_STYLE), template=record)
pyproject.write_text(
    f"{text}\n\n# The project layout, read by `kedro layout` (kedro-ml-structure).\n{manifest}",
    encoding="utf-8",
)
Path("conf/local/credentials.yml").write_text(CREDENTIALS, encoding="utf-8")
note = local_path_note(CONTEXT["runtime_requirement"])
if note:
    print(note, file=sys.stderr)
