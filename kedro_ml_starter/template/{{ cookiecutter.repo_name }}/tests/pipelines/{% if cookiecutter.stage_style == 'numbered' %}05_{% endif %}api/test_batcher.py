"""The micro-batcher: callers share model calls, and get their own results back."""

from __future__ import annotations

import asyncio
import threading

import pytest

from tests.helpers import stage_module

batcher = stage_module("serving", "batcher")


class RecordingScorer:
    """Doubles each row's `x`; records the size of every call; fails on a row with `bad`."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.release = threading.Event()

    def __call__(self, rows: list[dict]) -> list[dict]:
        self.release.wait(timeout=10)
        self.calls.append(len(rows))
        if any(row.get("bad") for row in rows):
            raise ValueError("cannot score a bad row")
        return [{"y": row["x"] * 2} for row in rows]


async def _submit_while_busy(scorer: RecordingScorer, jobs: list[list[dict]], max_rows: int):
    """Submits every job while the scorer is held, then lets it run; returns the outcomes."""
    micro = batcher.MicroBatcher(scorer, max_rows=max_rows)
    await micro.start()
    tasks = [asyncio.create_task(micro.submit(rows)) for rows in jobs]
    await asyncio.sleep(0)
    scorer.release.set()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    await micro.stop()
    return outcomes


def test_concurrent_jobs_share_calls_and_each_gets_its_own_results():
    scorer = RecordingScorer()
    jobs = [[{"x": i}] for i in range(20)] + [[{"x": 100}, {"x": 101}]]

    outcomes = asyncio.run(_submit_while_busy(scorer, jobs, max_rows=8))

    assert outcomes == [[{"y": 2 * i}] for i in range(20)] + [[{"y": 200}, {"y": 202}]]
    assert sum(scorer.calls) == 22
    assert len(scorer.calls) < len(jobs)
    assert max(scorer.calls) <= 8


def test_a_failing_job_fails_only_its_own_caller():
    scorer = RecordingScorer()
    jobs = [[{"x": 1}], [{"x": 2, "bad": True}], [{"x": 3}]]

    outcomes = asyncio.run(_submit_while_busy(scorer, jobs, max_rows=8))

    assert outcomes[0] == [{"y": 2}] and outcomes[2] == [{"y": 6}]
    assert isinstance(outcomes[1], ValueError)


def test_stopping_fails_waiting_jobs_instead_of_leaving_them_hanging():
    async def scenario():
        scorer = RecordingScorer()
        micro = batcher.MicroBatcher(scorer, max_rows=4)
        await micro.start()
        waiting = asyncio.create_task(micro.submit([{"x": 1}, {"x": 2}]))  # a thread's job
        await asyncio.sleep(0)
        stopping = asyncio.create_task(micro.stop())
        await asyncio.sleep(0)
        scorer.release.set()
        await stopping
        return await asyncio.gather(waiting, return_exceptions=True)

    [outcome] = asyncio.run(scenario())
    assert isinstance(outcome, batcher.BatcherStopped)


def test_a_job_larger_than_a_call_is_refused():
    async def scenario():
        micro = batcher.MicroBatcher(lambda rows: rows, max_rows=2)
        await micro.start()
        try:
            await micro.submit([{}, {}, {}])
        finally:
            await micro.stop()

    with pytest.raises(ValueError, match="a job holds 1 to 2 rows, got 3"):
        asyncio.run(scenario())
