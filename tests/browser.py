"""Headless Chromium (Debian's `chromium` package) as a person's browser, for the tests and
for scripts/pictures.py: a page as it stands once its scripts have run, every request it
made, and screenshots.

Chromium runs as on a machine that reaches nothing but this one: every host name except
127.0.0.1 fails to resolve, so a page that needs a CDN is as blank here as behind a
firewall, wherever the tests run. It is not optional: without it the tests fail, saying how
to install it (`.ci/run` installs it).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

NAMES = ("chromium", "chromium-browser")
# As root in a container: no sandbox, no GPU; none of the browser's own traffic (updates,
# sync, account checks), which a closed network refuses noisily.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1")
# Virtual time: Chromium waits until the page's scripts and requests are idle, up to this.
SETTLE_MS = 10_000
# The elements that make a page load something, and the attribute naming it.
LOADING = {"script": "src", "img": "src", "source": "src", "iframe": "src", "embed": "src",
           "video": "src", "audio": "src", "object": "data"}
LOADING_LINKS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload",
                 "modulepreload", "manifest"}


def chromium() -> str:
    """The Chromium executable; fails (never skips) when there is none."""
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError("Chromium is not installed: `apt-get install chromium` (Debian's "
                         "package; .ci/run installs it before `make test`)")


@dataclass(frozen=True)
class Request:
    url: str
    status: int | None  # None: no answer (a host that does not resolve, a refused connection)


@dataclass(frozen=True)
class Page:
    url: str
    dom: str
    requests: tuple[Request, ...]  # every request the page made (not the browser's own)

    @property
    def origin(self) -> str:
        return origin(self.url)

    def assets(self) -> list[str]:
        """The absolute URL of everything the page's elements load: scripts, styles,
        images, icons."""
        parser = _Assets()
        parser.feed(self.dom)
        return [urljoin(self.url, reference) for reference in parser.references]

    def text(self) -> str:
        """The page's text as a person reads it (no scripts, no styles), nodes joined."""
        parser = _Text()
        parser.feed(self.dom)
        return "".join(parser.parts)


def load(url: str, workdir: Path, *, timeout: float = 120) -> Page:
    """Opens `url`, lets its scripts run, and returns its DOM and the requests it made."""
    workdir.mkdir(parents=True, exist_ok=True)
    net_log = workdir / "net-log.json"
    dom = _run(["--dump-dom", f"--virtual-time-budget={SETTLE_MS}",
                f"--log-net-log={net_log}", url], workdir, timeout).stdout
    return Page(url, dom, tuple(_page_requests(net_log, origin(url))))


def screenshot(url: str, out: Path, workdir: Path, *, width: int = 1280, height: int = 900,
               scale: float = 1, timeout: float = 120) -> Path:
    """A PNG of `url` at `width` x `height` CSS pixels (`scale` device pixels each), once
    its scripts have settled."""
    out.parent.mkdir(parents=True, exist_ok=True)
    workdir.mkdir(parents=True, exist_ok=True)
    _run([f"--screenshot={out.resolve()}", f"--window-size={width},{height}",
          f"--force-device-scale-factor={scale}", f"--virtual-time-budget={SETTLE_MS}", url],
         workdir, timeout)
    if not out.is_file():
        raise AssertionError(f"Chromium wrote no screenshot of {url}")
    return out


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _run(args: list[str], workdir: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    profile = workdir / "chromium-profile"  # a fresh profile each time: no cache, no state
    shutil.rmtree(profile, ignore_errors=True)
    result = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=timeout, check=False)
    if result.returncode != 0:
        raise AssertionError(f"chromium exited {result.returncode}\n{result.stderr[-3000:]}")
    return result


def _page_requests(net_log: Path, page_origin: str) -> list[Request]:
    """The requests of Chromium's net log made by the page: the navigation to it, and those
    whose initiator is its origin (a CDN script's would be too). The browser's own (updates,
    time checks) have no origin as initiator and are left out."""
    log = json.loads(net_log.read_text())
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    urls: dict[int, str] = {}
    statuses: dict[int, int] = {}
    for event in log["events"]:
        name, params = names.get(event["type"]), event.get("params") or {}
        source = event["source"]["id"]
        if name == "URL_REQUEST_START_JOB" and "url" in params and (
                params.get("initiator") == page_origin
                or params.get("request_type") == "main frame"):
            urls[source] = params["url"]
        elif name == "HTTP_TRANSACTION_READ_RESPONSE_HEADERS" and params.get("headers"):
            statuses[source] = int(params["headers"][0].split()[1])
    return [Request(url, statuses.get(source)) for source, url in urls.items()]


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.references: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link":
            rel = set((values.get("rel") or "").lower().split())
            reference = values.get("href") if rel & LOADING_LINKS else None
        else:
            reference = values.get(LOADING[tag]) if tag in LOADING else None
        if reference:
            self.references.append(reference)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)
