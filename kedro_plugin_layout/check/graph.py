"""The data-flow graph of a project: every stage's nodes, and where each dataset lives.

The leakage rules ask it one question each: which data of a split (or of the rows before
the split) can reach a node. Kedro does not say which output of a node depends on which
input, so every output of a node counts as derived from every input.

Vocabulary (docs/check.md, "What the leakage rules see"):
- held-out data: datasets stored in a data folder whose role is `eval` or `test`;
- a split node: one that reads no held-out data and writes held-out data next to data
  that is not held out (`split_data -> train, eval, test`); a split that never touches
  the data folders (Kedro's spaceflights) is recognised by its in-memory outputs' names:
  one named for a held-out split (`X_test`, `y_val`) next to one named for training
  (`X_train`);
- the rows before the split: the split nodes' inputs and everything upstream of them;
  in a project without a split node, the datasets of the `raw` data folders;
- a fit: a node tagged `fit`, or a node of a `training` stage that is not a split node;
- model selection: a node tagged `select` (hyper-parameter search, early stopping,
  threshold tuning, choosing a model); it may read the eval split, never the test split.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from kedro_ml_starter.manifest import Manifest
from kedro_plugin_layout.kinds import DataRole, StageRole
from kedro_plugin_layout.project.records import (
    MODEL_ROLE,
    Node,
    StagePipeline,
    Stored,
    dataset_base,
)

FIT_TAG = "fit"
SELECT_TAG = "select"
_HELD_OUT_NAME = re.compile(
    r"(?:^|[_.\-])(?:test|tst|eval|evaluation|val|valid|validation|holdout|heldout)(?:$|[_.\-])"
)
_TRAIN_NAME = re.compile(r"(?:^|[_.\-])(?:train|training|trn)(?:$|[_.\-])")


@dataclass(frozen=True)
class Reach:
    """A path of dataset names from a node's input up to the dataset found (last)."""

    path: tuple[str, ...]

    @property
    def found(self) -> str:
        return self.path[-1]

    def how(self) -> str:
        """`reads it directly`, or `reads it through a <- b <- c`."""
        if len(self.path) == 1:
            return "reads it directly"
        return f"reads it through {' <- '.join(self.path)}"


