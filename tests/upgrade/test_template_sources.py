"""Where an old template comes from: the shipped archives, or `--from` a wheel, an sdist or a
checkout; archives that would write outside the scratch folder are refused."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from kedro_plugin_layout.errors import UpgradeError
from kedro_plugin_layout.upgrade.template_archive import (
    TEMPLATE_PREFIX,
    TemplateShelf,
    extract_archive,
    template_from,
)
from tests.upgrade import tiny_templates as tiny


def template_files(template: Path) -> dict[str, bytes]:
    return {p.relative_to(template).as_posix(): p.read_bytes()
            for p in template.rglob("*") if p.is_file()}


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    return tiny.write_template(tmp_path / "v1", tiny.V1)


def write_wheel(path: Path, template: Path, version: str = "1.0.0") -> Path:
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr(f"kedro_ml_structure-{version}.dist-info/METADATA",
                       f"Metadata-Version: 2.1\nName: kedro-ml-structure\nVersion: {version}\n")
        wheel.writestr("kedro_plugin_layout/__init__.py", f'__version__ = "{version}"\n')
        for relative, data in template_files(template).items():
            wheel.writestr(TEMPLATE_PREFIX + relative, data)
    return path


def write_sdist(path: Path, template: Path, version: str = "1.0.0") -> Path:
    top = f"kedro_ml_structure-{version}"
    with tarfile.open(path, "w:gz") as sdist:
        add_bytes(sdist, f"{top}/PKG-INFO", f"Metadata-Version: 2.1\nVersion: {version}\n")
        sdist.add(template, arcname=f"{top}/{TEMPLATE_PREFIX.rstrip('/')}")
    return path


def add_bytes(tar: tarfile.TarFile, name: str, text: str) -> None:
    data = text.encode()
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def test_the_shipped_0_1_0_template_is_found_by_its_version(tmp_path):
    shelf = TemplateShelf(installed_version="9.9.9")

    template = shelf.template("0.1.0", tmp_path / "scratch")

    assert (template / "cookiecutter.json").is_file()
    assert (template / "hooks/post_gen_project.py").is_file()
    assert "0.1.0" in shelf.versions()


@pytest.mark.parametrize("form", ["wheel", "sdist", "checkout"])
def test_from_path_reads_the_template_and_its_version(tmp_path, v1, form):
    if form == "wheel":
        source = write_wheel(tmp_path / "kedro_ml_structure-1.0.0-py3-none-any.whl", v1)
    elif form == "sdist":
        source = write_sdist(tmp_path / "kedro_ml_structure-1.0.0.tar.gz", v1)
    else:
        source = tmp_path / "checkout"
        tiny.write_template(source / TEMPLATE_PREFIX, tiny.V1)
        (source / "kedro_plugin_layout").mkdir()
        (source / "kedro_plugin_layout/__init__.py").write_text('__version__ = "1.0.0"\n')

    found = template_from(source, tmp_path / "scratch")

    assert found.version == "1.0.0"
    assert template_files(found.template) == template_files(v1)


@pytest.mark.parametrize(("name", "kind", "message"), [
    (TEMPLATE_PREFIX + "../escape.txt", tarfile.REGTYPE, "leaves the template"),
    (TEMPLATE_PREFIX + "link", tarfile.SYMTYPE, "is not a file or folder"),
])
def test_archive_members_that_could_escape_are_refused(tmp_path, name, kind, message):
    archive = tmp_path / "1.0.0.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        add_bytes(tar, TEMPLATE_PREFIX + "cookiecutter.json", "{}")
        info = tarfile.TarInfo(name)
        info.type = kind
        info.linkname = "/etc/passwd" if kind == tarfile.SYMTYPE else ""
        tar.addfile(info, io.BytesIO(b"") if kind == tarfile.REGTYPE else None)

    with pytest.raises(UpgradeError, match=message):
        extract_archive(archive, tmp_path / "scratch")
    assert not (tmp_path / "escape.txt").exists()


@pytest.mark.parametrize(("name", "message"), [
    ("notes.txt", "is not a wheel .*, an sdist .* or a checkout folder"),
    ("broken.whl", "cannot be read"),
])
def test_from_path_that_is_no_distribution_is_refused(tmp_path, name, message):
    (tmp_path / name).write_text("not an archive")

    with pytest.raises(UpgradeError, match=message):
        template_from(tmp_path / name, tmp_path / "scratch")


def test_a_wheel_without_the_template_is_refused(tmp_path, v1):
    wheel = tmp_path / "other-1.0.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("other-1.0.0.dist-info/METADATA", "Version: 1.0.0\n")

    with pytest.raises(UpgradeError, match=f"holds no {TEMPLATE_PREFIX} folder"):
        template_from(wheel, tmp_path / "scratch")
