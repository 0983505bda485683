"""The built wheel ships the whole template, dotfiles included (`*` globs skip them), the
earlier releases' templates that `kedro layout upgrade` renders, and the licence; the
sdist holds all of it too."""

from __future__ import annotations

import tarfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import pytest

from tests.plugin.isolated_env import source_of
from tests.support import PYTHON, run

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "kedro_ml_starter" / "template"
RELEASES = ROOT / "kedro_ml_starter" / "releases"
APACHE_2 = "Apache License\n                           Version 2.0, January 2004"


@pytest.fixture(scope="module")
def sdist(checkout_wheel: Path) -> Path:
    """The sdist of the same clean copy of this checkout (what the release workflow
    publishes next to the wheel), built offline."""
    dist = checkout_wheel.parent.parent / "sdist"
    result = run([PYTHON, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(dist)],
                 source_of(checkout_wheel))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (archive,) = dist.glob("kedro_ml_structure-*.tar.gz")
    return archive


def test_the_licence_is_at_the_root_and_is_apache_2():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert APACHE_2 in text and "END OF TERMS AND CONDITIONS" in text
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in text


def test_the_wheel_and_the_sdist_ship_the_licence(checkout_wheel: Path, sdist: Path):
    licence = (ROOT / "LICENSE").read_bytes()
    with zipfile.ZipFile(checkout_wheel) as archive:
        info = next(n.split("/")[0] for n in archive.namelist() if ".dist-info/" in n)
        assert archive.read(f"{info}/licenses/LICENSE") == licence
        metadata = HeaderParser().parsestr(archive.read(f"{info}/METADATA").decode())
    assert metadata["License"] == "Apache-2.0" and metadata["License-File"] == "LICENSE"
    with tarfile.open(sdist) as archive:
        top = archive.getnames()[0].split("/")[0]
        assert archive.extractfile(f"{top}/LICENSE").read() == licence
        pkg_info = HeaderParser().parsestr(archive.extractfile(f"{top}/PKG-INFO").read().decode())
    assert pkg_info["License-File"] == "LICENSE"


def test_the_sdist_holds_every_file_of_the_wheel(checkout_wheel: Path, sdist: Path):
    """So a wheel built from the published sdist (pip does that when no wheel fits) is
    the same package: the template's dotfiles and the release archives included."""
    with zipfile.ZipFile(checkout_wheel) as archive:
        packaged = {n for n in archive.namelist() if ".dist-info/" not in n}
    with tarfile.open(sdist) as archive:
        held = {m.name.split("/", 1)[1] for m in archive.getmembers() if m.isfile()}
    assert packaged - held == set()
    assert {"LICENSE", "README.md", "setup.cfg", "pyproject.toml"} <= held


def test_wheel_contains_every_template_file(checkout_wheel: Path):
    wheel = checkout_wheel
    prefix = "kedro_ml_starter/template/"
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name[len(prefix):] for name in archive.namelist() if name.startswith(prefix)}
        names = set(archive.namelist())
    source = {
        path.relative_to(TEMPLATE).as_posix()
        for path in TEMPLATE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert shipped == source
    assert any(name.endswith("/.gitignore") for name in shipped)
    assert any(name.endswith("/.github/workflows/ci.yml") for name in shipped)
    assert sum(name.endswith("/.gitkeep") for name in shipped) == 7  # data 02-06, models, conf/local
    assert {"kedro_ml_starter/naming.py", "kedro_ml_starter/guard.py",
            "kedro_ml_starter/starters.py", "kedro_ml_starter/py.typed"} <= names
    # The runtime generated projects import (`kedro serve`, the model datasets, ONNX).
    runtime = ROOT / "kedro_ml_starter" / "runtime"
    assert {f"kedro_ml_starter/runtime/{p.relative_to(runtime).as_posix()}"
            for p in runtime.rglob("*.py")} <= names
    # The earlier releases' templates, for `kedro layout upgrade` without the network.
    releases = {f"kedro_ml_starter/releases/{path.name}" for path in RELEASES.iterdir()}
    assert {"kedro_ml_starter/releases/index.toml",
            "kedro_ml_starter/releases/0.1.0.tar.xz"} <= releases <= names


def test_no_template_file_is_ignored_by_git():
    """The template's own .gitignore applies inside our repository too: nothing may match it."""
    result = run(["git", "ls-files", "--others", "--ignored", "--exclude-standard",
                  "kedro_ml_starter/template"], ROOT, check=True)
    ignored = [line for line in result.stdout.splitlines() if "__pycache__" not in line]
    assert ignored == []
