"""The estimator as a parameter: any scikit-learn estimator by import path and arguments,
fit for the contract's task; every mistake one line naming the parameter."""

from __future__ import annotations

import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from kedro_ml_starter.runtime import EstimatorError, make_estimator


def test_an_estimator_is_built_from_its_import_path_and_arguments():
    spec = {"type": "sklearn.ensemble.HistGradientBoostingClassifier",
            "arguments": {"max_iter": 50}}
    model = make_estimator(spec, "classification")
    assert isinstance(model, HistGradientBoostingClassifier) and model.max_iter == 50
    assert make_estimator({"type": "sklearn.linear_model.Ridge"}, "regression").alpha == 1.0


@pytest.mark.parametrize(("spec", "task", "message"), [
    ({"type": "sklearn.linear_model.Ridge"}, "classification",
     ("sklearn.linear_model.Ridge is not a classifier, and the data contract's task is "
     "classification")),
    ({"type": "sklearn.linear_model.LogisticRegression"}, "regression",
     "sklearn.linear_model.LogisticRegression is not a regressor"),
    ({"type": "sklearn.linear_model.Nope"}, "regression", ("`model_training.estimator` in "
     "conf/base/parameters_model_training.yml names 'sklearn.linear_model.Nope', which cannot "
     "be imported")),
    ({"type": "os.path.join"}, "regression", ("`model_training.estimator` in conf/base/"
     "parameters_model_training.yml names 'os.path.join', which cannot be imported")),
    ({"type": "collections.OrderedDict"}, "regression", ("collections.OrderedDict is not an "
     "estimator")),
    ({"type": "sklearn.linear_model.Ridge", "arguments": {"alhpa": 1}}, "regression",
     "sklearn.linear_model.Ridge does not take these arguments"),
    ({"type": "sklearn.svm.SVC"}, "classification", ("sklearn.svm.SVC gives no class "
     "probabilities")),
    ({"arguments": {}}, "classification", ("`model_training.estimator` in conf/base/"
     "parameters_model_training.yml needs `type:`")),
    ({"type": "sklearn.linear_model.Ridge", "kwargs": {}}, "regression",
     ("`model_training.estimator` in conf/base/parameters_model_training.yml has unknown key "
     "'kwargs'")),
])
def test_a_wrong_estimator_is_one_line_naming_the_fix(spec, task, message):
    with pytest.raises(EstimatorError) as raised:
        make_estimator(spec, task)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)
