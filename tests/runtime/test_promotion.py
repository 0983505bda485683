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
    naive_model,
)

V1, V2 = "2026-01-01T00.00.00.000Z", "2026-01-02T00.00.00.000Z"
EVAL = {"rows": 69, "accuracy": 0.971, "f1_macro": 0.965, "roc_auc": 0.99,
        "per_class": {"Adelie": {"f1-score": 0.97}}, "confusion_matrix": {"counts": [[1]]}}
WHERE = "in conf/base/parameters_model_evaluation.yml"


def settings(**given) -> PromotionSettings:
    """Thresholds only, unless the comparisons are asked for."""
    return PromotionSettings.from_params(
        {"beat_naive_baseline": False, "no_worse_than_promoted": False, **given})


@pytest.mark.parametrize(("metric", "lower"), [
    ("rmse", True), ("mae", True), ("log_loss", True), ("RMSE", True), ("brier_score", True),
    ("mean_absolute_percentage_error", True), ("hinge_loss", True),
    ("accuracy", False), ("f1_macro", False), ("r2", False), ("roc_auc", False),
    ("neg_root_mean_squared_error", False), ("recall", False),
])
def test_an_error_metrics_threshold_is_a_maximum_any_other_a_minimum(metric, lower):
    assert lower_is_better(metric) is lower


def test_settings_read_every_key_and_the_defaults_hold_for_any_dataset():
    read = settings(criteria={"accuracy": 0.9, "rmse": 3}, primary_metric="f1_macro",
                    no_worse_than_promoted=True, tolerance=0.01)
    assert read.criteria == {"accuracy": 0.9, "rmse": 3.0}
    assert (read.primary_metric, read.no_worse_than_promoted, read.tolerance) == (
        "f1_macro", True, 0.01)
    assert not read.beat_naive_baseline
    defaults = PromotionSettings.from_params(None)
    assert defaults == PromotionSettings.from_params({})
    # no threshold tied to a dataset: better than naive, no worse than the promoted
    assert (defaults.criteria, defaults.primary_metric) == ({}, None)
    assert defaults.beat_naive_baseline and defaults.no_worse_than_promoted
    assert defaults.tolerance == 0.0


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
     "unknown setting `model_evaluation.promotion.criterion` " + WHERE + "; known: "
     "primary_metric, beat_naive_baseline, no_worse_than_promoted, tolerance, criteria"),
    ({"primary_metric": ""}, "`model_evaluation.promotion.primary_metric` " + WHERE),
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


@pytest.mark.parametrize("undefined", [math.nan, None])
def test_an_undefined_metric_fails_its_check_and_is_left_out_of_the_record(undefined):
    verdict = judge(V1, {**EVAL, "roc_auc": undefined}, settings(criteria={"roc_auc": 0.5}))
    assert not verdict.promoted
    assert verdict.reason == "roc_auc nan is below its minimum 0.5"
    assert "roc_auc" not in verdict.metrics  # the record holds finite numbers only


def test_a_criterion_on_a_metric_the_evaluation_lacks_is_a_user_error_listing_what_it_has():
    with pytest.raises(UnknownMetric) as error:
        judge(V1, EVAL, settings(criteria={"acuracy": 0.9}))
    assert str(error.value) == (
        "`model_evaluation.promotion.criteria` " + WHERE + " names `acuracy`, which the "
        "evaluation did not compute; metrics.json's eval section has accuracy, f1_macro, "
        "roc_auc, rows")


def test_with_every_check_off_every_version_is_promoted_and_the_verdict_says_why():
    verdict = judge(V1, EVAL, settings())
    assert verdict.promoted
    assert verdict.reason == ("no criteria in `model_evaluation.promotion`: every version is "
                              "promoted")


COMPARED = {"criteria": {"accuracy": 0.9}, "primary_metric": "f1_macro",
            "no_worse_than_promoted": True}
NAIVE = {"f1_macro": 0.28, "accuracy": 0.44, "rmse": 80.0}


def test_the_first_version_passes_the_comparison_as_there_is_nothing_to_compare_with():
    for nothing in (None, Comparison()):
        verdict = judge(V1, EVAL, settings(**COMPARED), comparison=nothing)
        assert verdict.promoted
        assert verdict.reason == "accuracy 0.971 >= 0.9; no promoted version to compare with yet"


def test_by_default_a_first_version_must_beat_the_naive_baseline_on_its_tasks_metric():
    defaults = PromotionSettings.from_params(None)
    first = judge(V1, EVAL, defaults, Comparison(), NAIVE)
    assert first.promoted
    assert first.reason == ("f1_macro 0.965 beats 0.28 of the naive baseline; no promoted "
                            "version to compare with yet")
    naive_like = judge(V1, {**EVAL, "f1_macro": 0.28}, defaults, Comparison(), NAIVE)
    assert not naive_like.promoted  # as good as guessing is not good enough
    assert naive_like.reason == "f1_macro 0.28 does not beat 0.28 of the naive baseline"


