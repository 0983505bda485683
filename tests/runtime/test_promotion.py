"""kedro_ml_starter.runtime.promotion: the settings, the direction of a metric, the verdict."""

from __future__ import annotations

import json
import math

import pytest

from kedro_ml_starter.errors import UserError
from kedro_ml_starter.runtime.promotion import (
    Comparison,
    PromotionSettings,
    PromotionSettingsError,
    UnknownMetric,
    Verdict,
    judge,
    lower_is_better,
)

V1, V2 = "2026-01-01T00.00.00.000Z", "2026-01-02T00.00.00.000Z"
EVAL = {"rows": 69, "accuracy": 0.971, "f1_macro": 0.965, "roc_auc": 0.99,
        "per_class": {"Adelie": {"f1-score": 0.97}}, "confusion_matrix": {"counts": [[1]]}}
WHERE = "in conf/base/parameters_model_evaluation.yml"


def settings(**given) -> PromotionSettings:
    return PromotionSettings.from_params(given)


@pytest.mark.parametrize(("metric", "lower"), [
    ("rmse", True), ("mae", True), ("log_loss", True), ("RMSE", True), ("brier_score", True),
    ("mean_absolute_percentage_error", True), ("hinge_loss", True),
    ("accuracy", False), ("f1_macro", False), ("r2", False), ("roc_auc", False),
    ("neg_root_mean_squared_error", False), ("recall", False),
])
def test_an_error_metrics_threshold_is_a_maximum_any_other_a_minimum(metric, lower):
    assert lower_is_better(metric) is lower


def test_settings_read_every_key_and_no_section_means_no_criteria():
    read = settings(criteria={"accuracy": 0.9, "rmse": 3}, primary_metric="f1_macro",
                    no_worse_than_promoted=True, tolerance=0.01)
    assert read.criteria == {"accuracy": 0.9, "rmse": 3.0}
    assert (read.primary_metric, read.no_worse_than_promoted, read.tolerance) == (
        "f1_macro", True, 0.01)
    assert PromotionSettings.from_params(None) == PromotionSettings.from_params({})
    assert PromotionSettings.from_params(None).criteria == {}


@pytest.mark.parametrize(("given", "message"), [
    ({"criteria": {"accuracy": "0.9"}},
     "`model_evaluation.promotion.criteria.accuracy` " + WHERE + " must map metric names to "
     "numbers (e.g. `accuracy: 0.9`), got '0.9'"),
    ({"criteria": {"accuracy": True}}, "`model_evaluation.promotion.criteria.accuracy` "),
    ({"criteria": ["accuracy"]}, "`model_evaluation.promotion.criteria` " + WHERE),
    ({"criteria": {"accuracy": math.nan}},
     "`model_evaluation.promotion.criteria.accuracy` " + WHERE + " must be a finite number, "
     "got nan"),
    ({"criterion": {"accuracy": 0.9}},
     "unknown setting `model_evaluation.promotion.criterion` " + WHERE + "; known: criteria, "
     "primary_metric, no_worse_than_promoted, tolerance"),
    ({"no_worse_than_promoted": True},
     "`model_evaluation.promotion.no_worse_than_promoted` " + WHERE + " compares the primary "
     "metric: set `model_evaluation.promotion.primary_metric`"),
    ({"no_worse_than_promoted": "yes", "primary_metric": "f1_macro"},
     "`model_evaluation.promotion.no_worse_than_promoted` " + WHERE + ": input should be a "
     "valid boolean, got 'yes'"),
    ({"tolerance": -0.1}, "`model_evaluation.promotion.tolerance` " + WHERE),
])
def test_a_bad_setting_is_one_user_error_line_naming_the_key(given, message):
    with pytest.raises(PromotionSettingsError) as error:
        PromotionSettings.from_params(given)
    assert isinstance(error.value, UserError)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_a_section_that_is_not_a_mapping_is_refused():
    with pytest.raises(PromotionSettingsError, match="`model_evaluation.promotion` in conf/"):
        PromotionSettings.from_params([0.9])


def test_a_version_meeting_every_criterion_is_promoted_saying_so():
    verdict = judge(V1, EVAL, settings(criteria={"accuracy": 0.9, "f1_macro": 0.95}))

    assert verdict.promoted
    assert verdict.model_version == V1
    assert verdict.reason == "accuracy 0.971 >= 0.9; f1_macro 0.965 >= 0.95"
    assert verdict.line() == f"model version {V1} promoted: accuracy 0.971 >= 0.9; f1_macro " \
                             "0.965 >= 0.95"
    # only the top-level numbers: no per-class report, no matrix
    assert verdict.metrics == {"rows": 69.0, "accuracy": 0.971, "f1_macro": 0.965,
                               "roc_auc": 0.99}
    assert verdict.judged_at.endswith("+00:00")


