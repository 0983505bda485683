"""Where the template of each version comes from, offline.

- The installed version's template is the starter's own `kedro_ml_starter/template/`.
- Every earlier release ships in the wheel as `kedro_ml_starter/releases/<version>.tar.xz`:
  exactly the `kedro_ml_starter/template/` tree of that release, as `git archive` wrote
  it (made by `scripts/archive_template.py`, which also lists the version and its commit
  in `releases/index.toml`). A few tens of kilobytes each, so an upgrade never needs the
  network, an index, or the project's git history.
- `--from PATH` takes a wheel, an sdist or a checkout of a version this installation
  does not ship (a fork, a pre-release).

Archives are read member by member: only regular files and folders under the template
prefix, with no absolute path or `..`, are written, and only into a scratch folder.
"""

from __future__ import annotations

import re
import tarfile
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from packaging.version import InvalidVersion, Version

from kedro_ml_starter import TEMPLATE_PATH
from kedro_plugin_layout import __version__
from kedro_plugin_layout.errors import UpgradeError

TEMPLATE_PREFIX = "kedro_ml_starter/template/"
RELEASES_PATH = TEMPLATE_PATH.parent / "releases"
INDEX = "index.toml"
VERSION_PACKAGES = ("kedro_ml_starter", "kedro_plugin_layout")
_VERSION_RE = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def archive_name(version: str) -> str:
    return f"{version}.tar.xz"


def shipped_releases(releases: Path = RELEASES_PATH) -> dict[str, str]:
    """The versions whose template ships as an archive, each with the commit it came from."""
    try:
        with (releases / INDEX).open("rb") as stream:
            table = tomllib.load(stream).get("releases", {})
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UpgradeError(f"cannot be read ({exc}); reinstall kedro-ml-structure",
                           releases / INDEX) from None
    return {str(version): str(commit) for version, commit in table.items()}


@dataclass(frozen=True)
class TemplateShelf:
    """The templates this installation can render: its own, and the shipped releases."""

    installed_version: str = __version__
    installed: Path = TEMPLATE_PATH
    releases: Path = RELEASES_PATH

    def versions(self) -> list[str]:
        return sorted({*shipped_releases(self.releases), self.installed_version},
                      key=parse_version)

    def template(self, version: str, scratch: Path) -> Path:
        """The template folder (holding cookiecutter.json) of a version."""
        if version == self.installed_version:
            return self.installed
        if version not in shipped_releases(self.releases):
            raise UpgradeError(
                f"no template of version {version} ships with kedro-ml-structure "
                f"{self.installed_version} (it has {', '.join(self.versions())}); "
                f"pass --from PATH, a wheel, sdist or checkout of {version}"
            )
        return extract_archive(self.releases / archive_name(version), scratch)


def parse_version(version: str) -> Version:
    """A comparable version (PEP 440), or UpgradeError naming the text."""
    try:
        return Version(version)
    except InvalidVersion:
        raise UpgradeError(f"{version!r} is not a version number, e.g. 0.2.0") from None


# -- reading archives, wheels, sdists and checkouts -------------------------------------


def extract_archive(archive: Path, scratch: Path) -> Path:
    """Writes a release archive's template into scratch; returns the template folder."""
    try:
        with tarfile.open(archive, "r:*") as tar:
            members = ((m.name, m, tar) for m in tar.getmembers())
            return _write_template(_template_members(members, archive), scratch, archive)
    except (OSError, tarfile.TarError) as exc:
        raise UpgradeError(f"cannot be read ({exc}); reinstall kedro-ml-structure",
                           archive) from None


@dataclass(frozen=True)
class TemplateFrom:
    """A template found at `--from PATH`, and the version that PATH holds."""

    version: str
    template: Path


def template_from(path: Path, scratch: Path) -> TemplateFrom:
    """The template and version in a wheel (.whl), an sdist (.tar.gz) or a checkout."""
    path = Path(path)
    try:
        if path.is_dir():
            return _from_checkout(path)
        if path.suffix == ".whl":
            return _from_wheel(path, scratch)
        if path.name.endswith((".tar.gz", ".tgz", ".tar")):
            return _from_sdist(path, scratch)
    except (OSError, tarfile.TarError, zipfile.BadZipFile) as exc:
        raise UpgradeError(f"cannot be read ({exc}); pass a wheel, sdist or checkout "
                           "of kedro-ml-structure", path) from None
    raise UpgradeError("is not a wheel (.whl), an sdist (.tar.gz) or a checkout folder of "
                       "kedro-ml-structure", path)


