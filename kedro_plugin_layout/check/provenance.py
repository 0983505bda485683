"""Where the rows in each dataset come from, and what was learned from which rows.

Split membership travels with the data, through memory and storage alike: a dataset
carries the rows it holds (of the train, eval or test part, or from before the split)
and the rows the values in it were learned from (a statistic, a fitted transformer, a
model, a chosen threshold). The folder a dataset is written to never launders it: medians
of every row, stored in `models/` or as features in `02_train/`, still carry the eval
and test rows.

Propagation, node by node to a fixed point (each item keeps the shortest path found):

- a dataset no node writes holds its part's rows (its folder, or its in-memory name), or,
  upstream of a split, the rows from before the split; otherwise nothing (reference data,
  new rows to score, configuration);
- a split's part holds that part's rows, and so does anything stored in an eval or test
  folder, whoever writes it;
- a node that learns (`graph.Dataflow.is_learner`) turns the rows it reads into values
  learned from them (scores and choices when it scores or selects); a fit, into values
  learned from the rows it fits on and choices made with the rows it scores, while rows
  it only passes on (the test split it transforms) stay rows; any other node passes on
  what it reads. Each output carries only what its code derives it from, when the code
  says (`graph.Dataflow.derives`). A node that selects a model turns what it takes from
  the eval split into a choice, which is what eval is for.

Then each node that makes a model or a transformer (a fit: on what it fits on), serves
predictions, or is tagged `select`, and each model artifact kept in the models folder, is
judged on what reaches it (`Leak`). What a fit only scores with is judged where the choice
it makes is used or kept, not at the fit. A leak that a fit already took in is that fit's
finding: one finding per cause, at the node where the leaked rows or values enter a model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from kedro_plugin_layout.check.graph import SELECT_TAG, SPLIT_ROLES, Dataflow, Use
from kedro_plugin_layout.kinds import DataRole, StageRole
from kedro_plugin_layout.project.catalog import FactoryPatterns
from kedro_plugin_layout.project.records import (
    MODEL_ROLE,
    CatalogEntry,
    Evidence,
    Location,
    Node,
    dataset_base,
)

BEFORE_SPLIT = "before the split"
# Catalog types that hold a model or a chosen object, not a record of numbers or a figure.
_ARTIFACT_TYPE = re.compile(r"pickle|joblib|onnx|model|torch|keras|tensorflow|xgboost|"
                            r"lightgbm|catboost|cloudpickle|dill", re.IGNORECASE)
_PART_WORDS: dict[str, str] = {DataRole.TRAIN: "train", DataRole.EVAL: "eval",
                               DataRole.TEST: "test"}


class Carried(StrEnum):
    """How a dataset holds a population of rows."""

    ROWS = "rows"        # the rows themselves, or values computed row by row
    LEARNED = "learned"  # values learned from the rows: statistics, transformers, models
    CHOSEN = "chosen"    # scores and choices made on the rows: metrics, thresholds, models


Item = tuple[str, Carried]  # (population: a DataRole of a part, or BEFORE_SPLIT; how)


@dataclass(frozen=True)
class Trace:
    """How an item reached a dataset: the dataset it started in (None for a split's
    part), then each node that carried it on and the dataset that node wrote. `learned`
    is the index of the hop whose node learned it (None while it is rows)."""

    start: str | None
    hops: tuple[tuple[Node, str], ...] = ()
    learned: int | None = None
    judged: bool = False  # a fit took it in what it fits on: that fit's finding, if any

    def then(self, node: Node, output: str, learns: bool = False,
             judged: bool = False) -> Trace:
        learned = len(self.hops) if learns and self.learned is None else self.learned
        return Trace(self.start, (*self.hops, (node, output)), learned,
                     self.judged or judged)

    @property
    def learner(self) -> Node | None:
        return None if self.learned is None else self.hops[self.learned][0]


@dataclass(frozen=True)
class Step:
    """One stop on a leak's path, for related locations: what it is, and where."""

    message: str
    location: Location | None


@dataclass(frozen=True)
class Leak:
    """Rows or values of a population that reach a node that must not see them, and how
    the node uses them (`fits on`, `selects with`, `serves predictions with`, ...)."""

    rule: str
    node: Node
    population: str
    carried: Carried
    trace: Trace
    use: str = "fits on"


