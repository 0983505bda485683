"""KL4xx data flow: stages run in manifest order, and nothing that fits a model or a
transformer ever sees the eval or test split — directly or through intermediates."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from kedro_plugin_layout.facts import Node, StagePipeline, Stored, dataset_base
from kedro_plugin_layout.manifest import Manifest
from kedro_plugin_layout.rules.base import Finding, Outcome, Rule, failures

FIT_TAG = "fit"
HELD_OUT_ROLES = ("eval", "test")
TEST_READER_ROLES = ("preprocessing", "features", "evaluation", "serving")


class DataflowRule(Rule):
    family = "dataflow"


def _nodes(pipelines: dict[str, StagePipeline]) -> list[Node]:
    return [node for stage in pipelines.values() for node in stage.nodes]


def _producers(nodes: Iterable[Node]) -> dict[str, list[Node]]:
    """Nodes by the (transcoding-free) names of the datasets they write."""
    out: dict[str, list[Node]] = {}
    for node in nodes:
        for name in node.outputs:
            out.setdefault(dataset_base(name), []).append(node)
    return out


def _stage_role(manifest: Manifest, folder: str) -> str:
    stage = manifest.stage(folder)
    return stage.role if stage else "other"


def is_fitting(node: Node, manifest: Manifest) -> bool:
    """Training-stage nodes and nodes tagged `fit` learn from data."""
    return FIT_TAG in node.tags or _stage_role(manifest, node.stage) == "training"


class KL401(DataflowRule):
    """No stage reads a dataset produced by a later stage (order = manifest order)."""

    def check(self, *, pipelines: dict[str, StagePipeline], manifest: Manifest,
              pipelines_dir: str) -> Outcome:
        order = {s.folder: i for i, s in enumerate(manifest.stages)}
        producers = _producers(_nodes(pipelines))
        findings = []
        for node in _nodes(pipelines):
            for name in node.inputs:
                later = [p.stage for p in producers.get(dataset_base(name), ())
                         if order.get(p.stage, -1) > order.get(node.stage, -1)]
                if later:
                    findings.append(Finding(
                        f"stage {node.stage} (node `{node.name}`) reads `{name}`, which the "
                        f"later stage {later[0]} produces: move the producing node to an "
                        "earlier stage or the reading node to a later one",
                        f"{pipelines_dir}/{node.stage}/pipeline.py",
                    ))
        return failures(findings)


class KL402(DataflowRule):
    """Leakage: no training node or node tagged `fit` depends on the eval or test split."""

    def check(self, *, pipelines: dict[str, StagePipeline], stored: dict[str, Stored],
              manifest: Manifest, pipelines_dir: str) -> Outcome:
        producers = _producers(_nodes(pipelines))
        findings = []
        for node in _nodes(pipelines):
            if not is_fitting(node, manifest):
                continue
            leak = _held_out_ancestor(node, producers, stored)
            if leak:
                split = stored[leak[-1]]
                how = ("reads it directly" if len(leak) == 1
                       else f"through {' <- '.join(leak)}")
                findings.append(Finding(
                    f"leakage: node `{node.name}` in stage {node.stage} fits on data derived "
                    f"from the {split.role} split `{leak[-1]}` ({split.location}); it {how}: "
                    "fit only on the train split, and transform each split in its own node "
                    "(every output of a node that reads eval/test depends on them)",
                    f"{pipelines_dir}/{node.stage}/pipeline.py",
                ))
        return failures(findings)


def _held_out_ancestor(node: Node, producers: dict[str, list[Node]],
                       stored: dict[str, Stored]) -> list[str]:
    """The path of dataset names from the node's input up to an eval/test dataset, or []."""
    queue = deque((name, [name]) for name in node.inputs)
    seen: set[str] = set()
    while queue:
        name, path = queue.popleft()
        if name in seen:
            continue
        seen.add(name)
        place = stored.get(name)
        if place is not None and place.role in HELD_OUT_ROLES:
            return path
        for producer in producers.get(dataset_base(name), ()):
            queue.extend((parent, [*path, parent]) for parent in producer.inputs)
    return []


class KL403(DataflowRule):
    """The test split is read only by preprocessing, non-fit features, evaluation, serving."""

    def check(self, *, pipelines: dict[str, StagePipeline], stored: dict[str, Stored],
              manifest: Manifest, pipelines_dir: str) -> Outcome:
        findings = []
        for node in _nodes(pipelines):
            role = _stage_role(manifest, node.stage)
            allowed = role in TEST_READER_ROLES and not (role == "features"
                                                         and FIT_TAG in node.tags)
            if allowed:
                continue
            for name in node.inputs:
                place = stored.get(name)
                if place is not None and place.role == "test":
                    findings.append(Finding(
                        f"stage {node.stage} ({role}) reads the test split `{name}` "
                        f"({place.location}) in node `{node.name}`: only evaluation and "
                        "serving read the test split; read the train (or eval) split instead",
                        f"{pipelines_dir}/{node.stage}/pipeline.py",
                    ))
        return failures(findings)
