"""Session fixtures of the upgrade tests: kedro-ml-structure 0.1.0 as its users installed
it, and the project its `kedro new` generated."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

import pytest

from kedro_plugin_layout.upgrade.template_archive import shipped_releases
from tests.plugin.isolated_env import isolated_env, wheel_of
from tests.support import PROJECT_NAME, REPO, env, run

ROOT = Path(__file__).resolve().parents[2]
RELEASE = "0.1.0"


@pytest.fixture(scope="session")
def release_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a venv holding kedro-ml-structure 0.1.0, built offline from its commit
    in this repository's history (`git archive`), with this venv's dependencies linked."""
    commit = shipped_releases()[RELEASE]
    base = tmp_path_factory.mktemp(f"release-{RELEASE}")
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=ROOT,
                             capture_output=True, stdin=subprocess.DEVNULL, check=False)
    if archive.returncode != 0:
        pytest.fail(f"git cannot archive {commit[:12]} ({archive.stderr.decode()[-300:]}): "
                    "the upgrade tests need this repository's history (a full clone)")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(base / "source", filter="data")
    return isolated_env(base / "venv", wheel_of(base / "source", base / "dist"))


@pytest.fixture(scope="session")
def project_0_1_0(release_python: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`kedro new --starter=ml-structure --name "Penguin Lab"`, as 0.1.0 ran it."""
    parent = tmp_path_factory.mktemp("generated-0.1.0")
    run([str(release_python), "-m", "kedro", "new", "--starter=ml-structure", "--name",
         PROJECT_NAME], parent, check=True)
    return parent / REPO


def release_layout(release_python: Path, project: Path, *args: str):
    """`kedro layout ARGS` of 0.1.0, run in the project (as its users ran it)."""
    return subprocess.run([str(release_python), "-m", "kedro_plugin_layout", *args],
                          cwd=project, env=env(), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=300, check=False)
