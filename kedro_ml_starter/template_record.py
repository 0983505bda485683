"""What generated a project: `[tool.kedro_layout.template]`, written by the starter.

`kedro layout upgrade` renders the template of the recorded version with the recorded
answers again, to tell the user's changes from the template's. So the starter's
post-generation hook records the distribution's version and every answer a user can
give: the template's cookiecutter.json keys, minus the private ones (`_extensions`,
`__checked`) and the ones Kedro fills in itself (`kedro_version`, `tools`,
`example_pipeline`, `output_dir`). An option added to cookiecutter.json is recorded
without touching this module.

    [tool.kedro_layout.template]
    version = "0.2.0"

    [tool.kedro_layout.template.answers]
    project_name = "Penguin Lab"
    repo_name = "penguin-lab"
    ...
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kedro_ml_starter.errors import ManifestError

TABLE = "tool.kedro_layout.template"
# What `kedro new` passes to every starter; not a choice of the user's.
KEDRO_KEYS = frozenset({"kedro_version", "tools", "example_pipeline", "output_dir"})


def is_answer(key: str) -> bool:
    """Whether a cookiecutter.json key is an answer a user gives (and the record keeps)."""
    return not key.startswith("_") and key not in KEDRO_KEYS


def recorded_answers(context: Mapping[str, Any]) -> dict[str, str]:
    """The answers in a rendered cookiecutter context (its non-private, non-Kedro keys),
    sorted by name: the record reads the same however it was written."""
    return {key: str(value) for key, value in sorted(context.items()) if is_answer(key)}


@dataclass(frozen=True)
class TemplateRecord:
    """The distribution version whose template generated the project, and its answers."""

    version: str
    answers: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "answers": dict(self.answers)}


def parse_template_record(table: Any, path: Path | str = "pyproject.toml") -> TemplateRecord:
    """Validates `[tool.kedro_layout.template]`; every error names the key and the fix."""
    if not isinstance(table, Mapping):
        raise ManifestError(f"[{TABLE}] must be a table", path)
    unknown = sorted(set(table) - {"version", "answers"})
    if unknown:
        raise ManifestError(
            f"[{TABLE}] has unknown key {unknown[0]!r}; allowed keys: answers, version", path
        )
    version = table.get("version")
    if not isinstance(version, str) or not version.strip():
        raise ManifestError(
            f"[{TABLE}].version must be the version that generated the project, "
            'e.g. `version = "0.2.0"`',
            path,
        )
    answers = table.get("answers", {})
    if not isinstance(answers, Mapping):
        raise ManifestError(f"[{TABLE}.answers] must be a table of strings", path)
    for key, value in answers.items():
        if not isinstance(value, str):
            raise ManifestError(
                f"[{TABLE}.answers].{key} must be a string, e.g. {key} = \"{value}\"", path
            )
    return TemplateRecord(version.strip(), dict(answers))


def read_template_record(
    pyproject: Mapping[str, Any], path: Path | str = "pyproject.toml"
) -> TemplateRecord | None:
    """The project's record, or None when its manifest has none (made before 0.2.0)."""
    layout = pyproject.get("tool", {}).get("kedro_layout")
    if not isinstance(layout, Mapping) or "template" not in layout:
        return None
    return parse_template_record(layout["template"], path)


def template_table(record: TemplateRecord) -> Any:
    """The record as a tomlkit table: `version`, then one `answers` key per line."""
    import tomlkit  # only writing needs it: the check reads with tomllib, and stays light

    table = tomlkit.table()
    table.add("version", record.version)
    answers = tomlkit.table()
    for key, value in record.answers.items():
        answers.add(key, value)
    table.add("answers", answers)
    return table


__all__ = [
    "TABLE", "KEDRO_KEYS", "is_answer", "recorded_answers", "TemplateRecord",
    "parse_template_record", "read_template_record", "template_table",
]
