"""The progress hooks: a line per node and a total when asked, silence otherwise."""

from __future__ import annotations

import io
import logging
import re

import pytest
from kedro.framework.hooks import _create_hook_manager
from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Node, Pipeline
from kedro.runner import SequentialRunner
from rich.console import Console

from kedro_ml_starter.runtime.progress import (
    ProgressHooks,
    format_seconds,
    progress_enabled,
)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _double(numbers: list[int]) -> list[int]:
    return [2 * n for n in numbers]


def _total(numbers: list[int]) -> int:
    return sum(numbers)


def _fail(numbers: list[int]) -> int:
    raise RuntimeError("boom")


def _run(hooks: ProgressHooks, nodes: list[Node]) -> None:
    """Runs nodes the way `kedro run` does: pipeline hooks around a runner with node hooks."""
    manager = _create_hook_manager()
    manager.register(hooks)
    pipeline = Pipeline(nodes)
    catalog = DataCatalog({"numbers": MemoryDataset([1, 2, 3])})
    params = {"run_id": "test", "runtime_params": {}}
    manager.hook.before_pipeline_run(run_params=params, pipeline=pipeline, catalog=catalog)
    try:
        SequentialRunner().run(pipeline, catalog, manager)
    except RuntimeError as error:
        manager.hook.on_pipeline_error(
            error=error, run_params=params, pipeline=pipeline, catalog=catalog
        )
        return
    manager.hook.after_pipeline_run(
        run_params=params, run_result={}, pipeline=pipeline, catalog=catalog
    )


def _progress_lines(out: str) -> list[str]:
    """Our lines only: Kedro's own log lines share stdout."""
    return [line for line in out.splitlines() if _OURS.match(line)]


_OURS = re.compile(r"^(\[ *\d+/\d+\] |done: |stopped: )")

TWO_NODES = [
    Node(_double, "numbers", "doubled", name="double"),
    Node(_total, "doubled", "total", name="total"),
]


def test_each_node_gets_a_numbered_timed_line_and_the_run_a_total(capsys):
    _run(ProgressHooks(enabled=True), TWO_NODES)
    lines = _progress_lines(capsys.readouterr().out)
    assert [line.split()[:2] for line in lines[:2]] == [["[1/2]", "double"], ["[2/2]", "total"]]
    for line in lines[:2]:
        assert "load " in line and "run " in line and "save " in line and "elapsed " in line
    assert lines[2].startswith("done: 2 nodes in ")
    assert "slowest " in lines[2]


def test_switched_off_it_prints_nothing(capsys):
    _run(ProgressHooks(enabled=False), TWO_NODES)
    assert _progress_lines(capsys.readouterr().out) == []


def test_a_failing_node_is_named_with_how_far_the_run_got(capsys):
    _run(ProgressHooks(enabled=True), [*TWO_NODES[:1], Node(_fail, "doubled", "x", name="fail")])
    lines = _progress_lines(capsys.readouterr().out)
    assert lines[0].split()[:2] == ["[1/2]", "double"]
    assert lines[1].startswith("[2/2] fail failed after ")
    assert lines[2].startswith("stopped: 1 of 2 nodes done in ")


@pytest.mark.parametrize(
    ("environ", "stream", "expected"),
    [
        ({}, _Terminal(), True),
        ({}, io.StringIO(), False),
        ({"CI": "true"}, _Terminal(), False),
        ({"CI": "false"}, _Terminal(), True),
        ({"PIPELINE_PROGRESS": "1", "CI": "true"}, io.StringIO(), True),
        ({"PIPELINE_PROGRESS": "off"}, _Terminal(), False),
    ],
)
def test_on_for_a_person_at_a_terminal_off_in_ci_unless_forced(environ, stream, expected):
    assert progress_enabled(environ, stream) is expected


def test_an_unknown_setting_is_named_and_ignored(caplog):
    with caplog.at_level(logging.WARNING):
        assert progress_enabled({"PIPELINE_PROGRESS": "maybe"}, _Terminal()) is True
    assert "PIPELINE_PROGRESS='maybe' is not one of" in caplog.text


def test_lines_are_plain_text_in_a_file_and_never_wrapped():
    out = io.StringIO()
    console = Console(file=out, width=20)  # narrower than any line
    _run(ProgressHooks(enabled=True, console=console), TWO_NODES)
    lines = _progress_lines(out.getvalue())
    assert len(lines) == 3 and "\x1b[" not in out.getvalue()
    assert lines[0].startswith("[1/2] double") and "elapsed " in lines[0]


def test_at_a_terminal_lines_are_styled():
    out = _Terminal()
    console = Console(file=out, force_terminal=True, color_system="standard")
    _run(ProgressHooks(enabled=True, console=console), TWO_NODES)
    assert "\x1b[1m" in out.getvalue()  # the total is bold


def test_durations_read_as_seconds_then_minutes():
    assert format_seconds(2.44) == "2.4s"
    assert format_seconds(185) == "3m05s"
