"""KL4xx data flow: stages run in manifest order, and nothing that fits a model or a
transformer, or selects one, ever sees the eval or test rows — directly, through
intermediates, or through values computed before the split.

The graph walks live in `kedro_plugin_layout.check.graph` (`Dataflow`); what they cannot see
is listed in docs/check.md ("What the leakage rules see").
"""

from __future__ import annotations

from kedro_plugin_layout.check.graph import FIT_TAG, Dataflow
from kedro_plugin_layout.check.rules.base import Finding, Outcome, Rule, failures
from kedro_plugin_layout.kinds import DataRole, StageRole
from kedro_plugin_layout.project.records import MODEL_ROLE, Location, Node
from kedro_plugin_layout.project.stage_graph import StageGraph, describe_cycle

# Stages that may read the test split: the split writes it, feature transforms (not
# fits) apply fitted transformers to it, evaluation scores it, serving may score it.
TEST_READER_ROLES = (StageRole.PREPROCESSING, StageRole.FEATURES, StageRole.EVALUATION,
                     StageRole.SERVING)
HELD_OUT = (DataRole.EVAL, DataRole.TEST)


class DataflowRule(Rule):
    family = "dataflow"


def at_node(node: Node, pipelines_dir: str, message: str) -> Finding:
    """A finding at the `Node(...)` call that made the node (its stage's pipeline.py when
    the call could not be placed)."""
    where = node.location or Location(f"{pipelines_dir}/{node.stage}/pipeline.py")
    return Finding(message, where.path, where.line, where.column)


def _where(dataflow: Dataflow, name: str) -> str:
    location = dataflow.place(name).location
    return f" ({location})" if location else ""


class KL401(DataflowRule):
    """No stage reads a dataset produced by a later stage (order = manifest order).

    The order is the order of `[[tool.kedro_layout.stages]]`. When the two stages depend on
    each other, no order fixes it: the finding names the datasets that form the cycle.
    """

    fix = ("Move the node that produces the dataset to an earlier stage, or the node that reads "
           "it to a later one.")

    def check(self, *, dataflow: Dataflow, pipelines_dir: str) -> Outcome:
        order = {s.folder: i for i, s in enumerate(dataflow.manifest.stages)}
        stages = StageGraph.from_nodes(dataflow.nodes)
        findings = []
        for node in dataflow.nodes:
            for name in node.inputs:
                later = [p.stage for p in dataflow.produced_by(name)
                         if order.get(p.stage, -1) > order.get(node.stage, -1)]
                if later:
                    findings.append(at_node(
                        node, pipelines_dir,
                        f"stage {node.stage} (node `{node.name}`) reads `{name}`, which the "
                        f"later stage {later[0]} produces: "
                        + _reorder_advice(stages, later[0], node.stage),
                    ))
        return failures(findings)


def _reorder_advice(stages: StageGraph, upstream: str, downstream: str) -> str:
    """How to fix a stage reading a later one: reorder, unless the two depend on each other,
    which no order fixes (the cycle's datasets say which node to move)."""
    cycle = stages.cycle_through(upstream, downstream)
    if cycle is None:
        return ("move the producing node to an earlier stage or the reading node to a later "
                "one")
    return (f"the stages depend on each other ({describe_cycle(cycle)}), so no stage order "
            "fixes this: move a node so that the data flows one way")


class KL402(DataflowRule):
    """Leakage: no training node or node tagged `fit` depends on the eval or test split.

    A fit is a node of a `training` stage that is not the split, or a node tagged `fit` in
    any stage. The whole graph is walked, so an in-memory intermediate or a concatenation
    with the test split counts too. A node tagged `select` (early stopping, model selection)
    may depend on the eval split, never on the test split.
    """

    fix = ("Fit only on the train split and transform each split in its own node; tag the node "
           "that fits a transformer `fit`, and the node that selects a model, tunes a threshold "
           "or stops early `select` (it may read the eval split, never the test split).")

    def check(self, *, dataflow: Dataflow, pipelines_dir: str) -> Outcome:
        findings = []
        for node in dataflow.fits():
            reach = dataflow.held_out_ancestor(node, HELD_OUT)
            if reach is None:
                continue
            split = dataflow.place(reach.found)
            hint = (" (a node that uses the eval split for model selection or early stopping "
                    "is tagged `select`, which lets it read eval, never test)"
                    if split.role == DataRole.EVAL else "")
            findings.append(at_node(
                node, pipelines_dir,
                f"leakage: node `{node.name}` in stage {node.stage} fits on data derived "
                f"from the {split.role} split `{reach.found}` ({split.location}); it "
                f"{reach.how()}: fit only on the train split, and transform each split in "
                "its own node (every output of a node that reads eval/test depends on them)"
                + hint,
            ))
        return failures(findings)


