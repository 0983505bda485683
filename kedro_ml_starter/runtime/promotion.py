"""The promotion gate: a trained version is served only once it has earned it.

Stage 04 judges the model version it evaluates against `model_evaluation.promotion` in
conf/base/parameters_model_evaluation.yml. The shipped defaults hold for any dataset:

    model_evaluation:
      promotion:
        primary_metric: null          # null: f1_macro for a classifier, rmse for a regressor
        beat_naive_baseline: true     # better than a model that ignores the features
        no_worse_than_promoted: true  # and no worse than the newest promoted version,
        tolerance: 0.0                # all three scored on this run's eval split
        criteria: {}                  # thresholds of your own, e.g. {accuracy: 0.9, rmse: 12.5}

The naive baseline predicts the train split's class shares (so its label is the majority
class) or its mean target: a model that does not beat it has learned nothing from the
features. A criterion's threshold is a minimum, an error metric's (rmse, mae, log_loss,
...) a maximum. The judgement is a `Verdict`: promoted or not, and why, in one line. It
records what its version was trained to predict (`contract_signature`: target, task,
classes, features): a version trained under another data contract (before `kedro layout
use-data`, say) is neither compared with nor served.
`model_versions` keeps one per model version in `models/` and chooses what serving and
batch scoring use. Nothing here reads a file: it is the rule, written once for every
project.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kedro_ml_starter.errors import UserError

SOURCE = "conf/base/parameters_model_evaluation.yml"
KEY = "model_evaluation.promotion"
# Metrics where lower is better, by name; any name ending in `_error` or `_loss` is one too.
# sklearn's scorer names for them start with `neg_` and are negated: higher is better.
ERROR_METRICS = frozenset({"rmse", "mse", "mae", "mape", "msle", "rmsle", "log_loss",
                           "brier_score", "max_error", "hamming_loss", "zero_one_loss"})
# The primary metric when none is set: the first of these the evaluation computed.
DEFAULT_PRIMARY = ("f1_macro", "rmse")
Kind = Literal["minimum", "maximum", "no worse than promoted", "better than naive"]


class PromotionSettingsError(UserError):
    """Raised when `model_evaluation.promotion` is not usable; the message names the key."""


class UnknownMetric(UserError):
    """Raised when a criterion names a metric the evaluation did not compute."""


def lower_is_better(metric: str) -> bool:
    """True for an error metric (rmse, mae, log_loss, ...), whose threshold is a maximum."""
    name = metric.lower()
    if name.startswith("neg_"):
        return False
    return name in ERROR_METRICS or name.endswith(("_error", "_loss"))


class PromotionSettings(BaseModel):
    """`model_evaluation.promotion`: what a model version must meet to be served."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    primary_metric: str | None = Field(None, min_length=1)
    beat_naive_baseline: bool = True
    no_worse_than_promoted: bool = True
    tolerance: float = Field(0.0, ge=0, allow_inf_nan=False)
    criteria: dict[str, float] = Field(default_factory=dict)

    @classmethod
    def from_params(cls, section: Any) -> PromotionSettings:
        """The settings of a `promotion:` mapping (None or a missing key: the defaults), or
        PromotionSettingsError in one line naming the key."""
        if section is None:
            return cls.model_validate({})
        if not isinstance(section, Mapping):
            raise PromotionSettingsError(f"`{KEY}` in {SOURCE} must be a mapping of settings")
        try:
            settings = cls.model_validate(dict(section))
        except ValidationError as error:
            raise PromotionSettingsError(_one_line(error.errors()[0])) from None
        for metric, threshold in settings.criteria.items():
            if not math.isfinite(threshold):
                raise PromotionSettingsError(
                    f"`{KEY}.criteria.{metric}` in {SOURCE} must be a finite number, "
                    f"got {threshold!r}")
        return settings

    def described(self) -> dict[str, Any]:
        """The settings as plain JSON, as a verdict records them."""
        return self.model_dump()


def _one_line(problem: Any) -> str:
    location = ".".join(str(part) for part in problem["loc"])
    where = f"`{KEY}.{location}` in {SOURCE}" if location else f"`{KEY}` in {SOURCE}"
    if problem["type"] == "extra_forbidden":
        known = ", ".join(PromotionSettings.model_fields)
        return f"unknown setting {where}; known: {known}"
    if location.startswith("criteria"):
        return (f"{where} must map metric names to numbers (e.g. `accuracy: 0.9`), "
                f"got {problem.get('input')!r}")
    return f"{where}: {problem['msg'].lower()}, got {problem.get('input')!r}"


