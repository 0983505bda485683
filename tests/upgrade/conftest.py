"""Session fixtures of the upgrade tests: kedro-ml-structure 0.1.0 and 0.2.0 as their users
installed them, and the projects their `kedro new` generated."""

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
RELEASE_0_2 = "0.2.0"


@pytest.fixture(scope="session")
def release_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A checkout of kedro-ml-structure 0.1.0: its commit in this repository's history,
    as `git archive` writes it."""
    return checkout_of(RELEASE, tmp_path_factory)


def checkout_of(release: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A released version's commit in this repository's history, as `git archive` writes
    it."""
    commit = shipped_releases()[release]
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=ROOT,
                             capture_output=True, stdin=subprocess.DEVNULL, check=False)
    if archive.returncode != 0:
        pytest.fail(f"git cannot archive {commit[:12]} ({archive.stderr.decode()[-300:]}): "
                    "the upgrade tests need this repository's history (a full clone)")
    source = tmp_path_factory.mktemp(f"release-{release}") / "source"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(source, filter="data")
    return source


@pytest.fixture(scope="session")
def release_wheel(release_source: Path) -> Path:
    """The wheel of 0.1.0, built offline from its checkout."""
    return wheel_of(release_source, release_source.parent / "dist")


@pytest.fixture(scope="session")
def release_python(release_wheel: Path) -> Path:
    """The python of a venv holding kedro-ml-structure 0.1.0 (and this venv's copies of
    its dependencies): what a user of 0.1.0 had installed."""
    return isolated_env(release_wheel.parent.parent / "venv", release_wheel)


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


@pytest.fixture(scope="session")
def release_0_2_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a venv holding kedro-ml-structure 0.2.0, as its users installed it."""
    source = checkout_of(RELEASE_0_2, tmp_path_factory)
    wheel = wheel_of(source, source.parent / "dist")
    return isolated_env(source.parent / "venv", wheel)


@pytest.fixture(scope="session")
def project_0_2_0(release_0_2_python: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`kedro new --starter=ml-structure --name "Penguin Lab"`, as 0.2.0 ran it."""
    parent = tmp_path_factory.mktemp("generated-0.2.0")
    run([str(release_0_2_python), "-m", "kedro", "new", "--starter=ml-structure", "--name",
         PROJECT_NAME], parent, check=True)
    return parent / REPO
