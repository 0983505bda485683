"""Rendering one template version with a project's answers, as `kedro new` rendered it.

Cookiecutter renders the template with no prompt (every answer is given) into a scratch
folder. Its context is built the way `kedro new` builds it, including the template's own
Jinja extensions, but neither the replay file (in the user's home) nor the user's
cookiecutter config is read or written.

The template's hooks are not run. The post-generation hook of every release does three
things, and only the first shapes the files an upgrade compares:
- it moves the files of the chosen overlays into place (`_engine_<engine>/`, and in
  templates that ask it `_tracking_<tracking>/`) and removes every overlay:
  `apply_overlays` does the same here;
- it appends the manifest to pyproject.toml: the upgrade keeps the project's own manifest
  and updates its template record itself (see `pyproject.py`);
- it writes `conf/local/credentials.yml`, a per-machine file git ignores: never compared.
Running an old release's hooks instead would import today's plugin from yesterday's code
(a renamed function breaks every old version), and with `--from PATH` run code from an
arbitrary archive.

An answer the project's record lacks (one a later template added, such as `tracking`)
takes its default, as `kedro new` gives it without a terminal: the template's questions
are never asked during an upgrade (`--answer KEY=VALUE` chooses another value).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cookiecutter.exceptions import CookiecutterException
from cookiecutter.generate import generate_context, generate_files
from cookiecutter.prompt import prompt_for_config
from jinja2 import TemplateError

from kedro_ml_starter.template_record import recorded_answers
from kedro_plugin_layout.errors import UpgradeError

# A folder of the template holding the files one answer's value adds or replaces.
OVERLAY_RE = re.compile(r"^_(?P<key>[a-z]+)_(?P<value>[a-z0-9]+)$")


@dataclass(frozen=True)
class Rendered:
    """A rendered template: the answers its cookiecutter.json took, and its files."""

    version: str
    answers: dict[str, str]
    files: dict[str, bytes]  # relative posix path → content


def render_template(
    template: Path, version: str, answers: Mapping[str, str], kedro_version: str, scratch: Path
) -> Rendered:
    """Renders `template` (the folder holding cookiecutter.json) into scratch."""
    scratch.mkdir(parents=True, exist_ok=True)
    extra = {**answers, "kedro_version": kedro_version, "output_dir": str(scratch)}
    stdin = sys.stdin
    try:
        sys.stdin = io.StringIO()  # not a terminal: the starter asks nothing, takes defaults
        context = generate_context(str(template / "cookiecutter.json"), extra_context=extra)
        rendered = prompt_for_config(context, no_input=True)
        rendered.update(_template=str(template), _output_dir=str(scratch),
                        _repo_dir=str(template))
        context["cookiecutter"] = rendered
        project = Path(generate_files(repo_dir=str(template), context=context,
                                      output_dir=str(scratch), accept_hooks=False))
    except (CookiecutterException, TemplateError, ValueError, OSError) as exc:
        raise UpgradeError(f"the template of version {version} could not be rendered with "
                           f"the project's answers ({exc})") from None
    except SystemExit:  # the starter's answer guard refused an answer; it said which
        raise UpgradeError(f"the template of version {version} refused the project's "
                           "answers; correct them with --answer KEY=VALUE") from None
    finally:
        sys.stdin = stdin
    apply_overlays(project, rendered)
    return Rendered(version, recorded_answers(rendered), _files(project))


def apply_overlays(project: Path, answers: Mapping[str, object]) -> None:
    """What the post-generation hook does: each overlay of an answer's chosen value
    (`_engine_spark` for `engine: spark`) replaces the files at the same paths, in name
    order; every overlay folder of an answer is then removed."""
    for overlay in sorted(project.iterdir()):
        match = OVERLAY_RE.match(overlay.name)
        if not (overlay.is_dir() and match and match["key"] in answers):
            continue
        if str(answers[match["key"]]) == match["value"]:
            for source in sorted(p for p in overlay.rglob("*") if p.is_file()):
                target = project / source.relative_to(overlay)
                target.parent.mkdir(parents=True, exist_ok=True)
                source.replace(target)
        shutil.rmtree(overlay)


def _files(project: Path) -> dict[str, bytes]:
    """The rendered files, without bytecode: pip compiles the installed template's `.py`
    files, and `kedro new` copies no `__pycache__` into a project either."""
    out = {}
    for folder, folders, names in os.walk(project):
        folders[:] = [name for name in folders if name != "__pycache__"]
        for name in names:
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(folder) / name
            out[path.relative_to(project).as_posix()] = path.read_bytes()
    return dict(sorted(out.items()))