@dataclass(frozen=True)
class Dataflow:
    """Nodes in stage order, where datasets live, and who writes and reads each dataset."""

    nodes: tuple[Node, ...]
    stored: Mapping[str, Stored]
    manifest: Manifest
    producers: Mapping[str, tuple[Node, ...]] = field(default_factory=dict)
    consumers: Mapping[str, tuple[Node, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, pipelines: Mapping[str, StagePipeline], stored: Mapping[str, Stored],
              manifest: Manifest) -> Dataflow:
        nodes = tuple(node for stage in pipelines.values() for node in stage.nodes)
        producers: dict[str, list[Node]] = {}
        consumers: dict[str, list[Node]] = {}
        for node in nodes:
            for name in node.outputs:
                producers.setdefault(dataset_base(name), []).append(node)
            for name in node.inputs:
                consumers.setdefault(dataset_base(name), []).append(node)
        return cls(nodes, stored, manifest,
                   {k: tuple(v) for k, v in producers.items()},
                   {k: tuple(v) for k, v in consumers.items()})

    # -- what a dataset and a node are ------------------------------------------------------

    def place(self, name: str) -> Stored:
        return self.stored.get(name) or Stored(None)

    def role(self, node: Node) -> StageRole:
        return self.manifest.stage_role(node.stage)

    def produced_by(self, name: str) -> tuple[Node, ...]:
        return self.producers.get(dataset_base(name), ())

    def is_split(self, node: Node) -> bool:
        """Reads no held-out data; writes to a held-out folder next to other data, or, in
        memory, outputs named for a held-out split next to outputs named for training."""
        if any(self.place(name).held_out for name in node.inputs):
            return False
        places = [self.place(name) for name in node.outputs]
        if any(p.held_out for p in places) and not all(p.held_out for p in places):
            return True
        return (any(self._named(name, _HELD_OUT_NAME) for name in node.outputs)
                and any(place.role == DataRole.TRAIN or self._named(name, _TRAIN_NAME)
                        for name, place in zip(node.outputs, places)))

    def _named(self, name: str, words: re.Pattern[str]) -> bool:
        """An output outside the layout folders whose name says which split it is."""
        return self.place(name).folder is None and bool(words.search(dataset_base(name).lower()))

    def _held_out_output(self, name: str) -> bool:
        return self.place(name).held_out or self._named(name, _HELD_OUT_NAME)

    def is_fit(self, node: Node) -> bool:
        """Tagged `fit`, or in a training stage without being the split."""
        if FIT_TAG in node.tags:
            return True
        return self.role(node) == StageRole.TRAINING and not self.is_split(node)

    def fits(self) -> Iterator[Node]:
        return (node for node in self.nodes if self.is_fit(node))

    @staticmethod
    def selects(node: Node) -> bool:
        return SELECT_TAG in node.tags

    # -- walks ---------------------------------------------------------------------------

    def held_out_ancestor(self, node: Node, roles: Iterable[DataRole]) -> Reach | None:
        """The first dataset of a held-out role among everything `node` depends on.
        Beyond a node tagged `select` (and for a `select` node itself), the eval split is
        model selection, not leakage: only the test split counts there."""
        wanted = frozenset(roles)
        after_select = wanted - {DataRole.EVAL}
        start = after_select if self.selects(node) else wanted
        queue: deque[tuple[str, tuple[str, ...], frozenset[DataRole]]] = deque(
            (name, (name,), start) for name in node.inputs)
        seen: set[tuple[str, frozenset[DataRole]]] = set()
        while queue:
            name, path, looking = queue.popleft()
            if (name, looking) in seen:
                continue
            seen.add((name, looking))
            if self.place(name).role in looking:
                return Reach(path)
            for producer in self.produced_by(name):
                onward = after_select if self.selects(producer) else looking
                queue.extend((parent, (*path, parent), onward) for parent in producer.inputs)
        return None

    def before_split(self) -> frozenset[str]:
        """The datasets that still hold every row: upstream of the split (see module doc)."""
        splits = [node for node in self.nodes if self.is_split(node)]
        if not splits:
            return frozenset(name for name, place in self.stored.items()
                             if place.role == DataRole.RAW)
        found: set[str] = set()
        queue = deque(name for node in splits for name in node.inputs)
        while queue:
            name = queue.popleft()
            if name in found:
                continue
            found.add(name)
            for producer in self.produced_by(name):
                queue.extend(producer.inputs)
        return frozenset(found)

    def rows_read(self, node: Node, before_split: frozenset[str]) -> tuple[Reach | None, bool]:
        """(a path to rows from before the split, whether train rows are read too)."""
        unsplit: Reach | None = None
        train = False
        queue: deque[tuple[str, tuple[str, ...]]] = deque((name, (name,)) for name in node.inputs)
        seen: set[str] = set()
        while queue:
            name, path = queue.popleft()
            if name in seen:
                continue
            seen.add(name)
            side = self._side(name)
            if side == "train":
                train = True
                continue
            if side == "stop":
                continue
            if name in before_split:
                unsplit = unsplit or Reach(path)
                continue
            for producer in self.produced_by(name):
                queue.extend((parent, (*path, parent)) for parent in producer.inputs)
        return unsplit, train

    def _side(self, name: str) -> str:
        """`train` for train rows, `stop` for data whose own fit is judged elsewhere (held
        out, models, the held-out output of a split), "" to keep walking."""
        place = self.place(name)
        if place.role == DataRole.TRAIN:
            return "train"
        if place.held_out or place.role == MODEL_ROLE:
            return "stop"
        for producer in self.produced_by(name):
            if self.is_split(producer):
                return "stop" if self._held_out_output(name) else "train"
        return ""

    def test_derived(self) -> dict[str, Node]:
        """Every dataset derived from the test split, with the node that wrote it."""
        out: dict[str, Node] = {}
        queue = deque(name for name, place in self.stored.items()
                      if place.role == DataRole.TEST)
        seen: set[str] = set()
        while queue:
            name = queue.popleft()
            if dataset_base(name) in seen:
                continue
            seen.add(dataset_base(name))
            for consumer in self.consumers.get(dataset_base(name), ()):
                for output in consumer.outputs:
                    out.setdefault(output, consumer)
                    queue.append(output)
        return out


__all__ = ["FIT_TAG", "SELECT_TAG", "Dataflow", "Reach"]
