"""The docs' pictures, made from real runs so they show what the code does today.

    .venv/bin/python scripts/pictures.py [--out docs/images] [--project DIR]

`make pictures` runs it. It generates a project with the starter and runs it (`kedro
run`), or works on a copy of the project DIR (run first if it has no evaluation figure),
and writes into --out:

- kedro-viz.png: `kedro viz build` of the project, opened in headless Chromium (light
  theme, feature hints closed: kedro-viz's saved preferences, set before its page loads);
- evaluation.png: the figure stage 04 drew, found through the project's catalog (the first
  matplotlib dataset in the data folder whose role is `reporting`), not by a file name;
- layout-check.svg: `kedro layout check` on a copy with three findings (its transformers
  fitted on the raw rows, before the split; a notebook and a data file in the source
  folder), its text rendered by rich;
- api-docs.png: `kedro serve`'s /docs page in headless Chromium.

Needs Debian's `chromium` (tests/browser.py has how it is run). tests/docs/ checks that
every picture a docs page names exists and that this script writes each of them.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import io
import json
import re
import sys
import tempfile
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# The tests' browser, project generation and server process: the pictures show what they test.
from tests import browser
from tests.api.server_process import free_port, start_server
from tests.support import KEDRO, copy_project, kedro, new_project

PICTURES = ("kedro-viz.png", "evaluation.png", "layout-check.svg", "api-docs.png")
VIZ_PREFERENCES = {"theme": "light", "showFeatureHints": False,
                   "visible": {"sidebar": False, "miniMap": False}}
CHECK_WIDTH = 118  # columns of the terminal the check's output is drawn in
# rich's SVG asks a CDN for its font; an <img> never loads it, and the docs name no CDN.
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}\s*")


class PictureError(Exception):
    """Raised when a step cannot make its picture; the message says which and why."""


def make_pictures(out: Path, project: Path | None = None) -> list[Path]:
    """Writes every picture into `out` and returns their paths, in PICTURES' order."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pictures-") as tmp:
        work = Path(tmp)
        trained = _trained(project, work)
        steps = {"kedro-viz.png": kedro_viz, "evaluation.png": evaluation_figure,
                 "layout-check.svg": layout_check, "api-docs.png": api_docs}
        for name in PICTURES:
            steps[name](trained, out / name, work / name)
            print(f"  {out / name}")
    return [out / name for name in PICTURES]


def kedro_viz(project: Path, out: Path, work: Path) -> None:
    built = kedro(["viz", "build"], project)
    folder = project / "build"
    if not (folder / "api" / "main").is_file():  # `kedro viz build` exits 0 when it fails
        raise PictureError(f"kedro viz build wrote no pipeline:\n{built.stderr[-2000:]}")
    with _static_site(folder, VIZ_PREFERENCES) as url:
        browser.screenshot(url, out, work, width=900, height=1500, scale=2)


def evaluation_figure(project: Path, out: Path, work: Path) -> None:
    figures = _figures(project)
    if not figures:
        raise PictureError(f"no figure under the reporting folder of {project}: did stage 04 "
                           "run, and does the catalog save a matplotlib dataset there?")
    out.write_bytes(figures[0].read_bytes())


def layout_check(project: Path, out: Path, work: Path) -> None:
    copy = copy_project(project, work)
    package = _package(copy)
    _fit_before_the_split(copy, package)
    source = copy / "src" / package
    (source / "scratch.ipynb").write_bytes(next((copy / "notebooks").glob("*.ipynb")).read_bytes())
    raw = next((copy / "data" / "01_raw").glob("*.csv"))
    (source / raw.name).write_bytes(raw.read_bytes())

    checked = kedro(["layout", "check"], copy)
    if checked.returncode != 1:
        raise PictureError(f"kedro layout check exited {checked.returncode}, not 1 "
                           f"(findings):\n{checked.stdout[-2000:]}{checked.stderr[-2000:]}")
    text = "$ kedro layout check\n" + checked.stdout.replace(str(work), "~").rstrip()
    _terminal_svg(text, out, title="kedro layout check")


