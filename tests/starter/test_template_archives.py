"""The released templates shipped for `kedro layout upgrade` are exactly what each release
had: the archive holds the `kedro_ml_starter/template/` tree of the commit its index names,
byte for byte, and the wheel ships every archive."""

from __future__ import annotations

import lzma
import subprocess
import tarfile
from pathlib import Path

import pytest

from kedro_plugin_layout import __version__
from kedro_plugin_layout.upgrade.template_archive import (
    RELEASES_PATH,
    TEMPLATE_PREFIX,
    archive_name,
    parse_version,
    shipped_releases,
)
from tests.support import PYTHON, run

ROOT = Path(__file__).resolve().parents[2]
RELEASES = shipped_releases()


def test_0_1_0_is_shipped_and_every_archive_is_listed():
    assert RELEASES["0.1.0"] == "0ad9cfbe76578aababe58c346db38afc1bdf8621"
    archives = {path.name for path in RELEASES_PATH.glob("*.tar.xz")}
    assert archives == {archive_name(version) for version in RELEASES}


@pytest.mark.parametrize("version", sorted(RELEASES))
def test_an_archive_holds_one_template_tree_of_plain_files(version):
    assert parse_version(version) < parse_version(__version__)  # the installed one is template/
    with tarfile.open(RELEASES_PATH / archive_name(version)) as tar:
        members = tar.getmembers()
    names = {m.name for m in members if m.isfile()}
    assert all(m.isfile() or m.isdir() for m in members)
    assert all(m.name.startswith(TEMPLATE_PREFIX) or TEMPLATE_PREFIX.startswith(m.name + "/")
               for m in members)
    assert {TEMPLATE_PREFIX + "cookiecutter.json",
            TEMPLATE_PREFIX + "hooks/post_gen_project.py",
            TEMPLATE_PREFIX + "{{ cookiecutter.repo_name }}/pyproject.toml",
            TEMPLATE_PREFIX + "{{ cookiecutter.repo_name }}/.gitignore"} <= names


def _require_commit(commit: str) -> None:
    """Fails, as the upgrade tests do, when this checkout lacks a release's commit: a
    skipped check would pass a wheel whose archives nothing verified."""
    if run(["git", "cat-file", "-e", f"{commit}^{{commit}}"], ROOT).returncode != 0:
        pytest.fail(f"this checkout has no git history holding {commit[:12]} (a shallow "
                    "clone or an sdist): the template archive tests need this repository's "
                    "history (a full clone)")


@pytest.mark.parametrize("version", sorted(RELEASES))
def test_an_archive_is_the_template_of_its_commit_byte_for_byte(version):
    commit = RELEASES[version]
    _require_commit(commit)
    tar = subprocess.run(["git", "archive", "--format=tar", commit,
                          TEMPLATE_PREFIX.rstrip("/")], cwd=ROOT, capture_output=True,
                         check=True).stdout

    assert lzma.decompress((RELEASES_PATH / archive_name(version)).read_bytes()) == tar


def test_the_script_writes_the_shipped_archives_and_index_again(tmp_path):
    for version, commit in RELEASES.items():  # in release order, as they were written
        _require_commit(commit)
        made = run([PYTHON, "scripts/archive_template.py", version, commit[:7],
                    "--releases", str(tmp_path)], ROOT)
        assert made.returncode == 0, made.stderr
    refused = run([PYTHON, "scripts/archive_template.py", "first", commit, "--releases",
                   str(tmp_path / "other")], ROOT)

    for name in (*map(archive_name, RELEASES), "index.toml"):
        assert (tmp_path / name).read_bytes() == (RELEASES_PATH / name).read_bytes(), name
    assert refused.returncode == 1
    assert refused.stderr.strip() == "Error: 'first' is not a version number, e.g. 0.2.0"
    assert not (tmp_path / "other").exists()
