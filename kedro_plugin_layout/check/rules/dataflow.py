"""KL4xx data flow: stages run in manifest order, and nothing that fits a model or a
transformer, selects one, or serves predictions learns from the eval or test rows:
directly, through intermediates, through storage, or through values computed before the
split.

What a node does is read from its code (`kedro_plugin_layout.project.node_code`); the
graph is in `kedro_plugin_layout.check.graph` and the rows' provenance in
`kedro_plugin_layout.check.provenance`. What the rules cannot see is listed in
docs/check.md ("What the leakage rules see").
"""

from __future__ import annotations

from kedro_plugin_layout.check.graph import FIT_TAG, Dataflow, Use
from kedro_plugin_layout.check.provenance import BEFORE_SPLIT, Carried, Leak, Provenance
from kedro_plugin_layout.check.rules.base import Finding, Outcome, Related, Rule, failures
from kedro_plugin_layout.kinds import DataRole, StageRole
from kedro_plugin_layout.project.records import Evidence, Location, Node
from kedro_plugin_layout.project.stage_graph import StageGraph, describe_cycle

# Stages that may read the test split: the split writes it, feature transforms (not
# fits) apply fitted transformers to it, evaluation scores it, serving may score it.
TEST_READER_ROLES = (StageRole.PREPROCESSING, StageRole.FEATURES, StageRole.EVALUATION,
                     StageRole.SERVING)


class DataflowRule(Rule):
    family = "dataflow"


def at_node(node: Node, pipelines_dir: str, message: str,
            related: tuple[Related, ...] = ()) -> Finding:
    """A finding at the `Node(...)` call that made the node (its stage's pipeline.py when
    the call could not be placed)."""
    where = node.location or Location(f"{pipelines_dir}/{node.stage}/pipeline.py")
    return Finding(message, where.path, where.line, where.column, related)


def _where(dataflow: Dataflow, name: str) -> str:
    location = dataflow.place(name).location
    return f" ({location})" if location else ""


def _leak_findings(provenance: Provenance, pipelines_dir: str, rule: str,
                   advice: str) -> Outcome:
    """A finding per leak of `rule`, at the node it reaches: what reaches it, the path
    that brings it (in the message, and step by step as related locations), the fix."""
    findings = []
    for leak in provenance.leaks:
        if leak.rule != rule:
            continue
        related = tuple(Related(step.message, *_place(step.location))
                        for step in provenance.steps(leak))
        fitting = _fitting(provenance.dataflow, leak)
        if fitting is not None and fitting.location is not None:
            related += (Related(f"node `{leak.node.name}` fits here: `{fitting.what}`",
                                *_place(fitting.location)),)
        related += (Related(f"node `{leak.node.name}` (stage {leak.node.stage}) "
                            f"{leak.use} it", *_place(leak.node.location)),)
        message = (f"{_headline(leak, fitting)}: {provenance.path(leak)}; "
                   f"{advice}{_hint(leak)}")
        findings.append(at_node(leak.node, pipelines_dir, message, related))
    return failures(findings)


def _fitting(dataflow: Dataflow, leak: Leak) -> Evidence | None:
    """The call that makes the node a fit, when its code shows one."""
    code = leak.node.code
    if code is None or not dataflow.is_fit(leak.node):
        return None
    return code.fits or code.learns


def _headline(leak: Leak, fitting: Evidence | None) -> str:
    """What reaches which node: `leakage: node `train` in stage 03 fits on rows of ...`,
    with the call that makes it a fit, or the tag that says so."""
    node = f"node `{leak.node.name}` in stage {leak.node.stage}"
    if fitting is not None:
        node += f" ({fitting})"
    elif FIT_TAG in leak.node.tags and leak.use == "fits on":
        node += " (tagged `fit`)"
    what = {Carried.ROWS: "rows", Carried.LEARNED: "values learned from rows",
            Carried.CHOSEN: "scores or choices made on rows"}[leak.carried]
    part = ("before the split, eval and test rows included"
            if leak.population == BEFORE_SPLIT else f"of the {leak.population} split")
    title = "model selection on the test split" if leak.rule == "KL406" else "leakage"
    return f"{title}: {node} {leak.use} {what} {part}"


def _place(location: Location | None) -> tuple[str | None, int | None, int | None]:
    if location is None:
        return (None, None, None)
    return (location.path, location.line, location.column)


def _hint(leak: Leak) -> str:
    if leak.population == DataRole.EVAL:
        return (" (a node that uses the eval split for model selection or early stopping "
                "may read it: tag it `select` when its code does not show it; it may read "
                "eval, never test)")
    return ""


