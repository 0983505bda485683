"""The workflows we ship and run pass zizmor, offline, with no finding of medium severity
or worse: the generated project's CI in every combination of the starter's answers, and
this repository's release workflow. Actions pinned to commits, no persisted
credentials, no template injection, least privilege."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path

import pytest

from kedro_ml_starter import TEMPLATE_PATH
from kedro_ml_starter.naming import ENGINES, STAGE_STYLES, TRACKINGS
from kedro_plugin_layout.upgrade.render import render_template
from tests.support import BIN, run

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / ".github" / "workflows" / "release.yml"
ZIZMOR = str(BIN / "zizmor")
FAILING = ("Medium", "High")
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40}  # v\d+\.\d+\.\d+$")


def audit(files: list[Path], cwd: Path) -> tuple[list[dict], str]:
    """zizmor's findings (JSON) on the files, and its log."""
    result = run([ZIZMOR, "--offline", "--no-config", "--format", "json", *map(str, files)],
                 cwd)
    assert result.returncode in (0, 10, 11, 12, 13, 14), result.stderr[-3000:]
    return json.loads(result.stdout), result.stderr


def severe(findings: list[dict]) -> list[tuple[str, str, str]]:
    """(audit, severity, where) of each finding of medium severity or worse."""
    return [(f["ident"], f["determinations"]["severity"],
             json.dumps(f["locations"][0]["symbolic"]["key"]))
            for f in findings if f["determinations"]["severity"] in FAILING]


@pytest.fixture(scope="module")
def rendered_workflows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Every workflow of the template, rendered for every combination of the answers
    (engine x tracking x stage style), as `kedro new` renders them."""
    out: dict[str, list[Path]] = {}
    base = tmp_path_factory.mktemp("workflows")
    for engine, tracking, style in itertools.product(ENGINES, TRACKINGS, STAGE_STYLES):
        name = f"{engine}-{tracking}-{style}"
        answers = {"project_name": "Audit Lab", "repo_name": "audit-lab",
                   "python_package": "audit_lab", "stage_style": style, "engine": engine,
                   "tracking": tracking}
        rendered = render_template(TEMPLATE_PATH, "current", answers, "1.7.0",
                                   base / "scratch" / name)
        out[name] = []
        for path, data in rendered.files.items():
            if path.startswith(".github/workflows/"):
                target = base / name / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                out[name].append(target)
        shutil.rmtree(base / "scratch" / name)
    return out


def test_every_generated_workflow_variant_and_the_release_workflow_pass_zizmor(
        rendered_workflows: dict[str, list[Path]], tmp_path: Path):
    files = [path for paths in rendered_workflows.values() for path in paths]
    assert all(paths for paths in rendered_workflows.values())  # each variant has a CI

    findings, log = audit([*files, RELEASE], tmp_path)

    assert severe(findings) == []
    for path in [*files, RELEASE]:  # every file was read and audited, none skipped
        assert f"completed {path}" in log, (path, log[-2000:])


@pytest.mark.parametrize("fixture", ["generated_project", "spark_project"])
def test_a_generated_projects_workflow_passes_zizmor(fixture: str,
                                                     request: pytest.FixtureRequest):
    """The files `kedro new` wrote (hooks and overlays applied), not only the renders."""
    project: Path = request.getfixturevalue(fixture)
    workflows = sorted((project / ".github" / "workflows").glob("*.yml"))

    findings, _ = audit(workflows, project)

    assert workflows and severe(findings) == []


def test_every_action_is_pinned_to_a_commit_with_its_version_and_checkouts_keep_no_token(
        rendered_workflows: dict[str, list[Path]]):
    for path in [*(p for paths in rendered_workflows.values() for p in paths), RELEASE]:
        lines = path.read_text().splitlines()
        uses = [line for line in lines if re.match(r"^\s*(-\s+)?uses:", line)]
        assert uses and [line for line in uses if not PINNED.match(line)] == [], path
        checkouts = sum("actions/checkout@" in line for line in uses)
        assert path.read_text().count("persist-credentials: false") == checkouts, path


def test_the_audit_catches_what_it_is_for(tmp_path: Path):
    """The control: an unpinned action and a persisted checkout token are findings of
    medium severity or worse, offline."""
    workflow = tmp_path / "unsafe.yml"
    workflow.write_text("name: unsafe\non: [push]\npermissions: {}\njobs:\n  build:\n"
                        "    name: build\n    runs-on: ubuntu-latest\n    steps:\n"
                        "      - uses: actions/checkout@v4\n")

    findings, _ = audit([workflow], tmp_path)

    assert {ident for ident, _, _ in severe(findings)} == {"unpinned-uses", "artipacked"}


def test_only_the_publish_job_may_ask_for_an_oidc_token():
    """Trusted publishing: `id-token: write` in the job that publishes, in its own
    environment, and nowhere else; no password or token input."""
    import yaml

    document = yaml.safe_load(RELEASE.read_text())
    assert document[True] == {"push": {"tags": ["v*"]}}  # PyYAML reads `on:` as True
    assert document["permissions"] == {}
    jobs = document["jobs"]
    assert {name: job.get("permissions") for name, job in jobs.items()} == {
        "build": {"contents": "read"}, "publish": {"id-token": "write"}}
    assert jobs["publish"]["environment"]["name"] == "pypi"
    assert jobs["publish"]["needs"] == "build"
    publish = jobs["publish"]["steps"][-1]
    assert publish["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert "with" not in publish  # no password: PyPI trusts the workflow
    build = "\n".join(step.get("run", "") for step in jobs["build"]["steps"])
    assert "python -m build" in build and "__version__" in build