def api_docs(project: Path, out: Path, work: Path) -> None:
    port = free_port()
    work.mkdir(parents=True, exist_ok=True)
    server = start_server([KEDRO, "serve", "--port", str(port)], project,
                          work / "server.log", port)
    try:
        browser.screenshot(f"{server.base_url}/docs", out, work, width=1280, height=1000)
    finally:
        server.stop()


def _trained(project: Path | None, work: Path) -> Path:
    if project is None:
        (work / "generated").mkdir()
        trained = new_project(work / "generated")
    else:
        trained = copy_project(project, work / "project")
    if not _figures(trained):
        kedro(["run"], trained, check=True)
    return trained


def _figures(project: Path) -> list[Path]:
    """The files of the catalog's matplotlib datasets in the reporting data folder, in
    catalog order (a versioned dataset's newest version)."""
    manifest = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["kedro_layout"]
    reporting = next(Path(manifest["data_root"], entry["folder"])
                     for entry in manifest["data"] if entry.get("role") == "reporting")
    catalog = yaml.safe_load((project / "conf" / "base" / "catalog.yml").read_text())
    found = []
    for entry in catalog.values():
        if not isinstance(entry, dict) or "matplotlib" not in str(entry.get("type", "")).lower():
            continue
        path = Path(str(entry.get("filepath", "")))
        if reporting not in path.parents:
            continue
        saved = project / path
        if saved.is_dir():  # versioned (<version>/<name>) or several figures: the newest
            found += sorted(saved.rglob("*.png"))[-1:]
        elif saved.is_file():
            found.append(saved)
    return found


def _package(project: Path) -> str:
    return tomllib.loads((project / "pyproject.toml").read_text())["tool"]["kedro"][
        "package_name"]


def _fit_before_the_split(project: Path, package: str) -> None:
    """Stage 02 fits its transformers on the raw rows (eval and test rows included)."""
    pipeline = next((project / "src" / package / "pipelines").glob("*feature*/pipeline.py"))
    catalog = yaml.safe_load((project / "conf" / "base" / "catalog.yml").read_text())
    raw = next(name for name, entry in catalog.items() if isinstance(entry, dict)
               and "/01_raw/" in f"/{entry.get('filepath', '')}")
    fit = re.compile(r'(Node\(\s*fit_\w+,\s*\[\s*)"(\w+)"')
    code = pipeline.read_text()
    if not fit.search(code):
        raise PictureError(f"{pipeline} has no `fit_...` node to move before the split: "
                           "update _fit_before_the_split in scripts/pictures.py")
    pipeline.write_text(fit.sub(rf'\1"{raw}"', code, count=1))


def _terminal_svg(text: str, out: Path, title: str) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(record=True, width=CHECK_WIDTH, file=io.StringIO(), color_system=None)
    console.print(Text(text))
    svg = console.export_svg(title=title)
    out.write_text(FONT_FACE.sub("", svg), encoding="utf-8")


@contextlib.contextmanager
def _static_site(folder: Path, preferences: dict) -> Iterator[str]:
    """Serves `folder` on 127.0.0.1, its index.html storing `preferences` as kedro-viz's
    saved settings before the app reads them."""
    setting = (f"<script>localStorage.setItem('KedroViz', "
               f"{json.dumps(json.dumps(preferences))});</script>")

    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map: ClassVar[dict[str, str]] = {
            **http.server.SimpleHTTPRequestHandler.extensions_map,
            ".js": "text/javascript; charset=utf-8"}

        def do_GET(self) -> None:
            if self.path.split("?")[0] not in ("/", "/index.html"):
                return super().do_GET()
            page = (folder / "index.html").read_text(encoding="utf-8")
            body = page.replace("<head>", f"<head>{setting}", 1).encode()
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the script prints one line a picture

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "images",
                        help="folder to write the pictures into (default: docs/images)")
    parser.add_argument("--project", type=Path,
                        help="a generated project to copy instead of generating one")
    args = parser.parse_args(argv)
    try:
        make_pictures(args.out, args.project)
    except (PictureError, AssertionError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
