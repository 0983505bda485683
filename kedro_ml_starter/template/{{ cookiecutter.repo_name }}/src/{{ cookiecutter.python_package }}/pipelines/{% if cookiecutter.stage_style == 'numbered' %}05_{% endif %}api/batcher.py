"""Micro-batching: concurrent requests share one call of the model.

A model call on one row costs nearly as much as on a hundred, so under load the app
queues requests and scores whatever has arrived while the previous call was running, as
one frame, in a worker thread (the event loop keeps reading requests meanwhile). There is
no waiting window: a lone single-row request is scored at once, in the event loop itself,
because handing one row to a thread costs more than it saves. Latency at low load is that
of a direct call.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

Rows = Sequence[dict[str, Any]]
Scorer = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


class BatcherStopped(RuntimeError):
    """Raised to a caller whose job was not scored because the batcher stopped."""


@dataclass
class _Job:
    rows: Rows
    future: asyncio.Future = field(repr=False)


class MicroBatcher:
    """Feeds queued jobs to `score` in groups of at most `max_rows` rows.

    `score` takes a list of rows and returns one result per row, in order. Calls never
    overlap: a batch is scored before the next one is formed.
    """

    def __init__(self, score: Scorer, max_rows: int) -> None:
        if max_rows < 1:
            raise ValueError(f"max_rows must be at least 1, got {max_rows}")
        self._score = score
        self._max_rows = max_rows
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._held: _Job | None = None
        self._in_flight: list[_Job] = []
        self._task: asyncio.Task | None = None
        self._executor: ThreadPoolExecutor | None = None

    async def start(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scoring")
        self._task = asyncio.create_task(self._serve(), name="micro-batcher")

    async def stop(self) -> None:
        """Stops taking jobs; anything still queued fails instead of hanging."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        pending = [*self._in_flight, *([self._held] if self._held else [])]
        while not self._queue.empty():
            pending.append(self._queue.get_nowait())
        for job in pending:
            _settle(job, error=BatcherStopped("the server is shutting down"))
        self._in_flight, self._held = [], None
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    async def submit(self, rows: Rows) -> list[dict[str, Any]]:
        """Scores `rows` (at most `max_rows` of them) together with whatever else is queued."""
        if self._task is None:
            raise BatcherStopped("the server is not accepting predictions")
        if not 1 <= len(rows) <= self._max_rows:
            raise ValueError(f"a job holds 1 to {self._max_rows} rows, got {len(rows)}")
        job = _Job(rows, asyncio.get_running_loop().create_future())
        self._queue.put_nowait(job)
        return await job.future

    async def _serve(self) -> None:
        while True:
            self._in_flight = await self._next_batch()
            await self._run(self._in_flight)
            self._in_flight = []

    async def _next_batch(self) -> list[_Job]:
        if self._held is not None:
            first, self._held = self._held, None
        else:
            first = await self._queue.get()
        jobs, size = [first], len(first.rows)
        while not self._queue.empty():
            job = self._queue.get_nowait()
            if size + len(job.rows) > self._max_rows:
                self._held = job
                break
            jobs.append(job)
            size += len(job.rows)
        return [job for job in jobs if not job.future.done()]

    async def _run(self, jobs: list[_Job]) -> None:
        if not jobs:
            return
        try:
            results = await self._call([row for job in jobs for row in job.rows])
        except Exception as error:  # noqa: BLE001 - handed to the callers, never raised here
            if len(jobs) == 1:
                _settle(jobs[0], error=error)
            else:
                for job in jobs:  # score alone, so one bad job does not fail its neighbours
                    await self._run([job])
            return
        start = 0
        for job in jobs:
            end = start + len(job.rows)
            _settle(job, result=results[start:end])
            start = end

    async def _call(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        await asyncio.sleep(0)  # requests that already arrived get queued, for the next batch
        if len(rows) == 1 and self._queue.empty() and self._held is None:
            results = self._score(rows)
        else:
            loop = asyncio.get_running_loop()
            results = await loop.run_in_executor(self._executor, self._score, rows)
        if len(results) != len(rows):
            raise RuntimeError(f"scorer returned {len(results)} results for {len(rows)} rows")
        return results


def _settle(job: _Job, *, result: Any = None, error: BaseException | None = None) -> None:
    if job.future.done():  # the caller went away (client disconnected)
        return
    if error is not None:
        job.future.set_exception(error)
    else:
        job.future.set_result(result)
