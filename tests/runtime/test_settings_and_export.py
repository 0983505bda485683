"""The serving settings (one pydantic model), the ONNX export and parity check, and what
importing the runtime costs a `kedro` call."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

from kedro_ml_starter.runtime.onnx_export import (
    OnnxExportError,
    OnnxParityError,
    check_parity,
    export_graph,
)
from kedro_ml_starter.runtime.serving.settings import ServingSettings, ServingSettingsError
from tests.runtime import tiny_project
from tests.support import PYTHON

SOURCE = "in conf/base/parameters_api.yml"


@pytest.mark.parametrize(("section", "overrides", "message"), [
    ({"port": "eighty"}, {}, (f"`serving.port` {SOURCE} must be a whole number from 1 to 65535, "
                             "got 'eighty'")),
    ({"workers": True}, {}, (f"`serving.workers` {SOURCE} must be a whole number from 1 to 64, "
                            "got True")),
    ({"runtime": "tensorflow"}, {}, (f"`serving.runtime` {SOURCE} must be one of onnx, sklearn, "
                                    "spark, got 'tensorflow'")),
    ({"access_log": "yes"}, {}, f"`serving.access_log` {SOURCE} must be true or false, got 'yes'"),
    ({"docs": "no"}, {}, f"`serving.docs` {SOURCE} must be true or false, got 'no'"),
    ({"api_key_env": "MY KEY"}, {}, (f"`serving.api_key_env` {SOURCE} must name an environment "
                                    "variable (letters, digits, _), got 'MY KEY'")),
    ({"colour": "red"}, {}, ("unknown setting `serving.colour` in conf/base/parameters_api.yml; "
                            "known: host, port, workers, max_batch_size, probability_decimals, "
                            "access_log, docs, runtime, api_key_env, model_version")),
    ({}, {"port": 0}, "--port must be a whole number from 1 to 65535, got 0"),
    ({"model_version": ""}, {}, (f"`serving.model_version` {SOURCE} must be non-empty text, "
                                "got ''")),
    ({}, {"model_version": ""}, "--model-version must be non-empty text, got ''"),
])
def test_a_wrong_setting_is_one_line_naming_it(section, overrides, message):
    with pytest.raises(ServingSettingsError) as raised:
        ServingSettings.from_params({"serving": section}, **overrides)
    assert raised.value.message == message


def test_defaults_and_overrides():
    settings = ServingSettings.from_params({"serving": {"port": 9000}}, host="0.0.0.0", port=None)
    assert (settings.host, settings.port, settings.runtime, settings.api_key()) == (
        "0.0.0.0", 9000, "onnx", None)


def test_the_api_key_comes_from_the_named_variable(monkeypatch):
    settings = ServingSettings.from_params({"serving": {"api_key_env": "TINY_KEY"}})
    monkeypatch.delenv("TINY_KEY", raising=False)
    with pytest.raises(ServingSettingsError, match="names TINY_KEY, which is not set"):
        settings.api_key()
    monkeypatch.setenv("TINY_KEY", "zx-secret-91")
    assert settings.api_key() == "zx-secret-91"
    assert "zx-secret-91" not in repr(settings)  # settings hold the variable's name only


class Custom:
    """A fitted step skl2onnx has no converter for."""

    def transform(self, rows):
        return rows


def test_an_estimator_without_a_converter_is_named_in_one_line():
    from sklearn.pipeline import Pipeline

    transformers, model = tiny_project.fit()
    custom = Pipeline([("custom", Custom()), ("model", model)])
    with pytest.raises(OnnxExportError) as raised:
        export_graph(transformers, custom, tiny_project.FEATURES)
    assert raised.value.message == (
        f"cannot export to ONNX: skl2onnx has no converter for {__name__}.Custom; set "
        "`serving.runtime: sklearn` in conf/base/parameters_api.yml to serve with "
        "scikit-learn instead")


def test_parity_passes_within_float32_and_fails_on_a_label():
    transformers, model = tiny_project.fit()
    graph = export_graph(transformers, model, tiny_project.FEATURES)
    rows = tiny_project.rows()
    expected = tiny_project.predict_frame(rows, transformers, model)
    probabilities = expected[["probability_big", "probability_small"]].to_numpy()
    labels = list(expected["predicted_label"])

    parity = check_parity(graph, rows, labels, probabilities, model.classes_)
    assert parity["checked"] and parity["max_probability_difference"] < 1e-6
    flipped = ["big" if label == "small" else "small" for label in labels]
    with pytest.raises(OnnxParityError, match=r"^the ONNX graph disagrees with scikit-learn on "
                                              r"40 of 40 rows \(first: row 0"):
        check_parity(graph, rows, flipped, probabilities, model.classes_)
    with pytest.raises(OnnxParityError, match="differ from scikit-learn's by up to 1.00e-02"):
        check_parity(graph, rows, labels, probabilities + np.float32(0.01), model.classes_)


def test_the_kedro_serve_entry_point_imports_nothing_heavy():
    """Kedro imports every plugin command module on every `kedro` call in a project."""
    heavy = ["fastapi", "uvicorn", "pydantic", "onnxruntime", "sklearn", "pandas", "numpy",
             "kedro_plugin_layout"]
    code = ("import json, sys, kedro_ml_starter.runtime.serving.cli, kedro_ml_starter.runtime; "
            f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))")
    result = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def _regression_data():
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(3)
    # Measured to a tenth, as real data is: many rows share a value near a split threshold.
    rows = pd.DataFrame({"size": rng.normal(50, 10, 300).round(1),
                         "width (cm)": rng.normal(5, 1, 300).round(1)})
    target = rows["size"] * 80 + rows["width (cm)"] * 300 + rng.normal(0, 20, 300)
    return rows, target


def _fit(rows, model, scale: bool):
    import numpy as np
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    steps = [SimpleImputer(), StandardScaler()] if scale else [SimpleImputer()]
    transformers = ColumnTransformer([("n", make_pipeline(*steps), list(rows.columns))],
                                     verbose_feature_names_out=False).fit(rows)
    features = np.asarray(transformers.transform(rows), dtype=np.float32)
    return transformers, model.fit(features, _regression_data()[1])


def test_a_regressor_exports_and_passes_parity_with_any_column_name():
    import numpy as np
    from sklearn.linear_model import Ridge

    from kedro_ml_starter.runtime import check_regression_parity, export_graph
    from kedro_ml_starter.runtime.onnx_scoring import OnnxScorer

    rows, _ = _regression_data()
    transformers, model = _fit(rows, Ridge(), scale=True)
    graph = export_graph(transformers, model, {"size": "number", "width (cm)": "number"})
    scorer = OnnxScorer(graph.content)
    assert scorer.regression and scorer.classes == []
    assert scorer.columns == ["size", "width (cm)"]  # the input itself is width__cm_
    expected = model.predict(np.asarray(transformers.transform(rows), dtype=np.float32))
    parity = check_regression_parity(graph, rows, expected)
    assert parity["checked"] and parity["rows"] == 300
    assert parity["max_relative_difference"] < 1e-6


def test_the_float32_trap_of_a_tree_behind_a_scaler_fails_parity_in_one_line():
    """Trees need no scaling; behind one, float32 rounding moves values across split
    thresholds: the check must catch it (DESIGN.md), and passes without the scaler."""
    import numpy as np
    from sklearn.ensemble import RandomForestRegressor

    from kedro_ml_starter.runtime import (
        OnnxParityError,
        check_regression_parity,
        export_graph,
    )

    rows, _ = _regression_data()
    kinds = {"size": "number", "width (cm)": "number"}
    for scale in (True, False):
        transformers, model = _fit(rows, RandomForestRegressor(30, random_state=0), scale)
        graph = export_graph(transformers, model, kinds)
        expected = model.predict(np.asarray(transformers.transform(rows), dtype=np.float32))
        if scale:
            with pytest.raises(OnnxParityError) as raised:
                check_regression_parity(graph, rows, expected)
            message = str(raised.value)
            assert message.startswith("the ONNX graph's predictions differ from "
                                      "scikit-learn's by up to ")
            assert "set `scale_numbers: false`" in message and "\n" not in message
        else:
            parity = check_regression_parity(graph, rows, expected)
            assert parity["max_relative_difference"] < 1e-6  # float32 output rounding only
