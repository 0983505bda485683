"""KL1xx structure: each part of the layout exists where the manifest says."""

from __future__ import annotations

from kedro_ml_starter.manifest import Manifest
from kedro_plugin_layout.check.rules.base import Finding, Outcome, Rule, failed, failures, passed
from kedro_plugin_layout.project.dvc import DvcTracked
from kedro_plugin_layout.project.manifest_lines import ManifestLines
from kedro_plugin_layout.project.model import stage_test_file_name
from kedro_plugin_layout.project.records import ProjectFiles

FIX = "run `kedro layout fix` to create what can be created safely"


class StructureRule(Rule):
    family = "structure"


def _missing_folder(files: ProjectFiles, path: str, what: str,
                    manifest_lines: ManifestLines, key: str) -> Outcome:
    """A missing folder is reported at the manifest key that names it, when there is one
    (a folder that does not exist cannot carry an annotation)."""
    if files.is_dir(path):
        return passed()
    return failures([Finding.at(
        f"{what} `{path}/` is missing: create it with a .gitkeep, or {FIX}",
        manifest_lines.key(key), path,
    )])


class KL101(StructureRule):
    """Each data folder of the manifest exists under the data root.

    A folder that DVC restores (an output of a `*.dvc` file or a `dvc.yaml` stage, or
    inside one) is there after `dvc pull`: it is not reported missing.
    """

    fix = ("Create the folder with a `.gitkeep` in it, or run `kedro layout fix`; if the folder "
           "is no longer part of the layout, remove it from `[[tool.kedro_layout.data]]`.")

    def check(self, *, manifest: Manifest, files: ProjectFiles,
              manifest_lines: ManifestLines, dvc: DvcTracked) -> Outcome:
        return failures(
            Finding.at(f"data folder `{path}/` ({folder.role}) is missing: create it with a "
                       f".gitkeep, or {FIX}", manifest_lines.data(folder.folder), path)
            for folder in manifest.data
            for path in [f"{manifest.data_root}/{folder.folder}"]
            if not files.is_dir(path) and not dvc.restores(path)
        )


class KL102(StructureRule):
    """The notebooks folder exists, apart from the package code."""

    fix = "Create the notebooks folder with a `.gitkeep` in it, or run `kedro layout fix`."

    def check(self, *, manifest: Manifest, files: ProjectFiles,
              manifest_lines: ManifestLines) -> Outcome:
        return _missing_folder(files, manifest.notebooks, "notebooks folder", manifest_lines,
                               "notebooks")


class KL103(StructureRule):
    """Each stage of the manifest is a folder under pipelines/ with __init__.py and pipeline.py."""

    fix = ("Create the stage's package with `__init__.py` and a `pipeline.py` defining "
           "`create_pipeline()` (`kedro layout fix` adds a missing `__init__.py`), or remove the "
           "stage from `[[tool.kedro_layout.stages]]`.")

    def check(self, *, manifest: Manifest, files: ProjectFiles, pipelines_dir: str,
              manifest_lines: ManifestLines) -> Outcome:
        findings = []
        for stage in manifest.stages:
            folder = f"{pipelines_dir}/{stage.folder}"
            if not files.is_dir(folder):
                findings.append(Finding.at(
                    f"stage {stage.folder} has no folder `{folder}/`: create the pipeline "
                    "package, or remove the stage from [tool.kedro_layout] in pyproject.toml",
                    manifest_lines.stage(stage.folder), folder,
                ))
                continue
            for name in ("__init__.py", "pipeline.py"):
                if not files.is_file(f"{folder}/{name}"):
                    findings.append(Finding(
                        f"stage {stage.folder} has no `{name}`: add {folder}/{name}"
                        + (" defining create_pipeline()" if name == "pipeline.py" else ""),
                        f"{folder}/{name}",
                    ))
        return failures(findings)


class KL104(StructureRule):
    """The package has a utils/ package (or a utils.py module) for code shared by stages.

    Stage folders start with digits, so one stage cannot import another: code that several
    stages share lives in `utils/`. A project that keeps it in a `utils.py` module already
    has that place (a `utils/` package beside it would hide the module from `import`).
    """

    fix = ("Create `<package>/utils/__init__.py` and keep the code several stages share there, or "
           "run `kedro layout fix`.")

    def check(self, *, manifest: Manifest, files: ProjectFiles, package_dir: str) -> Outcome:
        path = f"{package_dir}/{manifest.utils}/__init__.py"
        if files.is_file(path) or files.is_file(f"{package_dir}/{manifest.utils}.py"):
            return passed()
        return failed(
            f"no shared-code package `{path}`: stages cannot import each other (their "
            f"folders start with digits), so shared code lives there; create it, or {FIX}",
            path,
        )


class KL105(StructureRule):
    """The models folder exists, for serialized models and fitted transformers.

    Not reported when DVC restores it (`dvc pull`).
    """

    fix = "Create the models folder with a `.gitkeep` in it, or run `kedro layout fix`."

    def check(self, *, manifest: Manifest, files: ProjectFiles,
              manifest_lines: ManifestLines, dvc: DvcTracked) -> Outcome:
        if dvc.restores(manifest.models):
            return passed()
        return _missing_folder(files, manifest.models, "models folder", manifest_lines,
                               "models")


class KL106(StructureRule):
    """requirements.txt exists at the project root."""

    fix = ("Add a `requirements.txt` at the project root listing the project's dependencies "
           "(kedro, kedro-datasets, ...).")

    def check(self, *, files: ProjectFiles) -> Outcome:
        if files.is_file("requirements.txt"):
            return passed()
        return failed("no `requirements.txt`: list the project's dependencies (kedro, "
                      "kedro-datasets, ...) in it so others can install them",
                      "requirements.txt")


class KL107(StructureRule):
    """README.md exists at the project root."""

    fix = "Add a `README.md` at the project root saying what the project does and how to run it."

    def check(self, *, files: ProjectFiles) -> Outcome:
        if files.is_file("README.md"):
            return passed()
        return failed("no `README.md`: say what the project does and how to run it",
                      "README.md")


class KL108(StructureRule):
    """Each stage has a test package with at least one test_*.py under tests/pipelines/."""

    fix = ("Run `kedro layout fix`, which writes `tests/pipelines/<stage>/"
           "test_<name>_pipeline.py`, a first test that the stage builds a non-empty "
           "pipeline; or add your own `test_*.py` there (load the stage with "
           "`importlib.import_module`).")

    def check(self, *, manifest: Manifest, files: ProjectFiles) -> Outcome:
        findings = []
        for stage in manifest.stages:
            folder = f"{manifest.tests}/pipelines/{stage.folder}"
            tests = [f for f in files.under(folder) if f.rsplit("/", 1)[-1].startswith("test_")
                     and f.endswith(".py")]
            if not tests:
                findings.append(Finding(
                    f"stage {stage.folder} has no tests: run `kedro layout fix` to add "
                    f"`{folder}/{stage_test_file_name(stage.name)}`, or add your own "
                    "test_*.py there", folder,
                ))
        return failures(findings)
