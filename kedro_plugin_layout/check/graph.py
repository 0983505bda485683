"""The data-flow graph of a project: every stage's nodes, where each dataset lives, and
what each node does with what it reads.

The leakage rules walk it through `kedro_plugin_layout.check.provenance`; this module says
what the graph's parts are (docs/check.md, "What the leakage rules see"):

- **a split**: a node that reads no held-out data and writes held-out data next to data
  that is not held out: to the `eval`/`test` folders next to others, or outputs named for
  a held-out split (`X_test`, `y_val`) next to outputs named for training (`X_train`),
  wherever those are stored (`data/02_intermediate`, or in memory as in Kedro's
  spaceflights);
- **a split's parts**: a dataset in a `train`/`eval`/`test` folder, an output of a split
  named for its part, or an in-memory dataset named so;
- **a learner**: a node whose code learns from its inputs (`node_code`: a fit, statistics
  over rows that reach its outputs, scores of predictions), or a node tagged `fit` or
  `select`; a node tagged `no_fit` learns nothing, whatever its code;
- **a fit**: a learner that makes a model or a transformer: its code fits one, or it
  computes statistics (not scores) in a `training` stage; or it is tagged `fit`. A node
  whose code cannot be read is a fit when it sits in a `training` stage and is not the
  split;
- **model selection**: a node tagged `select`, a fit given eval data for early stopping
  (`eval_set=`), or a fit that scores candidates on data it does not fit on: it may read
  the eval split, never the test split.

What a node does with each input (fits on it, scores with it, or passes it on) and which
inputs each output derives from are read from its code too, when it says so (a function
that fits a scaler on `X_train` and returns `X_train` and `X_test` scaled): Kedro itself
says neither. Without that, every input is fitted on and every output derives from all.

A node reads a dataset from its own stage's producers when its stage produces it (a
stage runs alone), else from every stage that does: names shared by stages that never
run together do not connect them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from kedro_ml_starter.manifest import Manifest
from kedro_plugin_layout.kinds import DataRole, Learning, StageRole
from kedro_plugin_layout.project.records import Node, StagePipeline, Stored, dataset_base

FIT_TAG = "fit"
NO_FIT_TAG = "no_fit"
SELECT_TAG = "select"
SPLIT_ROLES = (DataRole.TRAIN, DataRole.EVAL, DataRole.TEST)
_NAMED = (
    (DataRole.TEST, re.compile(r"(?:^|[_.\-])(?:test|tst|holdout|heldout)(?:$|[_.\-])")),
    (DataRole.EVAL, re.compile(
        r"(?:^|[_.\-])(?:eval|evaluation|val|valid|validation)(?:$|[_.\-])")),
    (DataRole.TRAIN, re.compile(r"(?:^|[_.\-])(?:train|training|trn)(?:$|[_.\-])")),
)


class Use(StrEnum):
    """What a node does with one of its inputs (`Dataflow.input_use`)."""

    FIT = "fit"
    SCORE = "score"
    PASS = "pass"


@dataclass(frozen=True)
class Dataflow:
    """Nodes in stage order, where datasets live, and who writes and reads each dataset."""

    nodes: tuple[Node, ...]
    stored: Mapping[str, Stored]
    manifest: Manifest
    producers: Mapping[str, tuple[Node, ...]] = field(default_factory=dict)
    consumers: Mapping[str, tuple[Node, ...]] = field(default_factory=dict)
    # What each question below answered about each node: the provenance walk asks often.
    _answers: dict[tuple[str, int], bool] = field(default_factory=dict, compare=False,
                                                  repr=False)

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
        return self.stored.get(name) or self.stored.get(dataset_base(name)) or Stored(None)

    def role(self, node: Node) -> StageRole:
        return self.manifest.stage_role(node.stage)

    def produced_by(self, name: str) -> tuple[Node, ...]:
        """Every node of every stage that writes the dataset."""
        return self.producers.get(dataset_base(name), ())

    def read_from(self, node: Node, name: str) -> tuple[Node, ...]:
        """The nodes `node` reads `name` from: its own stage's, when its stage writes it."""
        every = self.produced_by(name)
        own = tuple(p for p in every if p.stage == node.stage)
        return own or every

    def part(self, name: str) -> DataRole | None:
        """Which part of a split a dataset holds: its folder's role, else (outside the
        split folders) its name when a split writes it or it lives in memory."""
        place = self.place(name)
        if place.role in SPLIT_ROLES:
            return DataRole(place.role)
        if place.location is not None and not any(self.is_split(p)
                                                  for p in self.produced_by(name)):
            return None
        return _named(name)

    def is_split(self, node: Node) -> bool:
        """Reads no held-out data; writes a held-out folder next to other data, or outputs
        named for a held-out part next to outputs named or stored for training."""
        return self._answer("is_split", node)

    def _is_split(self, node: Node) -> bool:
        for name in node.inputs:
            place = self.place(name)
            if place.held_out or (place.role != DataRole.RAW
                                  and _named(name) in (DataRole.EVAL, DataRole.TEST)):
                return False
        places = [self.place(name) for name in node.outputs]
        if any(p.held_out for p in places) and not all(p.held_out for p in places):
            return True
        parts = {DataRole(p.role) if p.role in SPLIT_ROLES else _named(name)
                 for name, p in zip(node.outputs, places)}
        return DataRole.TRAIN in parts and bool(parts & {DataRole.EVAL, DataRole.TEST})

    def is_fit(self, node: Node) -> bool:
        """Makes a model or a transformer (see the module doc)."""
        return self._answer("is_fit", node)

    def _is_fit(self, node: Node) -> bool:
        if NO_FIT_TAG in node.tags:
            return False
        if FIT_TAG in node.tags:
            return True
        code = node.code
        if code is None or not code.readable:
            return self.role(node) == StageRole.TRAINING and not self.is_split(node)
        if code.fits is not None:
            return True
        return (code.learns is not None and code.learns.kind == Learning.STATISTICS
                and code.scores is None and self.role(node) == StageRole.TRAINING
                and not self.is_split(node))

    def is_learner(self, node: Node) -> bool:
        """Whatever it writes is learned from the rows it reads."""
        return self._answer("is_learner", node)

    def _is_learner(self, node: Node) -> bool:
        if NO_FIT_TAG in node.tags:
            return False
        if FIT_TAG in node.tags or SELECT_TAG in node.tags or self.is_fit(node):
            return True
        return node.code is not None and node.code.learns is not None

    def selects(self, node: Node) -> bool:
        """Model selection: may read the eval split (never the test split)."""
        return self._answer("selects", node)

    def _selects(self, node: Node) -> bool:
        if SELECT_TAG in node.tags:
            return True
        code = node.code
        return code is not None and (code.early_stopping is not None
                                     or (code.fits is not None and code.scores is not None))

    def fitted_inputs(self, node: Node) -> frozenset[str] | None:
        """The inputs (base names) whose rows the node's code hands to a fit; None when
        that is not known (a tag decides, the code is not read, the inputs not bound)."""
        code = node.code
        if FIT_TAG in node.tags or code is None or code.fitted_on is None:
            return None
        return frozenset(dataset_base(name) for name in code.fitted_on)

    def input_use(self, node: Node, name: str) -> Use:
        """What the node's code does with an input: fits on it, scores with it (or hands
        it to a fit for validation), or only passes it on (applies a fitted transformer to
        it, selects columns). Without that knowledge, every input is fitted on."""
        fitted = self.fitted_inputs(node)
        base = dataset_base(name)
        if fitted is None or base in fitted:
            return Use.FIT
        code = node.code
        if code is not None and base in {dataset_base(n) for n in code.scored_on}:
            return Use.SCORE
        return Use.PASS

    def derives(self, node: Node, index: int, name: str) -> bool:
        """Whether the node's output number `index` derives from input `name` (always,
        unless its code returns a tuple whose element says otherwise)."""
        code = node.code
        shape = None if code is None else code.outputs_from
        if shape is None or len(shape) != len(node.outputs):
            return True
        return dataset_base(name) in {dataset_base(n) for n in shape[index]}

    def scores(self, node: Node) -> bool:
        """What it learns is a choice or a score (selection, evaluation), not a statistic."""
        return self.selects(node) or (node.code is not None and node.code.scores is not None)

    def _answer(self, question: str, node: Node) -> bool:
        key = (question, id(node))
        if key not in self._answers:
            self._answers[key] = getattr(self, f"_{question}")(node)
        return self._answers[key]


def _named(name: str) -> DataRole | None:
    base = dataset_base(name).lower().rsplit(".", 1)[-1]
    return next((role for role, words in _NAMED if words.search(base)), None)


__all__ = ["FIT_TAG", "NO_FIT_TAG", "SELECT_TAG", "SPLIT_ROLES", "Dataflow", "Use"]