def test_a_regressor_is_compared_on_rmse_where_lower_is_better():
    defaults = PromotionSettings.from_params(None)
    better = judge(V1, {"rmse": 55.0, "mae": 40.0, "r2": 0.5}, defaults, None, NAIVE)
    worse = judge(V1, {"rmse": 90.0}, defaults, None, NAIVE)
    assert better.promoted and better.reason.startswith("rmse 55 beats 80 of the naive")
    assert not worse.promoted and worse.reason == "rmse 90 does not beat 80 of the naive baseline"


def test_without_a_primary_metric_the_evaluation_must_compute_a_usual_one():
    with pytest.raises(UnknownMetric, match="is null, and the evaluation computed none of "
                                            "f1_macro, rmse: set it to one of"):
        judge(V1, {"score": 1.0}, PromotionSettings.from_params(None), None, {"score": 0.5})


def test_beating_the_naive_baseline_needs_one_scored():
    with pytest.raises(PromotionSettingsError, match="scored no naive baseline"):
        judge(V1, EVAL, PromotionSettings.from_params(None), Comparison())


@pytest.mark.parametrize(("candidate", "promoted", "tolerance", "passed"), [
    (0.96, 0.96, 0.0, True),    # equal is no worse
    (0.97, 0.96, 0.0, True),
    (0.95, 0.96, 0.0, False),
    (0.955, 0.96, 0.01, True),  # within the tolerance
])
def test_the_primary_metric_is_no_worse_than_the_promoted_versions(candidate, promoted,
                                                                   tolerance, passed):
    comparison = Comparison({"f1_macro": candidate}, V1, {"f1_macro": promoted})
    verdict = judge(V2, EVAL, settings(**COMPARED, tolerance=tolerance), comparison)

    assert verdict.promoted is passed
    check = verdict.checks[-1]
    assert (check.kind, check.against, check.value, check.limit) == (
        "no worse than promoted", V1, candidate, promoted)
    if not passed:
        assert verdict.reason == (f"f1_macro {candidate:g} is worse than {promoted:g} of "
                                  f"promoted version {V1}")


def test_an_error_metric_is_no_worse_when_it_is_not_higher():
    comparison = Comparison({"rmse": 10.0}, V1, {"rmse": 9.0})
    verdict = judge(V2, {"rmse": 10.0},
                    settings(primary_metric="rmse", no_worse_than_promoted=True), comparison)
    assert not verdict.promoted
    assert verdict.reason == f"rmse 10 is worse than 9 of promoted version {V1}"


def test_a_primary_metric_the_comparison_lacks_is_a_user_error():
    comparison = Comparison({"accuracy": 0.9}, V1, {"accuracy": 0.9})
    with pytest.raises(UnknownMetric, match="`model_evaluation.promotion.primary_metric` .* is "
                                            "`f1_macro`, which the evaluation on the eval "
                                            "split did not compute for the candidate"):
        judge(V2, EVAL, settings(**COMPARED), comparison)


def test_a_verdict_survives_a_json_round_trip():
    comparison = Comparison({"f1_macro": 0.97}, V1, {"f1_macro": 0.96})
    verdict = judge(V2, EVAL, settings(**COMPARED, beat_naive_baseline=True), comparison,
                    NAIVE)
    assert Verdict.from_json(json.loads(json.dumps(verdict.to_json()))) == verdict
    assert [check.kind for check in verdict.checks] == [
        "minimum", "better than naive", "no worse than promoted"]
    assert verdict.to_json()["settings"] == {
        "primary_metric": "f1_macro", "beat_naive_baseline": True,
        "no_worse_than_promoted": True, "tolerance": 0.0, "criteria": {"accuracy": 0.9}}


@pytest.mark.parametrize("classification", [True, False])
def test_the_naive_model_ignores_the_features(classification):
    import pandas as pd

    train = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]})
    target = pd.Series(["a", "a", "a", "b"] if classification else [1.0, 2.0, 3.0, 6.0])
    model = naive_model(train, target, classification=classification)
    other_rows = pd.DataFrame({"x": [100.0, -5.0]})
    if classification:
        assert list(model.classes_) == ["a", "b"]
        assert model.predict_proba(other_rows).tolist() == [[0.75, 0.25], [0.75, 0.25]]
        assert list(model.predict(other_rows)) == ["a", "a"]  # the majority class
    else:
        assert list(model.predict(other_rows)) == [3.0, 3.0]  # the train mean
