"""The answers an upgrade renders with: the recorded ones, or, for a project generated
before answers were recorded (0.1.0), what the project itself says; `--answer KEY=VALUE`
overrides either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kedro_ml_starter import naming
from kedro_plugin_layout.errors import UpgradeError
from kedro_plugin_layout.project.model import Project
from kedro_plugin_layout.upgrade.template_archive import parse_version

# The one release whose projects carry no `[tool.kedro_layout.template]` record.
UNRECORDED_VERSION = "0.1.0"
SPARK_MARKER = "conf/base/spark.yml"
# Answers the starter derives from the installed distribution rather than asks (see
# kedro_ml_starter/origin.py): the old template renders with the recorded value, which is
# what generation wrote; the new one derives it again from the kedro-ml-structure doing
# the upgrade, unless --answer gives it.
DERIVED = frozenset({"runtime_requirement"})
# Answers a later template asks that every project of an earlier version had one value
# for: (the version that first asks it, the value, why). Before 0.3.0 the template
# predicted the penguins' species, so every such project is a classification.
IMPLIED = {"task": ("0.3.0", "classification",
                    "the templates before 0.3.0 predicted the species: classification")}


@dataclass(frozen=True)
class Inferred:
    """One answer read from the project, and where it was read."""

    key: str
    value: str
    source: str


def infer_answers(project: Project) -> tuple[Inferred, ...]:
    """The answers a 0.1.0 project was generated with, as far as the project shows them."""
    kedro = project.kedro
    project_name = kedro.get("project_name")
    if not isinstance(project_name, str):
        raise UpgradeError("no [tool.kedro] project_name to infer the project's name from; "
                           "pass --answer project_name=NAME", project.root / "pyproject.toml")
    repo_name, repo_source = _repo_name(project)
    spark = (project.root / SPARK_MARKER).is_file()
    return (
        Inferred("project_name", project_name, "[tool.kedro] project_name"),
        Inferred("repo_name", repo_name, repo_source),
        Inferred("python_package", project.package, "[tool.kedro] package_name"),
        Inferred("stage_style", str(project.manifest.stage_style),
                 "[tool.kedro_layout] stage_style"),
        Inferred("engine", "spark" if spark else "pandas",
                 f"{SPARK_MARKER} {'exists' if spark else 'does not exist'}"),
    )


def _repo_name(project: Project) -> tuple[str, str]:
    """The template names the project's console script after repo_name; else the folder."""
    scripts = project.pyproject.get("project", {}).get("scripts", {})
    entry = f"{project.package}.__main__:main"
    for name, target in scripts.items() if isinstance(scripts, Mapping) else ():
        if target == entry:
            return str(name), "[project.scripts]"
    return project.root.name, "the project folder's name"


def parse_overrides(items: Sequence[str]) -> dict[str, str]:
    """`--answer engine=spark --answer repo_name=lab` → {"engine": "spark", ...}."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UpgradeError(f"--answer {item!r}: write KEY=VALUE, e.g. --answer engine=spark")
        out[key.strip()] = value.strip()
    return out


def check_answers(answers: Mapping[str, str], project: Project) -> None:
    """Refuses answers the starter would refuse, or that contradict the project."""
    checks = {"project_name": naming.check_project_name, "repo_name": naming.check_repo_name,
              "python_package": naming.check_python_package,
              "stage_style": naming.check_stage_style, "engine": naming.check_engine,
              "tracking": naming.check_tracking, "task": naming.check_task}
    for key, check in checks.items():
        if key in ("tracking", "task") and key not in answers:
            continue  # recorded before it was asked: the template's default applies
        try:
            check(answers.get(key, ""))
        except naming.InvalidName as exc:
            raise UpgradeError(f"{exc}; correct it with --answer {key}=VALUE") from None
    pairs = (("python_package", project.package, "[tool.kedro] package_name"),
             ("stage_style", str(project.manifest.stage_style), "[tool.kedro_layout] stage_style"))
    for key, actual, where in pairs:
        if answers.get(key) != actual:
            raise UpgradeError(
                f"the recorded answer {key} = {answers.get(key)!r} does not match the "
                f"project's {where} {actual!r}; pass --answer {key}={actual} to render the "
                "templates as the project is now"
            )


def answers_of_each_render(recorded: Mapping[str, str], overrides: Mapping[str, str],
                           from_version: str = "0.0.0"
                           ) -> tuple[dict[str, str], dict[str, str]]:
    """The answers the old and the new template render with. A derived answer
    (`DERIVED`) renders the old template as recorded, since that is what generation
    wrote, and the new one as derived again now, or as --answer gives it; an implied one
    (`IMPLIED`) renders the new template with the value the old one always had."""
    kept = {key: value for key, value in overrides.items() if key not in DERIVED}
    fresh = {key: value for key, value in recorded.items() if key not in DERIVED}
    implied = {key: value for key, (since, value, _) in IMPLIED.items()
               if key not in recorded and parse_version(from_version) < parse_version(since)}
    return {**recorded, **kept}, {**implied, **fresh, **overrides}


def new_answers(recorded: Mapping[str, str], rendered: Mapping[str, str],
                overrides: Mapping[str, str], from_version: str) -> tuple[Inferred, ...]:
    """The answers the new template asks that the project's record lacks, and where
    each value came from (the report lists them)."""
    out = []
    for key, value in rendered.items():
        if key in recorded:
            continue
        since, _, why = IMPLIED.get(key, ("0.0.0", "", ""))
        if key in overrides:
            source = "--answer"
        elif why and parse_version(from_version) < parse_version(since):
            source = why
        elif key in DERIVED:
            source = "derived from the kedro-ml-structure doing the upgrade"
        else:
            source = "the template's default, as `kedro new` gives it"
        out.append(Inferred(key, value, source))
    return tuple(out)
