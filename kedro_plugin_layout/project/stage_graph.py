"""Which stage needs which: the dependencies between stages, read from their nodes.

Stage B depends on stage A when a node of B reads a dataset that a node of A writes and
that B does not write itself (a stage reading its own output depends on nobody). The
order `kedro layout init` writes is a topological order of these dependencies; ties go to
the number a folder already carries (`01_`, `p07_`, `stage3_`), then to the name. Guessing
an order from stage names instead made 50 false KL401 findings on real projects.

A cycle (A reads from B, B reads from A) has no order: `cycle_through` names the datasets
that form it, so a finding can say which node to move.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kedro_plugin_layout.project.records import Node, dataset_base

# A number leading a folder's name, after at most a short word: `03_x`, `p07_x`, `step2-x`.
_PREFIX = re.compile(r"^[A-Za-z]{0,6}(?P<number>\d+)[_\-]")


def prefix_number(folder: str) -> int | None:
    """The number a stage folder's name starts with (`p07_train` -> 7), or None."""
    match = _PREFIX.match(folder)
    return int(match["number"]) if match else None


def tie_break(folder: str) -> tuple[int, int, str]:
    """Stages the data does not order: numbered first, by number, then by name."""
    number = prefix_number(folder)
    return (0, number, folder) if number is not None else (1, 0, folder)


@dataclass(frozen=True)
class Edge:
    """Stage `downstream` reads `datasets`, which stage `upstream` writes."""

    upstream: str
    downstream: str
    datasets: tuple[str, ...]

    def says(self) -> str:
        names = ", ".join(f"`{name}`" for name in self.datasets[:3])
        more = f" and {len(self.datasets) - 3} more" if len(self.datasets) > 3 else ""
        return f"{self.downstream} reads {names}{more} from {self.upstream}"


@dataclass(frozen=True)
class StageOrder:
    """Stages in an order that runs each after those it reads from, and the cycles that
    made that impossible (each a list of edges, empty when the graph is acyclic)."""

    stages: tuple[str, ...]
    cycles: tuple[tuple[Edge, ...], ...] = ()


@dataclass(frozen=True)
class StageGraph:
    edges: Mapping[tuple[str, str], Edge]

    @classmethod
    def from_nodes(cls, nodes: Iterable[Node]) -> StageGraph:
        nodes = list(nodes)
        writers: dict[str, set[str]] = {}
        for node in nodes:
            for name in node.outputs:
                writers.setdefault(dataset_base(name), set()).add(node.stage)
        found: dict[tuple[str, str], set[str]] = {}
        for node in nodes:
            for name in node.inputs:
                stages = writers.get(dataset_base(name), set())
                if node.stage in stages:
                    continue  # the stage reads what it writes itself
                for upstream in stages:
                    found.setdefault((upstream, node.stage), set()).add(name)
        return cls({key: Edge(*key, tuple(sorted(names))) for key, names in found.items()})

    def upstream_of(self, stage: str) -> list[str]:
        return [a for (a, b) in self.edges if b == stage]

    def order(self, stages: Sequence[str]) -> StageOrder:
        """A topological order of `stages` (ties by `tie_break`). Stages on a cycle are
        placed by `tie_break` as if the edges that close the cycle were not there."""
        known = set(stages)
        needs = {stage: {a for a in self.upstream_of(stage) if a in known and a != stage}
                 for stage in stages}
        ready = [(tie_break(s), s) for s in stages if not needs[s]]
        heapq.heapify(ready)
        placed: list[str] = []
        while len(placed) < len(stages):
            if not ready:  # a cycle: release the first stage left, by tie_break
                left = min((s for s in stages if s not in placed), key=tie_break)
                needs[left] = set()
                heapq.heappush(ready, (tie_break(left), left))
            _, stage = heapq.heappop(ready)
            if stage in placed:
                continue
            placed.append(stage)
            for other in stages:
                if stage in needs[other]:
                    needs[other].discard(stage)
                    if not needs[other] and other not in placed:
                        heapq.heappush(ready, (tie_break(other), other))
        return StageOrder(tuple(placed), self.cycles(stages))

    def cycles(self, stages: Sequence[str]) -> tuple[tuple[Edge, ...], ...]:
        """One cycle per group of stages that depend on each other, shortest first."""
        out, covered = [], set()
        for stage in sorted(stages, key=tie_break):
            if stage in covered:
                continue
            cycle = self.path(stage, stage)
            if cycle:
                out.append(cycle)
                covered |= {edge.upstream for edge in cycle}
        return tuple(out)

    def cycle_through(self, upstream: str, downstream: str) -> tuple[Edge, ...] | None:
        """The cycle made by the edge `upstream -> downstream` and a way back, or None."""
        edge = self.edges.get((upstream, downstream))
        back = self.path(downstream, upstream)
        return (edge, *back) if edge is not None and back else None

    def path(self, start: str, goal: str) -> tuple[Edge, ...]:
        """The shortest chain of edges from `start` to `goal` (a cycle when they are the
        same stage), or () when there is none."""
        frontier: list[tuple[str, tuple[Edge, ...]]] = [(start, ())]
        seen = set()
        while frontier:
            following = []
            for stage, chain in frontier:
                for (a, b), edge in sorted(self.edges.items()):
                    if a != stage:
                        continue
                    if b == goal:
                        return (*chain, edge)
                    if b not in seen:
                        seen.add(b)
                        following.append((b, (*chain, edge)))
            frontier = following
        return ()


def describe_cycle(cycle: Sequence[Edge]) -> str:
    """`a reads `x` from b, b reads `y` from a`: what a person needs to break the cycle."""
    return "; ".join(edge.says() for edge in cycle)


__all__ = ["Edge", "StageGraph", "StageOrder", "describe_cycle", "prefix_number",
           "tie_break"]
