"""Training side of ONNX serving for the Spark engine: fitted Spark ML stages as one graph.

`export_spark_graph` converts the fitted feature `PipelineModel` and the model with
onnxmltools into the same kind of graph `onnx_export.export_graph` makes from
scikit-learn: one [n, 1] input per feature column (float32 numbers, string categories;
the raw column each reads recorded inside), a classifier's label and one probability per
class out (or a regressor's number), the classes and the training metadata inside. The
server scores it with `onnx_scoring.OnnxScorer`: no JVM, no pyspark. Its parity checks
are `onnx_export.check_parity` and `check_regression_parity` with `onnx_export.SPARK` as
the reference, which also catch a model the converter converts unfaithfully (a
`GBTRegressor`, measured with onnxmltools 1.16).

onnxmltools 1.16 converts these stages, but its graph computes something else in three
places, which are fixed on the graph (measured on the penguins model: probabilities off by
up to 0.48 before, within 2.2e-6 of Spark's after, on every eval and test row, rows with
missing values and rows with unseen categories):

1. `StringIndexer(handleInvalid="keep")` sends a missing or unseen category to index
   `numLabels`; the converted LabelEncoder sends it to -1, which the OneHotEncoder then
   refuses. Its default becomes `numLabels`.
2. A multinomial `LogisticRegressionModel` is written as one sigmoid per class, then
   L1-normalised; Spark computes a softmax. The classifier's post-transform becomes SOFTMAX.
3. The default ONNX domain is imported twice (`""` at opset 8, `"ai.onnx"` at 13, for
   Reshape only): onnx's checker refuses that, and onnxruntime resolves it by the order of
   the entries, which changes from run to run. One `""` entry remains; Reshape-5 and
   Reshape-13 differ only in bfloat16 support.

And one addition: Spark's classifier answers a class index; a LabelEncoder maps it to the
class name (the model's IndexToString labels), so the graph answers labels as the
scikit-learn graph does. Converting needs the active SparkSession (stage 03 has it).
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from kedro_ml_starter.runtime.datasets import OnnxGraph
from kedro_ml_starter.runtime.onnx_export import (
    INPUT_KINDS,
    SPARK,
    OnnxExportError,
    describe_graph,
)

LABELS = "label"  # the graph output naming each row's class


def export_spark_graph(transformers: Any, model: Any, inputs: Mapping[str, str],
                       runtime: str = "onnx", metadata: Mapping[str, Any] | None = None,
                       columns: Sequence[str] | None = None) -> OnnxGraph:
    """The fitted Spark ML `transformers` then `model` as one ONNX graph over the raw
    `inputs` columns (the Spark column each stage reads -> "number", "integer" or
    "category", in order); `columns` names the raw column of each input where the data
    names it otherwise (the graph records them, as `onnx_export.export_graph` does).

    `model` ends with a classifier followed by the IndexToString stage that names its
    predictions (whose labels are the classes), or with a regressor. With `runtime` other
    than "onnx" nothing is converted: the graph records why there is none.
    """
    if runtime != "onnx":
        return OnnxGraph(b"", f"serving.runtime is {runtime}")
    # onnx and onnxmltools load when a graph is exported, not when a stage is imported
    import onnx

    bad = {name: kind for name, kind in inputs.items() if kind not in INPUT_KINDS}
    if bad:
        raise ValueError(f"input kinds must be one of {INPUT_KINDS}, got {bad}")
    stages = [*_stages(transformers), *_stages(model)]
    predictor = _predictor(stages)
    classifier = hasattr(predictor, "numClasses")
    classes = _classes(stages, predictor) if classifier else []
    stages = [s for s in stages if not _names_predictions(s, predictor)]
    _refuse_unconvertible(stages)
    graph = _convert(stages, inputs, predictor)
    _default_for_unseen_categories(graph, stages)
    if type(predictor).__name__ == "LogisticRegressionModel" and predictor.numClasses > 2:
        _softmax(graph)
    _one_default_domain(graph)
    if classifier:
        _label_output(graph, predictor, classes)
    else:
        _prediction_output(graph, predictor)
    onnx.checker.check_model(graph)
    describe_graph(graph, classes, metadata or {}, columns=list(columns or inputs))
    return OnnxGraph(graph.SerializeToString())


def _stages(model: Any) -> Iterator[Any]:
    """The stages of a fitted (nested) PipelineModel, in order."""
    for stage in getattr(model, "stages", None) or [model]:
        yield from (_stages(stage) if hasattr(stage, "stages") else [stage])


def _predictor(stages: Sequence[Any]) -> Any:
    """The last classifier or regressor among the stages."""
    # pyspark.ml loads when a Spark model is exported, not when the runtime is imported
    from pyspark.ml.classification import ClassificationModel
    from pyspark.ml.regression import RegressionModel

    found = [stage for stage in stages
             if isinstance(stage, (ClassificationModel, RegressionModel))]
    if not found:
        raise OnnxExportError(f"cannot export to ONNX: the model has no Spark ML classifier or "
                              f"regressor; {SPARK.fallback}")
    return found[-1]


def _names_predictions(stage: Any, classifier: Any) -> bool:
    return (type(stage).__name__ == "IndexToString"
            and stage.getInputCol() == classifier.getPredictionCol())


def _classes(stages: Sequence[Any], classifier: Any) -> list[str]:
    """The labels of the IndexToString stage that names the classifier's predictions."""
    namer = next((s for s in stages if _names_predictions(s, classifier)), None)
    if namer is None:
        raise OnnxExportError(
            f"cannot export to ONNX: no IndexToString stage names the classes of "
            f"{type(classifier).__name__}'s `{classifier.getPredictionCol()}` column: add "
            f"one to the model, or {SPARK.fallback}")
    return [str(label) for label in namer.getLabels()]


