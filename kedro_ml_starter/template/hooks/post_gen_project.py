"""Finishes the new project: the layout manifest, and the local credentials file.

- Appends the `[tool.kedro_layout]` manifest to pyproject.toml, written by the plugin's own
  `manifest_to_toml`, so the layout the starter generates and the layout `kedro layout
  check` expects are, by construction, the same.
- Writes `conf/local/credentials.yml`. It is not a template file because the project's
  .gitignore (which lives in the template too) ignores `conf/local/*`, so git would
  silently leave it out of this repository and of the wheel built from a clean clone.
"""

from pathlib import Path

from kedro_plugin_layout.manifest import default_manifest, manifest_to_toml

STAGE_STYLE = "{{ cookiecutter.stage_style }}"
CREDENTIALS = "# Secrets for this machine only (git ignores conf/local). The project needs none yet.\n"

pyproject = Path("pyproject.toml")
text = pyproject.read_text(encoding="utf-8").rstrip("\n")
manifest = manifest_to_toml(default_manifest(STAGE_STYLE))
pyproject.write_text(
    f"{text}\n\n# The project layout, read by `kedro layout` (kedro-ml-structure).\n{manifest}",
    encoding="utf-8",
)
Path("conf/local/credentials.yml").write_text(CREDENTIALS, encoding="utf-8")
