"""The docs site: `mkdocs build --strict` passes (a broken link, a missing anchor or a page
left out of the nav fails it), the nav holds the pages the docs promise, and README.md's
links into docs/ land on a page and an anchor that exist."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.support import PYTHON, run

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# The pages issue 13 asks of the site: starter, stages, serving, check, rules, growing,
# upgrade, Spark, benchmarks, contributing (plus the home page and the ecosystem page), and
# issue 20's "Bring your own data" (use-data).
REQUIRED_PAGES = {"index.md", "starter.md", "use-data.md", "stages.md", "serving.md", "check.md",
                  "rules.md", "growing.md", "upgrade.md", "spark.md", "ecosystem.md",
                  "benchmarks.md", "contributing.md"}
# [text](docs/page.md#anchor) or [text](./docs/page.md), not an absolute URL.
README_LINK = re.compile(r"\]\(\s*(?:\./)?(docs/[^)\s#]*)(?:#([^)\s]*))?\s*\)")


def nav_pages() -> list[str]:
    """Every page named in mkdocs.yml's nav, in order."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    pages: list[str] = []

    def walk(items: object) -> None:
        if isinstance(items, str):
            pages.append(items)
        elif isinstance(items, list):
            for item in items:
                walk(item)
        elif isinstance(items, dict):
            for value in items.values():
                walk(value)

    walk(config["nav"])
    return pages


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


def html_ids(page: Path) -> set[str]:
    parser = _Ids()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.ids


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once with --strict, into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    result = run([PYTHON, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)], ROOT,
                 timeout=300, NO_MKDOCS_2_WARNING="1")
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert result.returncode == 0, "mkdocs build --strict failed:\n" + "\n".join(
        warnings or result.stderr.splitlines()[-20:])
    return out


def test_the_site_builds_strict_with_every_page(site: Path) -> None:
    for page in nav_pages():
        built = site / page.removesuffix(".md") / "index.html"
        if page == "index.md":
            built = site / "index.html"
        assert built.is_file(), f"{page} is in the nav but was not built"
    rules = html_ids(site / "rules" / "index.html")
    assert {"kl101", "kl402", "kl503", "facts", "dataflow"} <= rules


def test_every_page_of_the_nav_exists_and_every_page_is_in_it() -> None:
    pages = nav_pages()
    assert len(pages) == len(set(pages)), f"a page is listed twice: {pages}"
    missing = [page for page in pages if not (DOCS / page).is_file()]
    assert missing == [], f"in mkdocs.yml's nav but not in docs/: {missing}"
    left_out = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")
                      if p.relative_to(DOCS).as_posix() not in pages)
    assert left_out == [], f"in docs/ but not in mkdocs.yml's nav: {left_out}"
    assert REQUIRED_PAGES <= set(pages), f"missing from the nav: {REQUIRED_PAGES - set(pages)}"


def test_readme_links_into_docs_land_on_pages_and_anchors_that_exist(site: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    broken = []
    for target, anchor in README_LINK.findall(readme):
        path = ROOT / target
        if not path.exists():
            broken.append(f"{target} (no such file)")
            continue
        if anchor and path.suffix == ".md":
            relative = path.relative_to(DOCS).as_posix().removesuffix(".md")
            built = site / ("" if relative == "index" else relative) / "index.html"
            if anchor not in html_ids(built):
                broken.append(f"{target}#{anchor} (no such anchor on the page)")
    assert broken == [], f"README.md links into docs/ that lead nowhere: {broken}"


def test_ci_installs_chromium_when_missing_then_runs_the_readmes_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test   # the test suite (what CI runs: .ci/run calls exactly this)" in readme
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in script.splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert commands[-1] == "make test"
    install = commands.index("if ! command -v chromium > /dev/null; then")
    assert commands[install + 1:install + 5] == [
        "export DEBIAN_FRONTEND=noninteractive", "apt-get update -qq",
        "apt-get install -y -qq --no-install-recommends chromium > /dev/null", "fi"]
