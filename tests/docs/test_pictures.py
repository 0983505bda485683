"""The docs' pictures (docs/images/): every picture a page names exists and the strict build
fails without it, every picture is shown on a page, and scripts/pictures.py still makes
each of them from a real project (so they can be made again when what they show changes).
"""

from __future__ import annotations

import html
import re
import shutil
import struct
from pathlib import Path

import pytest

from tests.support import PYTHON, run, script

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
IMAGES = DOCS / "images"
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*([^)\s]+)")


@pytest.fixture(scope="module")
def pictures():
    return script("pictures")


def named_pictures() -> dict[Path, list[str]]:
    """Each picture a docs page shows (its file, resolved) and the pages that show it."""
    named: dict[Path, list[str]] = {}
    for page in sorted(DOCS.rglob("*.md")):
        for reference in MARKDOWN_IMAGE.findall(page.read_text(encoding="utf-8")):
            target = (page.parent / reference).resolve()
            named.setdefault(target, []).append(page.relative_to(DOCS).as_posix())
    return named


def svg_text(svg: str) -> str:
    """The text a rich SVG shows, without its markup."""
    shown = re.sub(r"<style>.*?</style>|<[^>]+>", "", svg, flags=re.DOTALL)
    return html.unescape(shown).replace("\xa0", " ")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_every_picture_a_page_names_exists_and_every_picture_is_shown(pictures) -> None:
    named = named_pictures()
    missing = {path.relative_to(ROOT).as_posix(): pages for path, pages in named.items()
               if not path.is_file()}
    assert missing == {}, f"pages name pictures that are not there: {missing}"
    on_disk = {path.resolve() for path in IMAGES.iterdir()}
    assert on_disk == set(named), "a picture in docs/images/ that no page shows, or the reverse"
    assert {path.name for path in on_disk} == set(pictures.PICTURES)
    pages = {page for shown in named.values() for page in shown}
    assert {"index.md", "stages.md", "check.md", "serving.md"} <= pages


def test_the_strict_build_fails_when_a_picture_a_page_names_is_missing(tmp_path) -> None:
    shutil.copytree(DOCS, tmp_path / "docs")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    (tmp_path / "docs" / "images" / "evaluation.png").unlink()

    result = run([PYTHON, "-m", "mkdocs", "build", "--strict", "--site-dir",
                  str(tmp_path / "site")], tmp_path, timeout=300, NO_MKDOCS_2_WARNING="1")

    assert result.returncode == 1
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings == [("WARNING -  Doc file 'stages.md' contains a link "
                         "'images/evaluation.png', but the target is not found among "
                         "documentation files.")]


@pytest.mark.e2e
def test_the_script_makes_every_picture_from_a_trained_project(pictures, trained_project,
                                                               tmp_path) -> None:
    out = tmp_path / "pictures"
    result = run([PYTHON, str(ROOT / "scripts" / "pictures.py"), "--out", str(out),
                  "--project", str(trained_project)], ROOT, timeout=600)

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert sorted(path.name for path in out.iterdir()) == sorted(pictures.PICTURES)
    assert png_size((out / "kedro-viz.png").read_bytes()) == (1800, 3000)
    assert png_size((out / "api-docs.png").read_bytes()) == (1280, 1000)
    [figure] = pictures._figures(trained_project)[:1]  # found through the catalog
    assert (out / "evaluation.png").read_bytes() == figure.read_bytes()
    check = (out / "layout-check.svg").read_text(encoding="utf-8")
    assert check.startswith("<svg") and "http" not in check.replace(
        "http://www.w3.org/2000/svg", "").replace("https://www.textualize.io", "")
    text = svg_text(check)
    for expected in ("$ kedro layout check", "FAIL", "KL304", "KL305", "KL404",
                     "3 findings"):
        assert expected in text, expected
    # What the check prints today is what the docs show (as tests/docs/test_rules_page.py
    # holds the rules page to the rules).
    committed = svg_text((IMAGES / "layout-check.svg").read_text(encoding="utf-8"))
    assert text == committed, ("docs/images/layout-check.svg is not what `kedro layout check` "
                               "prints today: run `make pictures` and commit the pictures")