class Provenance:
    """Every dataset's populations, and the leaks they cause (`leaks`)."""

    def __init__(self, dataflow: Dataflow, datasets: Mapping[str, CatalogEntry]) -> None:
        self.dataflow = dataflow
        self.datasets = datasets
        self._index = {id(node): i for i, node in enumerate(dataflow.nodes)}
        self._sources = self._source_items()
        self._out: dict[tuple[int, str], dict[Item, Trace]] = {}
        self._patterns: FactoryPatterns | None = None
        self._propagate()
        self.leaks: tuple[Leak, ...] = tuple(self._judge())

    # -- where rows start ------------------------------------------------------------------

    def _source_items(self) -> dict[str, dict[Item, Trace]]:
        flow = self.dataflow
        before = self._before_split()
        items: dict[str, dict[Item, Trace]] = {}
        for node in flow.nodes:
            for name in node.inputs:
                base = dataset_base(name)
                if flow.produced_by(name) or base in items:
                    continue
                part = flow.part(name)
                if part in SPLIT_ROLES:
                    items[base] = {(str(part), Carried.ROWS): Trace(name)}
                elif base in before:
                    items[base] = {(BEFORE_SPLIT, Carried.ROWS): Trace(name)}
                else:
                    items[base] = {}
        return items

    def _before_split(self) -> set[str]:
        """The datasets no node writes that a split reads, directly or through others."""
        flow = self.dataflow
        found: set[str] = set()
        seen: set[str] = set()
        queue = [name for node in flow.nodes if flow.is_split(node) for name in node.inputs]
        while queue:
            name = dataset_base(queue.pop())
            if name in seen:
                continue
            seen.add(name)
            producers = flow.produced_by(name)
            if not producers and flow.part(name) is None:
                found.add(name)
            queue.extend(parent for producer in producers for parent in producer.inputs)
        return found

    # -- how they travel ---------------------------------------------------------------------

    def _propagate(self) -> None:
        flow = self.dataflow
        for _ in range(len(flow.nodes) + 2):
            changed = False
            for i, node in enumerate(flow.nodes):
                reading = self.reading(node)
                for index, output in enumerate(node.outputs):
                    slot = self._out.setdefault((i, dataset_base(output)), {})
                    for item, trace in self._transfer(node, reading, index).items():
                        changed |= _keep(slot, item, trace)
            if not changed:
                return

    def reading(self, node: Node) -> list[tuple[str, Use, dict[Item, Trace]]]:
        """Each input of `node`, what the node does with it, and what it holds."""
        return [(name, self.dataflow.input_use(node, name), self.held(node, name))
                for name in node.inputs]

    def arriving(self, node: Node) -> dict[Item, Trace]:
        """Every item in the datasets `node` reads, with the shortest path to each."""
        merged: dict[Item, Trace] = {}
        for _, _, items in self.reading(node):
            for item, trace in items.items():
                _keep(merged, item, trace)
        return merged

    def held(self, reader: Node, name: str) -> dict[Item, Trace]:
        """What dataset `name` holds as `reader` reads it."""
        producers = self.dataflow.read_from(reader, name)
        if not producers:
            return self._sources.get(dataset_base(name), {})
        merged: dict[Item, Trace] = {}
        for producer in producers:
            for item, trace in self._out.get((self._index[id(producer)],
                                              dataset_base(name)), {}).items():
                _keep(merged, item, trace)
        return merged

    def _transfer(self, node: Node, reading: list[tuple[str, Use, dict[Item, Trace]]],
                  index: int) -> dict[Item, Trace]:
        flow = self.dataflow
        output = node.outputs[index]
        learner, selects, fit = flow.is_learner(node), flow.selects(node), flow.is_fit(node)
        kind = Carried.CHOSEN if flow.scores(node) else Carried.LEARNED
        part = flow.part(output) if flow.is_split(node) else None
        out: dict[Item, Trace] = {}
        if part is not None:
            out[(str(part), Carried.ROWS)] = Trace(None).then(node, output)
        else:
            place = flow.place(output)
            if place.held_out:  # whoever writes it, the eval or test folder is that split
                out[(str(place.role), Carried.ROWS)] = Trace(output)
        for name, use, items in reading:
            if not flow.derives(node, index, name):
                continue
            for (population, carried), trace in items.items():
                if carried == Carried.ROWS and part is not None and not learner:
                    continue  # a split's part holds its own rows only
                if carried == Carried.ROWS and learner and not (fit and use == Use.PASS):
                    # a fit learns from what it fits on, and chooses with what it scores
                    carried = ({Use.FIT: Carried.LEARNED, Use.SCORE: Carried.CHOSEN}[use]
                               if fit else kind)
                if selects and population == DataRole.EVAL and not (
                        use == Use.FIT and fit and not _tagged(node)):
                    carried = Carried.CHOSEN
                learns = learner and trace.learned is None and carried != Carried.ROWS
                _keep(out, (population, carried),
                      trace.then(node, output, learns, judged=fit and use == Use.FIT))
        return out

    # -- what is wrong -------------------------------------------------------------------------

    def _judge(self) -> list[Leak]:
        flow = self.dataflow
        candidates: list[tuple[int, Leak]] = []
        for i, node in enumerate(flow.nodes):
            if flow.is_fit(node):
                # what it scores with is judged where the choice is used (or kept), so an
                # evaluation that fits a baseline and scores it on test is no finding
                judged = [(self._at_fit(node), "fits on", items)
                          for _, use, items in self.reading(node) if use == Use.FIT]
            elif flow.role(node) == StageRole.SERVING:
                judged = [(_at_serving, "serves predictions with", self.arriving(node))]
            elif SELECT_TAG in node.tags:
                judged = [(_at_selection, "(tagged `select`) selects with", self.arriving(node))]
            else:
                judged = []
            for judge, use, items in judged:
                for (population, carried), trace in items.items():
                    rule = judge(population, carried)
                    if rule and not trace.judged:
                        candidates.append((i, Leak(rule, node, population, carried, trace, use)))
            candidates += [(i, leak) for leak in self._kept(i, node)]
        return _one_per_cause(candidates)

    def _kept(self, index: int, node: Node) -> list[Leak]:
        """A model artifact in the models folder that a choice on the test split made."""
        leaks = []
        for output in node.outputs:
            if not self._kept_artifact(output):
                continue
            for (population, carried), trace in self._out.get(
                    (index, dataset_base(output)), {}).items():
                if (population == DataRole.TEST and carried != Carried.ROWS
                        and not trace.judged):
                    leaks.append(Leak("KL406", node, population, carried, trace,
                                      "keeps a model in the models folder chosen with"))
        return leaks

    def _at_fit(self, node: Node) -> Callable[[str, Carried], str]:
        """The rule a fit breaks with what an input it fits on holds: the train split only.
        A `select` tag, or early stopping where the code does not say which inputs the fit
        takes, makes the node one that selects: it may take the eval split too."""
        flow = self.dataflow
        fits = not (_tagged(node)
                    or (flow.selects(node) and flow.fitted_inputs(node) is None))

        def judge(population: str, carried: Carried) -> str:
            if population == BEFORE_SPLIT:
                return "KL405" if carried != Carried.ROWS else ("KL404" if fits else "KL406")
            if population == DataRole.TEST:
                return "KL402" if fits and carried != Carried.CHOSEN else "KL406"
            if population == DataRole.EVAL and fits and carried != Carried.CHOSEN:
                return "KL402"
            return ""

        return judge

    def _kept_artifact(self, name: str) -> bool:
        """A model or chosen object kept in the models folder (not a record of scores)."""
        if self.dataflow.place(name).role != MODEL_ROLE:
            return False
        entry = self.entry(name)
        return entry is None or bool(_ARTIFACT_TYPE.search(entry.type or ""))

    # -- explaining a path -----------------------------------------------------------------------

    def entry(self, name: str) -> CatalogEntry | None:
        """The catalog entry (or factory pattern) that declares a dataset."""
        for key in (name, dataset_base(name)):
            entry = self.datasets.get(key)
            if entry is not None and not entry.pattern:
                return entry
        if self._patterns is None:
            self._patterns = FactoryPatterns(
                {n: {} for n, e in self.datasets.items() if e.pattern})
        match = self._patterns.match(name) or self._patterns.match_catch_all(name)
        return self.datasets.get(match) if match else None

    def describe(self, name: str) -> str:
        location = self.dataflow.place(name).location
        return f"`{name}` ({location})" if location else f"`{name}` (in memory)"

    def path(self, leak: Leak) -> str:
        """The chain from where the rows start to the node, in words."""
        trace = leak.trace
        parts = [] if trace.start is None else [self.describe(trace.start)]
        for index, (node, output) in enumerate(trace.hops):
            hop = f"node `{node.name}`"
            if index == trace.learned:
                hop += f" learns from it{_evidence(node)}"
            elif trace.start is None and index == 0:
                hop += f" splits off the {_PART_WORDS.get(leak.population, '')} part"
            parts += [hop, self.describe(output)]
        parts.append(f"node `{leak.node.name}`")
        return " -> ".join(parts)

    def steps(self, leak: Leak) -> tuple[Step, ...]:
        """Each dataset and node of the path, where it is declared (related locations)."""
        trace = leak.trace
        steps = [] if trace.start is None else [self._dataset_step(trace.start)]
        for index, (node, output) in enumerate(trace.hops):
            steps.append(Step(f"node `{node.name}` (stage {node.stage}) writes `{output}`",
                              node.location))
            evidence = _learning(node)
            if index == trace.learned and evidence is not None:
                steps.append(Step(f"node `{node.name}` learns from its inputs here: "
                                  f"`{evidence.what}`", evidence.location))
            steps.append(self._dataset_step(output))
        return tuple(steps)

    def _dataset_step(self, name: str) -> Step:
        entry = self.entry(name)
        where = (Location(entry.source, entry.line, entry.column)
                 if entry is not None and entry.source else None)
        return Step(f"dataset {self.describe(name)}", where)