class KL401(DataflowRule):
    """No stage reads a dataset produced by a later stage (order = manifest order).

    The order is the order of `[[tool.kedro_layout.stages]]`. A stage that writes a
    dataset itself reads its own: another stage that writes a dataset of the same name
    (an alternative pipeline that never runs with it) does not count. When the two stages
    depend on each other, no order fixes it: the finding names the datasets that form the
    cycle.
    """

    fix = ("Move the node that produces the dataset to an earlier stage, or the node that reads "
           "it to a later one.")

    def check(self, *, dataflow: Dataflow, pipelines_dir: str) -> Outcome:
        order = {s.folder: i for i, s in enumerate(dataflow.manifest.stages)}
        stages = StageGraph.from_nodes(dataflow.nodes)
        findings = []
        for node in dataflow.nodes:
            for name in node.inputs:
                later = [p.stage for p in dataflow.read_from(node, name)
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
    """Leakage: no fit learns from the eval or test split, whatever path its rows take.

    A fit is a node whose code fits an estimator or transformer (`fit`, `fit_transform`,
    `partial_fit`, a search, ...), or computes statistics over rows in a `training` stage,
    or is tagged `fit`. The rows are followed through every
    node and every folder: a concatenation with the test split, the `X_test` of a split
    kept in memory, statistics of the test split stored anywhere, a transformer refitted
    on the test split. A node that selects a model (tagged `select`, given eval data for
    early stopping, or scoring the candidates it fits) may learn from the eval split,
    never from the test split (that is KL406).
    """

    fix = ("Fit only on the train split, and transform each split in its own node; tag a node "
           "that selects a model or stops early on the eval split `select` when its code does "
           "not show it.")

    def check(self, *, provenance: Provenance, pipelines_dir: str) -> Outcome:
        return _leak_findings(
            provenance, pipelines_dir, "KL402",
            "fit only on the train split, and transform each split in its own node",
        )


class KL403(DataflowRule):
    """The test split is read only by preprocessing, non-fit features, evaluation, serving.

    Stages with the roles `preprocessing` (which writes it), `features` (nodes that fit
    nothing on it: a node whose code fits on the train split and only transforms the test
    split may read it), `evaluation` and `serving` may read it.
    """

    fix = ("Read the train (or eval) split instead; if the stage evaluates or serves, give it "
           "that role in `[[tool.kedro_layout.stages]]`.")

    def check(self, *, dataflow: Dataflow, pipelines_dir: str) -> Outcome:
        findings = []
        for node in dataflow.nodes:
            role = dataflow.role(node)
            if role in TEST_READER_ROLES and not (role == StageRole.FEATURES
                                                  and dataflow.is_fit(node)):
                continue
            for name in node.inputs:
                if role == StageRole.FEATURES and dataflow.input_use(node, name) == Use.PASS:
                    continue  # its code only applies what it fits to the test split
                if dataflow.place(name).role == DataRole.TEST:
                    findings.append(at_node(
                        node, pipelines_dir,
                        f"stage {node.stage} ({role}) reads the test split `{name}`"
                        f"{_where(dataflow, name)} in node `{node.name}`: only preprocessing "
                        "(which writes it), feature nodes that fit nothing, evaluation and "
                        "serving read the test split; read the train (or eval) split instead",
                    ))
        return failures(findings)


class KL404(DataflowRule):
    """Leakage: no fit learns from rows before the split, which still hold eval and test rows.

    The rows before the split are what a split reads, and every dataset they come from
    that no node writes: they still hold the eval and test rows. A scaler fitted before
    the split, oversampling before the split, or training on the cleaned table, is caught
    here. Reference data no split reads, and configuration built from parameters, are not
    rows.
    """

    fix = ("Split first and fit on the train split only: a scaler, imputer or encoder fitted "
           "before the split learns from the eval and test rows.")

    def check(self, *, provenance: Provenance, pipelines_dir: str) -> Outcome:
        return _leak_findings(
            provenance, pipelines_dir, "KL404",
            "split first and fit on the train split only (a scaler, imputer or encoder "
            "fitted before the split learns from the test rows)",
        )


class KL405(DataflowRule):
    """Leakage: no value learned from rows before the split reaches a fit or the served model.

    Statistics, vocabularies, target encodings, imputation values or selected features
    computed from the rows before the split carry the eval and test rows with them,
    through any node and any folder (`models/` included), into the fit or the serving
    stage that reads them. The finding is at that node, with the path from the rows.
    """

    fix = ("Compute statistics, vocabularies, encodings and feature selections from the train "
           "split only, after the split.")

    def check(self, *, provenance: Provenance, pipelines_dir: str) -> Outcome:
        return _leak_findings(
            provenance, pipelines_dir, "KL405",
            "compute statistics, vocabularies, encodings and feature selections from the "
            "train split only",
        )


class KL406(DataflowRule):
    """Model selection never sees the test split: no choice made on it is fitted, served or kept.

    A value chosen or scored on the test split (a threshold, hyper-parameters, the best
    model, test metrics) is a finding where a fit, a serving stage or a node tagged
    `select` reads it, whatever folder it was stored in, and where a model artifact chosen
    with it is kept in the models folder. A record of test scores that only reports, which
    nothing of that kind reads, is not.
    """

    fix = ("Select models, hyper-parameters and thresholds on the eval split, and keep the test "
           "split for the final evaluation.")

    def check(self, *, provenance: Provenance, pipelines_dir: str) -> Outcome:
        return _leak_findings(
            provenance, pipelines_dir, "KL406",
            "select models, hyper-parameters and thresholds on the eval split and keep the "
            "test split for the final evaluation",
        )