def test_a_version_missing_a_minimum_or_over_a_maximum_is_not_promoted_naming_only_failures():
    verdict = judge(V1, {**EVAL, "log_loss": 0.2},
                    settings(criteria={"accuracy": 1.01, "f1_macro": 0.9, "log_loss": 0.1}))

    assert not verdict.promoted
    assert verdict.reason == ("accuracy 0.971 is below its minimum 1.01; log_loss 0.2 is above "
                              "its maximum 0.1")
    assert [c.passed for c in verdict.checks] == [False, True, False]
    assert [c.kind for c in verdict.checks] == ["minimum", "minimum", "maximum"]


def test_a_regression_error_under_its_maximum_passes():
    verdict = judge(V1, {"rmse": 11.5, "mae": 9.0, "r2": 0.41},
                    settings(criteria={"rmse": 12.5, "r2": 0.4}))
    assert verdict.promoted and verdict.reason == "rmse 11.5 <= 12.5; r2 0.41 >= 0.4"


def test_a_metric_that_is_not_a_number_fails_its_check():
    verdict = judge(V1, {**EVAL, "roc_auc": math.nan}, settings(criteria={"roc_auc": 0.5}))
    assert not verdict.promoted
    assert verdict.reason == "roc_auc nan is below its minimum 0.5"


def test_a_criterion_on_a_metric_the_evaluation_lacks_is_a_user_error_listing_what_it_has():
    with pytest.raises(UnknownMetric) as error:
        judge(V1, EVAL, settings(criteria={"acuracy": 0.9}))
    assert str(error.value) == (
        "`model_evaluation.promotion.criteria` " + WHERE + " names `acuracy`, which the "
        "evaluation did not compute; metrics.json's eval section has accuracy, f1_macro, "
        "roc_auc, rows")


def test_without_criteria_every_version_is_promoted_and_the_verdict_says_why():
    verdict = judge(V1, EVAL, settings())
    assert verdict.promoted
    assert verdict.reason == ("no criteria in `model_evaluation.promotion`: every version is "
                              "promoted")


COMPARED = {"criteria": {"accuracy": 0.9}, "primary_metric": "f1_macro",
            "no_worse_than_promoted": True}


def test_the_first_version_passes_the_comparison_as_there_is_nothing_to_compare_with():
    for nothing in (None, Comparison()):
        verdict = judge(V1, EVAL, settings(**COMPARED), comparison=nothing)
        assert verdict.promoted
        assert verdict.reason == "accuracy 0.971 >= 0.9; no promoted version to compare with yet"


@pytest.mark.parametrize(("candidate", "promoted", "tolerance", "passed"), [
    (0.96, 0.96, 0.0, True),    # equal is no worse
    (0.97, 0.96, 0.0, True),
    (0.95, 0.96, 0.0, False),
    (0.955, 0.96, 0.01, True),  # within the tolerance
])
def test_the_primary_metric_is_no_worse_than_the_promoted_versions(candidate, promoted,
                                                                   tolerance, passed):
    comparison = Comparison(V1, {"f1_macro": candidate}, {"f1_macro": promoted})
    verdict = judge(V2, EVAL, settings(**COMPARED, tolerance=tolerance), comparison)

    assert verdict.promoted is passed
    check = verdict.checks[-1]
    assert (check.kind, check.against, check.value, check.limit) == (
        "no worse than promoted", V1, candidate, promoted)
    if not passed:
        assert verdict.reason == (f"f1_macro {candidate:g} is worse than {promoted:g} of "
                                  f"promoted version {V1}")


def test_an_error_metric_is_no_worse_when_it_is_not_higher():
    comparison = Comparison(V1, {"rmse": 10.0}, {"rmse": 9.0})
    verdict = judge(V2, {"rmse": 10.0},
                    settings(primary_metric="rmse", no_worse_than_promoted=True), comparison)
    assert not verdict.promoted
    assert verdict.reason == f"rmse 10 is worse than 9 of promoted version {V1}"


def test_a_primary_metric_the_comparison_lacks_is_a_user_error():
    comparison = Comparison(V1, {"accuracy": 0.9}, {"accuracy": 0.9})
    with pytest.raises(UnknownMetric, match="`model_evaluation.promotion.primary_metric` .* is "
                                            "`f1_macro`, which the comparison of the candidate"):
        judge(V2, EVAL, settings(**COMPARED), comparison)


def test_a_verdict_survives_a_json_round_trip():
    comparison = Comparison(V1, {"f1_macro": 0.97}, {"f1_macro": 0.96})
    verdict = judge(V2, EVAL, settings(**COMPARED), comparison)
    assert Verdict.from_json(json.loads(json.dumps(verdict.to_json()))) == verdict
    assert verdict.to_json()["settings"] == {"criteria": {"accuracy": 0.9},
                                             "primary_metric": "f1_macro",
                                             "no_worse_than_promoted": True, "tolerance": 0.0}