class KL403(DataflowRule):
    """The test split is read only by preprocessing, non-fit features, evaluation, serving.

    Stages with the roles `preprocessing` (which writes it), `features` (nodes not tagged
    `fit`), `evaluation` and `serving` may read it.
    """

    fix = ("Read the train (or eval) split instead; if the stage evaluates or serves, give it "
           "that role in `[[tool.kedro_layout.stages]]`.")

    def check(self, *, dataflow: Dataflow, pipelines_dir: str) -> Outcome:
        findings = []
        for node in dataflow.nodes:
            role = dataflow.role(node)
            if role in TEST_READER_ROLES and not (role == StageRole.FEATURES
                                                  and FIT_TAG in node.tags):
                continue
            for name in node.inputs:
                if dataflow.place(name).role == DataRole.TEST:
                    findings.append(at_node(
                        node, pipelines_dir,
                        f"stage {node.stage} ({role}) reads the test split `{name}`"
                        f"{_where(dataflow, name)} in node `{node.name}`: only preprocessing "
                        "(which writes it), feature nodes not tagged `fit`, evaluation and "
                        "serving read the test split; read the train (or eval) split instead",
                    ))
        return failures(findings)


def _fits_before_split(dataflow: Dataflow, pipelines_dir: str, *, with_train: bool,
                       read: str, advice: str) -> Outcome:
    """A finding for each fit that reads rows from before the split and (`with_train`) the
    train rows too, or not; `read` says what it reads, with `{found}` for the dataset."""
    before = dataflow.before_split()
    findings = []
    for node in dataflow.fits():
        reach, train = dataflow.rows_read(node, before)
        if reach is None or train != with_train:
            continue
        found = f"`{reach.found}`{_where(dataflow, reach.found)}"
        findings.append(at_node(
            node, pipelines_dir,
            f"leakage: node `{node.name}` in stage {node.stage} fits on "
            f"{read.format(found=found)}; it {reach.how()}: {advice}",
        ))
    return failures(findings)


class KL404(DataflowRule):
    """Leakage: no fit learns from rows before the split, which still hold eval and test rows.

    The rows before the split are the split's inputs and everything upstream of them (the
    `raw` folders when nothing splits): they still hold the eval and test rows. A scaler
    fitted before the split, or training on the cleaned table, is caught here.
    """

    fix = ("Split first and fit on the train split only: a scaler, imputer or encoder fitted "
           "before the split learns from the eval and test rows.")

    def check(self, *, dataflow: Dataflow, pipelines_dir: str) -> Outcome:
        return _fits_before_split(
            dataflow, pipelines_dir, with_train=False,
            read="{found}, which holds the rows from before the split, eval and test rows "
                 "included",
            advice="split first and fit on the train split only (a scaler, imputer or "
                   "encoder fitted before the split learns from the test rows)",
        )


class KL405(DataflowRule):
    """Leakage: no statistic or encoding computed from rows before the split reaches a fit.

    A fit on the train split must not also read values computed from the rows before the
    split: statistics, vocabularies, target encodings.
    """

    fix = ("Compute statistics, vocabularies and encodings from the train split, in a node tagged "
           "`fit`.")

    def check(self, *, dataflow: Dataflow, pipelines_dir: str) -> Outcome:
        return _fits_before_split(
            dataflow, pipelines_dir, with_train=True,
            read="the train split but also on {found}, rows from before the split",
            advice="statistics, vocabularies or encodings computed on every row carry the "
                   "eval and test rows into the fit; compute them from the train split in a "
                   "node tagged `fit`",
        )


class KL406(DataflowRule):
    """Model selection never sees the test split: no `select` node or kept model depends on it.

    No node tagged `select` depends on the test split, and nothing derived from it is stored
    in `models/` by a node that is not a fit (a model or threshold chosen on test).
    """

    fix = ("Select models, hyper-parameters and thresholds on the eval split, and keep the test "
           "split for the final evaluation.")

    def check(self, *, dataflow: Dataflow, pipelines_dir: str) -> Outcome:
        findings = []
        for node in dataflow.nodes:
            if not dataflow.selects(node) or dataflow.is_fit(node):
                continue  # a fit that selects is KL402's
            reach = dataflow.held_out_ancestor(node, (DataRole.TEST,))
            if reach is not None:
                findings.append(at_node(
                    node, pipelines_dir,
                    f"model selection on the test split: node `{node.name}` (tagged "
                    f"`select`) depends on the test split `{reach.found}`"
                    f"{_where(dataflow, reach.found)}; it {reach.how()}: select models, "
                    "hyper-parameters and thresholds on the eval split and keep the test "
                    "split for the final evaluation",
                ))
        for name, writer in sorted(dataflow.test_derived().items()):
            if dataflow.is_fit(writer):
                continue  # a fit on test-derived data is KL402's
            place = dataflow.place(name)
            if place.role == MODEL_ROLE:
                findings.append(at_node(
                    writer, pipelines_dir,
                    f"model selection on the test split: node `{writer.name}` in stage "
                    f"{writer.stage} writes `{name}` ({place.location}) to the models folder "
                    "from data derived from the test split: a model, threshold or choice "
                    "that is kept must not depend on the test split; select on the eval "
                    "split and keep the test split for the final evaluation",
                ))
        return failures(findings)