# -- judges of nodes that are not fits -----------------------------------------------------------


def _at_serving(population: str, carried: Carried) -> str:
    if carried == Carried.ROWS:
        return ""
    return {BEFORE_SPLIT: "KL405", DataRole.TEST: "KL406"}.get(population, "")


def _at_selection(population: str, carried: Carried) -> str:
    return "KL406" if population == DataRole.TEST else ""


def _keep(slot: dict[Item, Trace], item: Item, trace: Trace) -> bool:
    """Adds the item, or a shorter path to it; says whether the slot changed."""
    known = slot.get(item)
    if known is not None and len(known.hops) <= len(trace.hops):
        return False
    slot[item] = trace
    return True


def _one_per_cause(candidates: list[tuple[int, Leak]]) -> list[Leak]:
    """Values learned by one node are reported where they first reach a judged node (the
    shortest path); then one leak per rule and node: test before the rows before the
    split before eval, rows before values, the shortest path first. In node order."""
    nearest: dict[tuple[str, int, str], tuple[int, Leak]] = {}
    kept: list[tuple[int, Leak]] = []
    for index, leak in candidates:
        learner = leak.trace.learner
        if learner is None:
            kept.append((index, leak))
            continue
        key = (leak.rule, id(learner), leak.population)
        first = nearest.get(key)
        if first is None or (len(leak.trace.hops), index) < (len(first[1].trace.hops), first[0]):
            nearest[key] = (index, leak)
    found: dict[tuple[str, int], Leak] = {}
    for index, leak in [*kept, *nearest.values()]:
        known = found.get((leak.rule, index))
        if known is None or _rank(leak) < _rank(known):
            found[(leak.rule, index)] = leak
    return [found[key] for key in sorted(found, key=lambda k: (k[1], k[0]))]


def _rank(leak: Leak) -> tuple[int, int, int]:
    order = [DataRole.TEST, BEFORE_SPLIT, DataRole.EVAL]
    population = order.index(leak.population) if leak.population in order else len(order)
    return (population, list(Carried).index(leak.carried), len(leak.trace.hops))


def _tagged(node: Node) -> bool:
    return SELECT_TAG in node.tags


def _learning(node: Node) -> Evidence | None:
    code = node.code
    return None if code is None else (code.fits or code.learns)


def _evidence(node: Node) -> str:
    evidence = _learning(node)
    if evidence is not None:
        return f" ({evidence.what}, {evidence.location})" if evidence.location else (
            f" ({evidence.what})")
    tags = sorted(node.tags & {"fit", "select"})
    return f" (tagged `{tags[0]}`)" if tags else ""


__all__ = ["BEFORE_SPLIT", "Carried", "Leak", "Provenance", "Step", "Trace"]
