"""A spark project's run environments for a cluster, written as docs/spark.md ("On a
cluster") says, and where its catalog puts each dataset in an environment.

Dataset names, paths and inputs are read from the project's own catalog (Kedro's config
loader, `${globals:...}` resolved), so the checks follow the template when it changes.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

DOCS = Path(__file__).resolve().parents[2] / "docs" / "spark.md"
SECTION = "## On a cluster"
FILE_URL = "file://"


def documented_cluster_files() -> dict[str, dict[str, Any]]:
    """The YAML examples of docs/spark.md "On a cluster", by the file each one is for
    (`conf/cluster/spark.yml`, `conf/cluster/globals.yml`), as the docs list them."""
    text = DOCS.read_text()
    section = text[text.index(SECTION):]
    section = section[:section.index("\n## ", len(SECTION))]
    files = re.findall(r"`(conf/cluster/[\w.]+)`: .*?```yaml\n(.*?)```", section, re.DOTALL)
    return {name: yaml.safe_load(re.sub(r"(?m)^ {3}", "", body)) for name, body in files}


def write_environment(project: Path, env: str, spark: dict[str, Any],
                      globals_: dict[str, Any] | None = None) -> None:
    """conf/<env>/spark.yml (and globals.yml) with these keys."""
    folder = project / "conf" / env
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "spark.yml").write_text(yaml.safe_dump(spark, sort_keys=False))
    if globals_ is not None:
        (folder / "globals.yml").write_text(yaml.safe_dump(globals_, sort_keys=False))


def catalog(project: Path, env: str | None = None) -> dict[str, dict[str, Any]]:
    """The project's catalog config in `env` (conf/local when None), as Kedro resolves it."""
    return _load(project, env, "catalog")


def spark_settings(project: Path, env: str | None = None) -> dict[str, Any]:
    """conf/base/spark.yml merged with conf/<env>/spark.yml, as SparkHooks reads it."""
    return _load(project, env, "spark")


def _load(project: Path, env: str | None, key: str) -> dict[str, Any]:
    import warnings

    from kedro.config import OmegaConfigLoader

    with warnings.catch_warnings():  # omegaconf deprecates an API Kedro 1.7 calls
        warnings.simplefilter("ignore", UserWarning)
        loader = OmegaConfigLoader(
            conf_source=str(project / "conf"), env=env, base_env="base",
            default_run_env="local", config_patterns={"spark": ["spark*", "spark*/**"]},
        )
        return dict(loader[key])


def local_path(project: Path, filepath: str) -> Path:
    """Where a catalog file path is on this machine (`file://` URLs as paths, relative
    paths from the project root)."""
    path = Path(filepath.removeprefix(FILE_URL))
    return path if path.is_absolute() else project / path


def paths(project: Path, env: str | None = None) -> dict[str, Path]:
    """Each catalog dataset with a file path: where it is stored in `env`."""
    return {name: local_path(project, str(entry["filepath"]))
            for name, entry in catalog(project, env).items() if entry.get("filepath")}


def copy_inputs(project: Path, env: str) -> list[str]:
    """Copies the datasets the project ships (those already on disk, the raw data and the
    rows to score) to where `env` reads them, as the docs say to do first; their names."""
    here, there = paths(project), paths(project, env)
    copied = []
    for name, source in here.items():
        target = there[name]
        if source.exists() and target != source:
            target.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, target)
            copied.append(name)
    return copied


def cluster_files(master: str, web_ui: str, shared: Path, executor_memory: str,
                  partitions: int) -> dict[str, dict[str, Any]]:
    """conf/cluster's two files, with the keys docs/spark.md gives them and the values of
    a cluster on this machine: its master and web UI, memory that fits its worker, a
    shuffle partition per core, and a shared folder as `file://` URLs for the data and
    models."""
    return {
        "conf/cluster/spark.yml": {
            "spark.master": master,
            "spark.driver.memory": "1g",
            "spark.executor.memory": executor_memory,
            "spark.sql.shuffle.partitions": partitions,
            "master_web_ui": web_ui,
        },
        "conf/cluster/globals.yml": {
            "data_root": f"{FILE_URL}{shared / 'data'}",
            "models_root": f"{FILE_URL}{shared / 'models'}",
        },
    }