@dataclass(frozen=True)
class Check:
    """One thing a version had to meet: its value, the limit, and whether it did."""

    metric: str
    value: float
    limit: float
    kind: Kind
    passed: bool
    against: str | None = None  # the promoted version compared with

    def line(self) -> str:
        value, limit = _number(self.value), _number(self.limit)
        if self.kind == "no worse than promoted":
            relation = "no worse than" if self.passed else "worse than"
            return (f"{self.metric} {value} is {relation} {limit} of promoted version "
                    f"{self.against}")
        if self.kind == "better than naive":
            relation = "beats" if self.passed else "does not beat"
            return f"{self.metric} {value} {relation} {limit} of the naive baseline"
        if self.passed:
            return f"{self.metric} {value} {'<=' if self.kind == 'maximum' else '>='} {limit}"
        side = "above its maximum" if self.kind == "maximum" else "below its minimum"
        return f"{self.metric} {value} is {side} {limit}"


@dataclass(frozen=True)
class Verdict:
    """Stage 04's judgement of one model version, kept with it in models/."""

    model_version: str
    promoted: bool
    reason: str
    checks: tuple[Check, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    judged_at: str = ""
    contract: dict[str, Any] = field(default_factory=dict)  # see contract_signature

    def line(self) -> str:
        """`model version V promoted: ...` / `... not promoted: ...`, one line."""
        word = "promoted" if self.promoted else "not promoted"
        return f"model version {self.model_version} {word}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "checks": [asdict(check) for check in self.checks]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Verdict:
        checks = tuple(Check(**check) for check in data.get("checks", ()))
        return cls(model_version=str(data["model_version"]), promoted=bool(data["promoted"]),
                   reason=str(data["reason"]), checks=checks,
                   settings=dict(data.get("settings") or {}),
                   metrics=dict(data.get("metrics") or {}),
                   judged_at=str(data.get("judged_at", "")),
                   contract=dict(data.get("contract") or {}))

    def fits(self, signature: Mapping[str, Any] | None) -> bool:
        """True when this version was trained under the contract `signature` describes
        (None, or a verdict recording none: nothing to tell them apart by)."""
        return not signature or not self.contract or dict(signature) == self.contract


@dataclass(frozen=True)
class Comparison:
    """The candidate's eval metrics and the newest promoted version's, scored on this run's
    eval split by the same code. Empty when nothing was compared (the comparison is off,
    or no other version is promoted yet): a node's output cannot be None in Kedro."""

    candidate: Mapping[str, float] = field(default_factory=dict)
    promoted_version: str | None = None
    promoted: Mapping[str, float] = field(default_factory=dict)
    contract: Mapping[str, Any] = field(default_factory=dict)  # the candidate's signature


def contract_signature(contract: Any) -> dict[str, Any]:
    """What a model trained under `contract` (a DataContract, or `params:data_contract`)
    predicts and reads: target, task, classes and each feature's kind. Two versions with
    the same signature score the same rows and can be compared; bounds, descriptions and
    the example row do not change it."""
    # on first use: reading verdicts (serving) loads no pandera
    from kedro_ml_starter.runtime.contract import DataContract

    if not isinstance(contract, DataContract):
        contract = DataContract.from_parameters(contract)
    return {"target": contract.target, "task": contract.task,
            "classes": list(contract.classes), "features": contract.feature_kinds()}


def naive_model(features: Any, target: Any, *, classification: bool) -> Any:
    """The naive baseline, fitted on the train split: a scikit-learn model that ignores
    `features` and predicts the train `target`'s class shares (its label: the majority
    class) or its mean. Scored like the model, it is what a model worth serving beats."""
    # scikit-learn on first use: only stage 04 fits a baseline
    from sklearn.dummy import DummyClassifier, DummyRegressor

    if classification:
        return DummyClassifier(strategy="prior").fit(features, target.astype(str))
    return DummyRegressor(strategy="mean").fit(features, target.astype(float))


def fit_naive_model(train_features: Any, data_contract: Any) -> Any:
    """Stage 04's node, either engine: the naive baseline fitted on the train split's
    features, the target column `params:data_contract` names among them; `naive_model`
    for a pandas frame, `spark_baseline.fit_spark_naive_model` for a Spark one."""
    # on first use: reading verdicts (serving) loads no pandera
    from kedro_ml_starter.runtime.contract import DataContract

    contract = DataContract.from_parameters(data_contract)
    if hasattr(train_features, "groupBy"):  # a Spark DataFrame; pandas has no groupBy
        # pyspark loads with it: a Spark project's stage 04 is the one caller
        from kedro_ml_starter.runtime.spark_baseline import fit_spark_naive_model

        return fit_spark_naive_model(train_features, contract)
    return naive_model(train_features.drop(columns=[contract.target]),
                       train_features[contract.target],
                       classification=contract.classification)


def judge(model_version: str, metrics: Mapping[str, Any], settings: PromotionSettings,
          comparison: Comparison | None = None,
          naive: Mapping[str, Any] | None = None) -> Verdict:
    """The verdict on `model_version`, whose eval metrics are `metrics` (metrics.json's
    eval section), against the `naive` baseline's eval metrics and the promoted version's
    (`comparison`, None or empty when there is none to compare with): all three scored
    by the same code on the same rows.

    A criterion naming a metric the evaluation did not compute is UnknownMetric: a typo
    must not pass for a model that failed. A metric that is not a number (NaN: undefined
    on this split) fails its check.
    """
    numbers = _numbers(metrics)
    compared = comparison or Comparison()
    checks = [_threshold(metric, limit, metrics) for metric, limit in settings.criteria.items()]
    notes: list[str] = []
    if settings.beat_naive_baseline:
        if not naive:
            raise PromotionSettingsError(
                f"`{KEY}.beat_naive_baseline` in {SOURCE} is on, but the evaluation scored "
                "no naive baseline: set it to false, or give stage 04's verdict one")
        primary = _primary(settings, numbers)
        checks.append(_against(primary, numbers, _numbers(naive), "better than naive", 0.0))
    if settings.no_worse_than_promoted and compared.promoted_version is None:
        notes.append("no promoted version to compare with yet")
    elif settings.no_worse_than_promoted:
        candidate = _numbers(compared.candidate) or numbers
        primary = _primary(settings, candidate)
        checks.append(_against(primary, candidate, _numbers(compared.promoted),
                               "no worse than promoted", settings.tolerance,
                               compared.promoted_version))
    if not checks:
        notes.append(f"no criteria in `{KEY}`: every version is promoted")
    failed = [check for check in checks if not check.passed]
    if failed:
        reason = "; ".join(check.line() for check in failed)
    else:
        reason = "; ".join([*(check.line() for check in checks), *notes])
    return Verdict(model_version=model_version, promoted=not failed, reason=reason,
                   checks=tuple(checks), settings=settings.described(), metrics=numbers,
                   judged_at=datetime.now(UTC).isoformat(timespec="milliseconds"),
                   contract=dict(compared.contract))


def _primary(settings: PromotionSettings, scores: Mapping[str, Any]) -> str:
    """The metric comparisons use: the one set, else the task's usual one."""
    if settings.primary_metric:
        return settings.primary_metric
    found = next((name for name in DEFAULT_PRIMARY if name in scores), None)
    if found is None:
        raise UnknownMetric(
            f"`{KEY}.primary_metric` in {SOURCE} is null, and the evaluation computed none of "
            f"{', '.join(DEFAULT_PRIMARY)}: set it to one of {_listed(scores)}")
    return found


def _threshold(metric: str, limit: float, metrics: Mapping[str, Any]) -> Check:
    if metric not in metrics:
        raise UnknownMetric(
            f"`{KEY}.criteria` in {SOURCE} names `{metric}`, which the evaluation did not "
            f"compute; metrics.json's eval section has {_listed(_numbers(metrics))}")
    value = _value(metrics[metric])
    kind: Kind = "maximum" if lower_is_better(metric) else "minimum"
    passed = value <= limit if kind == "maximum" else value >= limit  # NaN: False
    return Check(metric, value, float(limit), kind, passed)


def _against(metric: str, candidate: Mapping[str, Any], other: Mapping[str, Any],
             kind: Kind, tolerance: float, against: str | None = None) -> Check:
    """The candidate against the naive baseline (strictly better) or the promoted version
    (no worse, within `tolerance`) on `metric`."""
    side = "the naive baseline" if kind == "better than naive" else "the promoted version"
    for scores, what in ((candidate, "the candidate"), (other, side)):
        if metric not in scores:
            raise UnknownMetric(
                f"`{KEY}.primary_metric` in {SOURCE} is `{metric}`, which the evaluation on "
                f"the eval split did not compute for {what}; it has {_listed(scores)}")
    value, limit = _value(candidate[metric]), _value(other[metric])
    lower = lower_is_better(metric)
    if kind == "better than naive":
        passed = value < limit if lower else value > limit
    else:
        passed = value <= limit + tolerance if lower else value >= limit - tolerance
    return Check(metric, value, limit, kind, passed, against)


def _numbers(metrics: Mapping[str, Any]) -> dict[str, float]:
    """The top-level finite numbers of an eval section: per-class reports, matrices and
    undefined metrics (null, NaN: a ROC AUC on a split of one class) left out."""
    return {str(name): value for name, raw in metrics.items()
            if math.isfinite(value := _value(raw))}


def _value(raw: Any) -> float:
    """A metric as a float; NaN when it is undefined (null) or not a number."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return math.nan
    return float(raw)


def _listed(names: Iterable[str]) -> str:
    ordered = sorted(names)
    return ", ".join(ordered) if ordered else "no number"


def _number(value: float) -> str:
    return f"{value:.6g}"
