"""Per-node progress and timing, so a person can follow a long run.

One line per finished node, with its share of the time spent loading inputs, running and
saving outputs (I/O and compute are what to look at when a run is slow), then a total:

    [ 3/10] split_data    1.9s   load 0.8s · run 0.7s · save 0.4s   elapsed 4.1s   peak 612 MiB
    done: 10 nodes in 31.2s; slowest train_model 20.1s (64%); peak 1.1 GiB

Quiet by default where nobody watches: when stdout is not a terminal, or when `CI` is set.
`PIPELINE_PROGRESS=1` forces it on (e.g. a long run with its output sent to a file),
`PIPELINE_PROGRESS=0` forces it off. Counts assume one process (the default
`SequentialRunner`, or `ThreadRunner`); `ParallelRunner` runs nodes in other processes,
which report nothing here. Lines are written with rich (which Kedro already uses): styled
at a terminal, plain text in a file, never wrapped.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kedro.framework.hooks import hook_impl
from rich.console import Console
from rich.text import Text

try:
    import resource
except ImportError:  # Windows: no peak memory figure, the rest works
    resource = None  # type: ignore[assignment]

ENV_VAR = "PIPELINE_PROGRESS"
_ON = {"1", "true", "yes", "on"}
_OFF = {"0", "false", "no", "off"}

logger = logging.getLogger(__name__)


def progress_enabled(environ: Mapping[str, str] = os.environ, stream: Any = None) -> bool:
    """On if forced by PIPELINE_PROGRESS, else only for a terminal outside CI."""
    setting = environ.get(ENV_VAR, "").strip().lower()
    if setting in _ON:
        return True
    if setting in _OFF:
        return False
    if setting:
        logger.warning(
            "%s=%r is not one of 1/0, true/false, on/off: ignored", ENV_VAR, environ[ENV_VAR]
        )
    if environ.get("CI", "").strip().lower() not in {"", *_OFF}:
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def format_seconds(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m{rest:02d}s"


def peak_memory() -> str:
    """This process's peak resident memory so far, or '' where the OS does not say."""
    if resource is None:
        return ""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_bytes = peak if sys.platform == "darwin" else peak * 1024
    if peak_bytes >= 1024**3:
        return f"{peak_bytes / 1024**3:.1f} GiB"
    return f"{peak_bytes / 1024**2:.0f} MiB"


@dataclass
class _NodeClock:
    started: float
    computing: float | None = None
    computed: float | None = None
    saves_left: int = 0


@dataclass
class _RunState:
    total: int
    width: int
    started: float = field(default_factory=time.perf_counter)
    finished: int = 0
    clocks: dict[str, _NodeClock] = field(default_factory=dict)
    durations: dict[str, float] = field(default_factory=dict)


class ProgressHooks:
    """Kedro hooks printing a line per finished node and a total at the end of a run.

    `enabled` overrides `progress_enabled()`; `console` is a `rich.console.Console`
    (default: one on stdout).
    """

    def __init__(self, enabled: bool | None = None, console: Console | None = None) -> None:
        self._enabled = enabled
        self._console = console
        self._run: _RunState | None = None
        self._lock = threading.Lock()

    @hook_impl
    def before_pipeline_run(self, run_params: dict[str, Any], pipeline: Any) -> None:
        on = self._enabled if self._enabled is not None else progress_enabled()
        nodes = pipeline.nodes
        width = max((len(node.name) for node in nodes), default=0)
        self._run = _RunState(total=len(nodes), width=width) if on else None

    @hook_impl
    def before_dataset_loaded(self, dataset_name: str, node: Any) -> None:
        self._clock(node)

    @hook_impl
    def before_node_run(self, node: Any) -> None:
        clock = self._clock(node)
        if clock is not None:
            clock.computing = time.perf_counter()

    @hook_impl
    def after_node_run(self, node: Any) -> None:
        clock = self._clock(node)
        if clock is None:
            return
        clock.computed = time.perf_counter()
        clock.saves_left = len(node.outputs)
        if clock.saves_left == 0:
            self._finish(node)

    @hook_impl
    def after_dataset_saved(self, dataset_name: str, node: Any) -> None:
        clock = self._clock(node)
        if clock is None or clock.computed is None:
            return
        clock.saves_left -= 1
        if clock.saves_left <= 0:
            self._finish(node)

    @hook_impl
    def on_node_error(self, error: Exception, node: Any) -> None:
        run, clock = self._run, self._clock(node)
        if run is None or clock is None:
            return
        spent = format_seconds(time.perf_counter() - clock.started)
        counter = _counter(run.finished + 1, run.total)
        self._print(f"{counter} {node.name} failed after {spent}", style="red")

    @hook_impl
    def after_pipeline_run(self) -> None:
        run = self._run
        if run is None:
            return
        elapsed = time.perf_counter() - run.started
        summary = f"done: {run.finished} nodes in {format_seconds(elapsed)}"
        if run.durations:
            name, slowest = max(run.durations.items(), key=lambda item: item[1])
            share = f" ({slowest / elapsed:.0%})" if elapsed > 0 else ""
            summary += f"; slowest {name} {format_seconds(slowest)}{share}"
        memory = peak_memory()
        self._print(summary + (f"; peak {memory}" if memory else ""), style="bold")
        self._run = None

    @hook_impl
    def on_pipeline_error(self) -> None:
        run = self._run
        if run is not None:
            elapsed = format_seconds(time.perf_counter() - run.started)
            self._print(f"stopped: {run.finished} of {run.total} nodes done in {elapsed}")
        self._run = None

    def _clock(self, node: Any) -> _NodeClock | None:
        run = self._run
        if run is None:
            return None
        with self._lock:
            return run.clocks.setdefault(node.name, _NodeClock(started=time.perf_counter()))

    def _finish(self, node: Any) -> None:
        run = self._run
        if run is None:
            return
        with self._lock:
            clock = run.clocks.pop(node.name)
            run.finished += 1
            done = run.finished
        now = time.perf_counter()
        spent = now - clock.started
        run.durations[node.name] = spent
        computing = clock.computing if clock.computing is not None else clock.started
        computed = clock.computed if clock.computed is not None else now
        line = (
            f"{_counter(done, run.total)} {node.name:<{run.width}} {format_seconds(spent):>6}"
            f"   load {format_seconds(computing - clock.started)}"
            f" · run {format_seconds(computed - computing)}"
            f" · save {format_seconds(now - computed)}"
            f"   elapsed {format_seconds(now - run.started)}"
        )
        memory = peak_memory()
        self._print(line + (f"   peak {memory}" if memory else ""))

    def _print(self, line: str, style: str | None = None) -> None:
        if self._console is None:  # made on first use: sys.stdout may have been replaced
            self._console = Console(file=sys.stdout, highlight=False)
        # Text, not markup: `[3/10]` is not a style. No wrapping, whatever the width.
        self._console.print(Text(line, style=style or ""), soft_wrap=True, crop=False)


def _counter(done: int, total: int) -> str:
    return f"[{done:>{len(str(total))}}/{total}]"
