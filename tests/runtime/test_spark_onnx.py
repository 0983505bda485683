"""The Spark ML export: fitted Spark stages as one ONNX graph that scores like Spark, missing
and unseen values included, for classifiers (binary and multiclass) and regressors; what
cannot be exported is refused in one line, and what converts unfaithfully is caught by the
parity check."""

from __future__ import annotations

import numpy as np
import onnx
import pytest

from kedro_ml_starter.runtime.onnx_export import (
    SPARK,
    OnnxExportError,
    OnnxParityError,
    check_parity,
    check_regression_parity,
)
from kedro_ml_starter.runtime.onnx_scoring import OnnxScorer
from kedro_ml_starter.runtime.spark_onnx import export_spark_graph

pytestmark = pytest.mark.spark

INPUTS = {"size": "number", "weight": "number", "colour": "category"}
CLASSES = ["large", "medium", "small"]
FALLBACK = ("set `serving.runtime: spark` in conf/base/parameters_api.yml to serve with "
            "Spark ML instead")


def _rows(spark, count: int = 60):
    """Three classes by size, noisy; every 7th size and every 5th colour missing."""
    rng = np.random.default_rng(3)
    rows = []
    for i in range(count):
        label = CLASSES[i % 3]
        size = {"small": 1.0, "medium": 5.0, "large": 9.0}[label] + float(rng.normal(0, 1.2))
        colour = ("red", "blue", "green")[(i // 3 + i) % 3]
        rows.append((None if i % 7 == 0 else size, float(rng.normal(3, 1)),
                     None if i % 5 == 0 else colour, label))
    return spark.createDataFrame(rows, "size float, weight float, colour string, label string")


@pytest.fixture(scope="module")
def fitted(spark):
    """Transformers and a model shaped like a generated Spark project's (stages 02, 03)."""
    from pyspark.ml import Pipeline, PipelineModel
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.feature import (
        Imputer,
        IndexToString,
        OneHotEncoder,
        StandardScaler,
        StringIndexer,
        VectorAssembler,
    )

    rows = _rows(spark).cache()
    transformers = Pipeline(stages=[
        Imputer(inputCols=["size", "weight"], outputCols=["size_i", "weight_i"]),
        VectorAssembler(inputCols=["size_i", "weight_i"], outputCol="numbers"),
        StandardScaler(inputCol="numbers", outputCol="scaled", withMean=True),
        StringIndexer(inputCols=["colour"], outputCols=["colour_index"], handleInvalid="keep",
                      stringOrderType="alphabetAsc"),
        OneHotEncoder(inputCols=["colour_index"], outputCols=["colour_onehot"],
                      dropLast=False),
        VectorAssembler(inputCols=["scaled", "colour_onehot"], outputCol="features"),
    ]).fit(rows)
    features = transformers.transform(rows)
    labels = StringIndexer(inputCol="label", outputCol="index",
                           stringOrderType="alphabetAsc").fit(features)
    classifier = LogisticRegression(labelCol="index", family="multinomial",
                                    regParam=0.01).fit(labels.transform(features))
    model = PipelineModel(stages=[classifier, IndexToString(
        inputCol="prediction", outputCol="predicted_label", labels=labels.labels)])
    return transformers, model, rows


def _spark_answers(transformers, model, frame):
    """Spark's own labels and probabilities, and the rows as a pandas frame."""
    scored = model.transform(transformers.transform(frame)).toPandas()
    probabilities = np.array([vector.toArray() for vector in scored["probability"]])
    return scored[list(INPUTS)], list(scored["predicted_label"]), probabilities


def test_the_graph_scores_like_spark_missing_and_unseen_values_included(fitted, spark):
    from pyspark.sql import functions as F

    transformers, model, rows = fitted
    graph = export_spark_graph(transformers, model, INPUTS, metadata={"trained_at": "today"})
    unseen = rows.withColumn("colour", F.lit("purple"))
    frame, labels, probabilities = _spark_answers(transformers, model, rows.unionByName(unseen))
    assert frame["colour"].isna().any() and frame["size"].isna().any()

    parity = check_parity(graph, frame, labels, probabilities, CLASSES, reference=SPARK)

    assert parity["labels_differing"] == 0 and parity["rows"] == 120
    assert parity["max_probability_difference"] < 1e-5
    scorer = OnnxScorer(graph.content)
    assert scorer.classes == CLASSES and scorer.metadata["model_metadata"] == '{"trained_at": "today"}'
    assert [name for name, _ in scorer.inputs] == list(INPUTS)


def test_the_graph_loads_the_same_every_time_and_passes_onnxs_checker(fitted):
    transformers, model, _ = fitted
    graph = onnx.load_from_string(export_spark_graph(transformers, model, INPUTS).content)
    onnx.checker.check_model(graph)
    assert sorted(o.domain for o in graph.opset_import) == ["", "ai.onnx.ml"]
    assert [o.name for o in graph.graph.output] == ["label", "probability"]


def test_with_another_runtime_nothing_is_exported(fitted):
    transformers, model, _ = fitted
    graph = export_spark_graph(transformers, model, INPUTS, runtime="spark")
    assert graph.content == b"" and graph.not_exported == "serving.runtime is spark"


def test_a_stage_onnxmltools_cannot_convert_is_named_in_one_line(fitted):
    from pyspark.ml import PipelineModel
    from pyspark.ml.feature import SQLTransformer

    transformers, model, _ = fitted
    custom = PipelineModel(stages=[*transformers.stages,
                                   SQLTransformer(statement="SELECT * FROM __THIS__")])
    with pytest.raises(OnnxExportError) as raised:
        export_spark_graph(custom, model, INPUTS)
    assert raised.value.message == (
        "cannot export to ONNX: onnxmltools has no converter for "
        f"pyspark.ml.feature.SQLTransformer; {FALLBACK}")


def test_a_model_without_class_names_is_refused_in_one_line(fitted):
    from pyspark.ml import PipelineModel

    transformers, model, _ = fitted
    with pytest.raises(OnnxExportError, match=r"no IndexToString stage names the classes of "
                                              r"LogisticRegressionModel's `prediction` column"):
        export_spark_graph(transformers, PipelineModel(stages=model.stages[:1]), INPUTS)


def test_a_disagreeing_graph_fails_naming_spark_and_its_runtime(fitted):
    transformers, model, rows = fitted
    graph = export_spark_graph(transformers, model, INPUTS)
    frame, labels, probabilities = _spark_answers(transformers, model, rows)
    with pytest.raises(OnnxParityError) as raised:
        check_parity(graph, frame, labels, probabilities + 0.01, CLASSES, reference=SPARK)
    assert raised.value.message.startswith(
        "the ONNX graph's probabilities differ from Spark ML's by up to 1.00e-02")
    assert raised.value.message.endswith(FALLBACK)


def _plain_features(frame, column: str = "features"):
    """The feature vector without Spark ML's attributes, as a generated project trains on
    it: Spark's trees would otherwise split one-hot slots as categories, which onnxmltools
    converts wrongly."""
    from pyspark.sql import functions as F

    return frame.withColumn(column, F.col(column).alias(column, metadata={}))


@pytest.fixture(scope="module")
def features(fitted):
    """Each row's input vector (plain numbers), its class, and a number to predict."""
    from pyspark.sql import functions as F

    transformers, _, rows = fitted
    numbers = F.coalesce(F.col("size"), F.lit(5.0)) * 2 + F.col("weight")
    with_target = rows.withColumn("amount", numbers.cast("double"))
    return _plain_features(transformers.transform(with_target)).cache()


def _regression_answers(transformers, model, frame):
    scored = model.transform(transformers.transform(frame)).toPandas()
    return scored[list(INPUTS)], scored[model.stages[-1].getPredictionCol()]


@pytest.mark.parametrize("kind", ["LinearRegression", "RandomForestRegressor"])
def test_a_regressor_graph_answers_one_number_per_row_like_spark(fitted, features, kind):
    from pyspark.ml import PipelineModel, regression

    transformers, _, rows = fitted
    estimator = getattr(regression, kind)(labelCol="amount", predictionCol="_prediction")
    if kind == "RandomForestRegressor":
        estimator.setNumTrees(5).setSeed(1)
    model = PipelineModel(stages=[estimator.fit(features)])

    graph = export_spark_graph(transformers, model, INPUTS)
    frame, predicted = _regression_answers(transformers, model, rows)
    parity = check_regression_parity(graph, frame, predicted, reference=SPARK)

    assert parity["checked"] and parity["max_relative_difference"] < 1e-5
    scorer = OnnxScorer(graph.content)
    assert scorer.regression and scorer.classes == [] and scorer.metadata["task"] == "regression"
    assert [o.name for o in onnx.load_from_string(graph.content).graph.output] == ["_prediction"]


def test_a_converter_that_computes_something_else_is_caught_by_the_parity_check(fitted,
                                                                                  features):
    """onnxmltools 1.16 converts a GBTRegressor without its trees' weights: the graph
    loads and runs, and the parity check names the fallback. When this fails, onnxmltools
    converts GBTRegressor faithfully: say so in docs/spark.md."""
    from pyspark.ml import PipelineModel
    from pyspark.ml.regression import GBTRegressor

    transformers, _, rows = fitted
    fitted_model = GBTRegressor(labelCol="amount", maxIter=5, seed=1).fit(features)
    model = PipelineModel(stages=[fitted_model])
    graph = export_spark_graph(transformers, model, INPUTS)
    frame, predicted = _regression_answers(transformers, model, rows)
    with pytest.raises(OnnxParityError) as raised:
        check_regression_parity(graph, frame, predicted, reference=SPARK)
    assert "differ from Spark ML's" in raised.value.message
    assert "the converter does not reproduce this model" in raised.value.message
    assert raised.value.message.endswith(FALLBACK)


@pytest.mark.parametrize("kind", ["LogisticRegression", "RandomForestClassifier",
                                  "GBTClassifier"])
def test_a_binary_classifier_graph_scores_like_spark(fitted, features, kind, spark):
    from pyspark.ml import PipelineModel, classification
    from pyspark.ml.feature import IndexToString, StringIndexerModel
    from pyspark.ml.functions import vector_to_array
    from pyspark.sql import functions as F

    transformers, _, rows = fitted
    binary = features.withColumn("large", (F.col("label") == "large").cast("string"))
    labels = StringIndexerModel.from_labels(["false", "true"], "large", "_label")
    estimator = getattr(classification, kind)(labelCol="_label")
    estimator.setProbabilityCol("_probability")
    if kind != "LogisticRegression":
        estimator.setSeed(1).setMaxDepth(3)
    classifier = estimator.fit(labels.transform(binary))
    model = PipelineModel(stages=[classifier, IndexToString(
        inputCol="prediction", outputCol="_class", labels=["false", "true"])])

    graph = export_spark_graph(transformers, model, INPUTS)
    scored = model.transform(transformers.transform(rows)).select(
        *INPUTS, "_class", vector_to_array("_probability").alias("p")).toPandas()
    probabilities = np.array(scored["p"].tolist())
    parity = check_parity(graph, scored, list(scored["_class"]), probabilities,
                          ["false", "true"], reference=SPARK)

    assert parity["labels_differing"] == 0 and parity["max_probability_difference"] < 1e-5


def test_inputs_may_read_columns_named_otherwise(fitted):
    """Spark ML reads each column under a Python name; the graph records the raw column
    each input reads, and scoring names the columns as the data does."""
    transformers, model, rows = fitted
    raw_names = {"size": "size (cm)", "weight": "weight.kg", "colour": "colour/hue"}
    graph = export_spark_graph(transformers, model, INPUTS, columns=list(raw_names.values()))
    frame, labels, probabilities = _spark_answers(transformers, model, rows)

    parity = check_parity(graph, frame.rename(columns=raw_names), labels, probabilities,
                          CLASSES, reference=SPARK)

    assert parity["labels_differing"] == 0
    scorer = OnnxScorer(graph.content)
    assert scorer.columns == list(raw_names.values())
    assert [name for name, _ in scorer.inputs] == list(INPUTS)
