"""Where this kedro-ml-structure came from, as the requirement a new project installs.

A generated project imports `kedro_ml_starter.runtime`, so its requirements.txt must name
a kedro-ml-structure that `pip install -r requirements.txt` finds in a new environment, on
CI or a colleague's machine. An installer records where a distribution came from when it
was not a package index (PEP 610: `direct_url.json` in its metadata), and that decides the
line, read from the installed metadata without any network:

- no record (installed from an index): this release's range, `kedro-ml-structure>=0.3,<0.4`;
- a VCS URL: the repository at the installed commit, `... @ git+https://...@<commit>`;
- a wheel, an sdist or a local folder (editable too): `... @ file:///...`, which only this
  machine (or one with the same shared path) can reach, so `kedro new` says so in one line
  (`local_path_note`).

The template asks for the line as the `runtime_requirement` answer, rendered by the
`runtime_requirement` filter that `RuntimeRequirementExtension` adds (cookiecutter.json
`_extensions`): the answer is recorded with the others, so `kedro layout upgrade` renders
the old template with the line it generated and derives the new one again. A `--config`
file may give another line (a private index's pin); `naming.check_runtime_requirement`
checks it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib.metadata import Distribution, distributions
from urllib.parse import urlsplit

from jinja2 import Environment
from jinja2.ext import Extension

from kedro_ml_starter import __version__

DISTRIBUTION = "kedro-ml-structure"


def runtime_requirement(_answers: object = None) -> str:
    """Jinja filter: the requirements.txt line that installs this kedro-ml-structure
    (its argument, the cookiecutter context, is not needed)."""
    return requirement_for(_direct_url(), __version__)


def requirement_for(direct_url: Mapping[str, object] | None, version: str) -> str:
    """The line for a PEP 610 record (None: installed from an index) of `version`."""
    url = direct_url.get("url") if direct_url else None
    if direct_url is None or not isinstance(url, str) or not url:
        return f"{DISTRIBUTION}{compatible_range(version)}"
    fragments = []
    vcs_info = direct_url.get("vcs_info")
    archive_info = direct_url.get("archive_info")
    if isinstance(vcs_info, Mapping) and vcs_info.get("vcs"):
        url = f"{vcs_info['vcs']}+{url}"
        if vcs_info.get("commit_id"):
            url = f"{url}@{vcs_info['commit_id']}"
    elif isinstance(archive_info, Mapping):
        hash_ = _archive_hash(archive_info)
        if hash_:
            fragments.append(hash_)
    subdirectory = direct_url.get("subdirectory")
    if isinstance(subdirectory, str) and subdirectory:
        fragments.append(f"subdirectory={subdirectory}")
    return f"{DISTRIBUTION} @ {url}" + (f"#{'&'.join(fragments)}" if fragments else "")


def compatible_range(version: str) -> str:
    """The releases that keep this one's runtime API: the same minor version before 1.0,
    the same major version after (`0.3.0` -> `>=0.3,<0.4`; `1.2.0` -> `>=1.2,<2`)."""
    # packaging loads when a requirement is written, not when the template's Jinja loads
    from packaging.version import Version

    parsed = Version(version)
    major, minor = (parsed.release + (0, 0))[:2]
    floor = str(parsed) if parsed.is_prerelease else f"{major}.{minor}"
    ceiling = f"0.{minor + 1}" if major == 0 else f"{major + 1}"
    return f">={floor},<{ceiling}"


def local_path_note(requirement: str) -> str | None:
    """One line for `kedro new` when `requirement` installs from a local path; else None."""
    # packaging loads when a requirement is written, not when the template's Jinja loads
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        url = Requirement(requirement).url
    except InvalidRequirement:
        return None
    if not url:
        return None
    scheme = urlsplit(url).scheme
    if scheme != "file" and not scheme.endswith("+file"):  # git+file:// is local too
        return None
    where = url.split("#", 1)[0]
    return (f"Note: requirements.txt installs {DISTRIBUTION} from {where}, a path only this "
            f"machine can reach; for CI or another machine, install {DISTRIBUTION} from a "
            "package index, a VCS URL (pip install git+https://...) or a wheel on shared "
            "storage before `kedro new`, or edit that line (docs/starter.md, \"Where the "
            "runtime comes from\").")


class RuntimeRequirementExtension(Extension):
    """Adds the `runtime_requirement` filter to the template's Jinja environment.

    Releases' templates call it by this name: keep it, and keep it free of the network.
    """

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["runtime_requirement"] = runtime_requirement


def _distribution() -> Distribution | None:
    """The installed kedro-ml-structure. A source checkout's stale `*.egg-info` can come
    first on sys.path (a `python` started in the checkout): an installer's record wins."""
    found = list(distributions(name=DISTRIBUTION))
    installed = [dist for dist in found if dist.read_text("INSTALLER") is not None]
    candidates = installed or found
    return candidates[0] if candidates else None


def _direct_url() -> Mapping[str, object] | None:
    """The PEP 610 record, or None: an index install, or a record no installer wrote
    properly (then the range is the best line there is)."""
    dist = _distribution()
    text = dist.read_text("direct_url.json") if dist is not None else None
    if not text:
        return None
    try:
        record = json.loads(text)
    except ValueError:
        return None
    return record if isinstance(record, Mapping) else None


def _archive_hash(archive_info: Mapping[str, object]) -> str | None:
    """`sha256=<hex>` from `hashes` (PEP 610 as amended) or the older `hash` key."""
    hashes = archive_info.get("hashes")
    if isinstance(hashes, Mapping):
        for name in ("sha256", "sha384", "sha512"):
            if isinstance(hashes.get(name), str):
                return f"{name}={hashes[name]}"
    hash_ = archive_info.get("hash")
    return hash_ if isinstance(hash_, str) and "=" in hash_ else None