def _from_checkout(root: Path) -> TemplateFrom:
    template = root / TEMPLATE_PREFIX
    # The version lives in the starter's package since 0.3.0, in the plugin's before.
    inits = [init for package in VERSION_PACKAGES
             if (init := root / package / "__init__.py").is_file()]
    if not (template / "cookiecutter.json").is_file() or not inits:
        raise UpgradeError("is not a checkout of kedro-ml-structure (no "
                           f"{TEMPLATE_PREFIX}cookiecutter.json or kedro_plugin_layout)", root)
    for init in inits:
        match = _VERSION_RE.search(init.read_text(encoding="utf-8"))
        if match:
            return TemplateFrom(match.group(1), template)
    raise UpgradeError("has no __version__; cannot tell which version it is", inits[-1])


def _from_wheel(wheel: Path, scratch: Path) -> TemplateFrom:
    with zipfile.ZipFile(wheel) as archive:
        metadata = [n for n in archive.namelist()
                    if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        if not metadata:
            raise UpgradeError("has no .dist-info/METADATA; not a wheel", wheel)
        version = _metadata_version(archive.read(metadata[0]).decode("utf-8"), wheel)
        members = ((info.filename, info, archive) for info in archive.infolist())
        template = _write_template(_template_members(members, wheel), scratch, wheel)
        return TemplateFrom(version, template)


def _from_sdist(sdist: Path, scratch: Path) -> TemplateFrom:
    with tarfile.open(sdist, "r:*") as tar:
        names = tar.getnames()
        tops = {name.split("/", 1)[0] for name in names}
        if len(tops) != 1 or f"{next(iter(tops))}/PKG-INFO" not in names:
            raise UpgradeError("has no <name>-<version>/PKG-INFO; not an sdist", sdist)
        top = next(iter(tops))
        info = tar.extractfile(f"{top}/PKG-INFO")
        assert info is not None
        version = _metadata_version(info.read().decode("utf-8"), sdist)
        members = ((m.name[len(top) + 1:], m, tar) for m in tar.getmembers()
                   if m.name.startswith(f"{top}/"))
        template = _write_template(_template_members(members, sdist), scratch, sdist)
        return TemplateFrom(version, template)


def _metadata_version(text: str, where: Path) -> str:
    match = re.search(r"^Version:\s*(\S+)\s*$", text, re.MULTILINE)
    if not match:
        raise UpgradeError("its metadata has no Version", where)
    return match.group(1)


Member = tarfile.TarInfo | zipfile.ZipInfo


def _template_members(
    members: Iterator[tuple[str, Member, tarfile.TarFile | zipfile.ZipFile]], source: Path
) -> Iterator[tuple[str, Member, tarfile.TarFile | zipfile.ZipFile]]:
    """The members under the template prefix (relative to it); refuses unsafe ones."""
    found = False
    for name, member, archive in members:
        if not name.startswith(TEMPLATE_PREFIX):
            continue
        relative = name[len(TEMPLATE_PREFIX):].rstrip("/")
        pure = PurePosixPath(relative)
        if pure.is_absolute() or ".." in pure.parts or "\\" in relative:
            raise UpgradeError(f"member {name!r} leaves the template; refusing it", source)
        if isinstance(member, tarfile.TarInfo) and not (member.isfile() or member.isdir()):
            raise UpgradeError(f"member {name!r} is not a file or folder; refusing it", source)
        found = True
        yield relative, member, archive
    if not found:
        raise UpgradeError(f"holds no {TEMPLATE_PREFIX} folder", source)


def _write_template(
    members: Iterator[tuple[str, Member, tarfile.TarFile | zipfile.ZipFile]],
    scratch: Path,
    source: Path,
) -> Path:
    template = scratch / "template"
    template.mkdir(parents=True)
    for relative, member, archive in members:
        if not relative:
            continue
        target = template / relative
        if member.isdir() if isinstance(member, tarfile.TarInfo) else member.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_read(member, archive))
    if not (template / "cookiecutter.json").is_file():
        raise UpgradeError(f"its {TEMPLATE_PREFIX} has no cookiecutter.json", source)
    return template


def _read(member: Member, archive: tarfile.TarFile | zipfile.ZipFile) -> bytes:
    if isinstance(archive, zipfile.ZipFile):
        assert isinstance(member, zipfile.ZipInfo)
        return archive.read(member)
    assert isinstance(member, tarfile.TarInfo)
    stream = archive.extractfile(member)
    assert stream is not None
    return stream.read()


__all__ = [
    "TEMPLATE_PREFIX", "RELEASES_PATH", "archive_name", "shipped_releases", "TemplateShelf",
    "parse_version", "extract_archive", "TemplateFrom", "template_from",
]