def _refuse_unconvertible(stages: Sequence[Any]) -> None:
    # onnx and onnxmltools load when a graph is exported, not when a stage is imported
    from onnxmltools.convert.common._registration import (  # type: ignore[import-untyped]
        _converter_pool,
    )
    from onnxmltools.convert.sparkml.ops_names import (  # type: ignore[import-untyped]
        sparkml_operator_name_map,
    )

    for stage in stages:
        kind = type(stage)
        if sparkml_operator_name_map.get(kind) not in _converter_pool:
            raise OnnxExportError(
                f"cannot export to ONNX: onnxmltools has no converter for "
                f"{kind.__module__}.{kind.__qualname__}; {SPARK.fallback}")


def _convert(stages: Sequence[Any], inputs: Mapping[str, str], predictor: Any) -> Any:
    # onnx and onnxmltools load when a graph is exported, not when a stage is imported
    import onnxmltools  # type: ignore[import-untyped]
    from onnxmltools.convert.common.data_types import (  # type: ignore[import-untyped]
        FloatTensorType,
        StringTensorType,
    )
    from pyspark.ml import PipelineModel
    from pyspark.sql import SparkSession

    types = [(name, StringTensorType([None, 1]) if kind == "category"
              else FloatTensorType([None, 1])) for name, kind in inputs.items()]
    name = f"{type(predictor).__module__}.{type(predictor).__qualname__}"
    # The converters print their attributes (every coefficient) and pyspark warns about
    # pandas: neither is for the person running `kedro run`.
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return onnxmltools.convert_sparkml(
                PipelineModel(stages=list(stages)), "model", types,
                spark_session=SparkSession.builder.getOrCreate())
    except Exception as error:  # noqa: BLE001 - onnxmltools raises many kinds: one line for all
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise OnnxExportError(f"cannot export {name} and its transformers to ONNX "
                              f"({reason}); {SPARK.fallback}") from None


def _attribute(node: Any, name: str) -> Any:
    return next((a for a in node.attribute if a.name == name), None)


def _default_for_unseen_categories(graph: Any, stages: Sequence[Any]) -> None:
    """Fix 1: the LabelEncoder of each `handleInvalid="keep"` StringIndexer column sends
    what it does not know to index numLabels, as Spark does."""
    # onnx and onnxmltools load when a graph is exported, not when a stage is imported
    from onnx import helper

    kept = [list(labels) for stage in stages if type(stage).__name__ == "StringIndexerModel"
            and stage.getHandleInvalid() == "keep" for labels in stage.labelsArray]
    for node in graph.graph.node:
        keys = _attribute(node, "keys_strings")
        if node.op_type != "LabelEncoder" or keys is None:
            continue
        labels = [key.decode() for key in keys.strings]
        if labels in kept:
            default = _attribute(node, "default_int64")
            if default is not None:
                node.attribute.remove(default)
            node.attribute.append(helper.make_attribute("default_int64", len(labels)))


def _softmax(graph: Any) -> None:
    """Fix 2: a multinomial logistic regression's probabilities are a softmax."""
    for node in graph.graph.node:
        if node.op_type == "LinearClassifier":
            _attribute(node, "post_transform").s = b"SOFTMAX"


def _one_default_domain(graph: Any) -> None:
    """Fix 3: one import of the default domain, at the converter's own version."""
    # onnx and onnxmltools load when a graph is exported, not when a stage is imported
    from onnx import helper

    default = next(o.version for o in graph.opset_import if o.domain == "")
    others = [(o.domain, o.version) for o in graph.opset_import
              if o.domain not in ("", "ai.onnx")]
    del graph.opset_import[:]
    graph.opset_import.extend([helper.make_opsetid("", default)]
                              + [helper.make_opsetid(d, v) for d, v in others])
    for node in graph.graph.node:
        if node.domain == "ai.onnx":
            node.domain = ""


def _label_output(graph: Any, classifier: Any, classes: Sequence[str]) -> None:
    """The graph's outputs become the class name of each row and its probabilities."""
    # onnx and onnxmltools load when a graph is exported, not when a stage is imported
    from onnx import TensorProto, helper

    outputs = {output.name: output for output in graph.graph.output}
    index, probabilities = classifier.getPredictionCol(), classifier.getProbabilityCol()
    if probabilities not in outputs:  # GBTClassifier's converter names it `probability`
        probabilities = "probability"
    if index not in outputs or probabilities not in outputs:
        raise OnnxExportError(f"cannot export to ONNX: the converted graph has no "
                              f"`{index}` and `{probabilities}` outputs; {SPARK.fallback}")
    graph.graph.node.append(helper.make_node(
        "LabelEncoder", [index], [LABELS], domain="ai.onnx.ml", name="class_names",
        keys_int64s=list(range(len(classes))), values_strings=list(classes),
        default_string=""))
    kept = outputs[probabilities]
    del graph.graph.output[:]
    graph.graph.output.extend(
        [helper.make_tensor_value_info(LABELS, TensorProto.STRING, [None]), kept])


def _prediction_output(graph: Any, regressor: Any) -> None:
    """A regressor's graph answers one number per row: its prediction, nothing else."""
    outputs = {output.name: output for output in graph.graph.output}
    name = regressor.getPredictionCol()
    if name not in outputs:
        raise OnnxExportError(f"cannot export to ONNX: the converted graph has no `{name}` "
                              f"output; {SPARK.fallback}")
    kept = outputs[name]
    del graph.graph.output[:]
    graph.graph.output.extend([kept])
