"""Lints the starter's template as users get it: ruff on freshly generated projects.

    .venv/bin/python scripts/lint_template.py            # every variant, findings only
    .venv/bin/python scripts/lint_template.py --diff     # and ruff format's diffs

Template files hold Jinja (`{{ cookiecutter.python_package }}` in imports, `{% if %}`
blocks), so ruff cannot read them directly. This generates one project per variant that
changes what ruff sees (pandas and spark engines, numbered and plain stage folders, and
a long project name, which lengthens import lines and sorts the package after `tests`)
with `kedro new`, runs `ruff check` and `ruff format --check` in each, and prints every
finding with the template file it comes from. Line numbers are the generated file's: a
Jinja block shifts them. Fix the template by hand; a magic trailing comma (one item per
line) keeps a statement's layout the same whatever the package name's length.
`tests/starter/test_lint.py` checks the same variants.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "kedro_ml_starter" / "template" / "{{ cookiecutter.repo_name }}"
OVERLAY = "_engine_spark"
BIN = Path(sys.executable).parent
VARIANTS = {
    "pandas-numbered": {"project_name": "Lint Pandas", "engine": "pandas"},
    "pandas-plain": {"project_name": "Lint Plain", "engine": "pandas", "stage_style": "plain"},
    "spark-numbered": {"project_name": "Lint Spark", "engine": "spark"},
    "spark-plain": {"project_name": "Lint Spark Plain", "engine": "spark",
                    "stage_style": "plain"},
    "spark-plain-long-name": {"project_name": "Zoo Of A Rather Long Project Name For Lint",
                              "engine": "spark", "stage_style": "plain"},
}
FINDING = re.compile(r"^(?P<path>\S+?):(?P<line>\d+):(?P<column>\d+): (?P<message>.*)$")


@dataclass(frozen=True)
class Finding:
    variant: str
    template_file: str
    line: int
    message: str


def generate(parent: Path, config: dict[str, str]) -> Path:
    """`kedro new --starter=ml-structure --config` in `parent`; the project's folder."""
    config_file = parent / "config.yml"
    config_file.write_text(yaml.safe_dump(config))
    subprocess.run([str(BIN / "kedro"), "new", "--starter=ml-structure", "--config",
                    str(config_file)], cwd=parent, check=True, capture_output=True,
                   stdin=subprocess.DEVNULL,
                   env={"KEDRO_DISABLE_TELEMETRY": "1", "DO_NOT_TRACK": "1",
                        "PATH": f"{BIN}:/usr/bin:/bin"})
    return next(path for path in parent.iterdir() if path.is_dir())


def template_files(context: dict[str, str]) -> dict[str, str]:
    """Each generated file's path -> the template file it is rendered from (the engine's
    overlay wins, as the post-generation hook moves it into place)."""
    jinja = Environment()
    paths: dict[str, str] = {}
    for source in sorted(p for p in TEMPLATE.rglob("*") if p.is_file()):
        relative = source.relative_to(TEMPLATE).as_posix()
        rendered = jinja.from_string(relative).render(cookiecutter=context)
        if rendered.startswith(f"{OVERLAY}/"):
            if context["engine"] != "spark":
                continue
            paths[rendered[len(OVERLAY) + 1:]] = relative
        else:
            paths.setdefault(rendered, relative)
    return paths


def context_of(project: Path, config: dict[str, str]) -> dict[str, str]:
    return {"python_package": next(p.name for p in (project / "src").iterdir() if p.is_dir()),
            "repo_name": project.name, "stage_style": config.get("stage_style", "numbered"),
            "engine": config["engine"], "project_name": config["project_name"]}


def ruff(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "ruff"), *command, "--no-cache", "."], cwd=project,
                          capture_output=True, text=True, check=False)


def lint(variant: str, project: Path, config: dict[str, str], diff: bool) -> list[Finding]:
    sources = template_files(context_of(project, config))
    findings: list[Finding] = []
    for command in (("check",), ("format", "--check")):
        result = ruff(project, *command, "--output-format", "concise")
        for line in result.stdout.splitlines():
            if found := FINDING.match(line):
                findings.append(Finding(variant, sources.get(found["path"], found["path"]),
                                        int(found["line"]), found["message"]))
    if diff:
        print(ruff(project, "format", "--diff").stdout, end="")
    return findings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diff", action="store_true", help="print ruff format's diffs too")
    parser.add_argument("--variant", choices=VARIANTS, action="append",
                        help="only this variant (repeatable); default: all")
    args = parser.parse_args()
    findings: list[Finding] = []
    with tempfile.TemporaryDirectory(prefix="lint-template-") as work:
        for variant in args.variant or VARIANTS:
            parent = Path(work) / variant
            parent.mkdir()
            project = generate(parent, VARIANTS[variant])
            findings += lint(variant, project, VARIANTS[variant], args.diff)
    for finding in findings:
        print(f"[{finding.variant}] {finding.template_file}:{finding.line}: {finding.message}")
    print(f"{len(findings)} finding(s) in {len(args.variant or VARIANTS)} variant(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
