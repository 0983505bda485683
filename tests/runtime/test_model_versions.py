"""kedro_ml_starter.runtime.model_versions: verdict records, choosing the version to serve,
loading it with its transformers, and the stage 04 comparison, on a tmp models/ folder."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

import pytest
from kedro.io.core import DatasetError, Version

from kedro_ml_starter.errors import UserError
from kedro_ml_starter.runtime.datasets import ModelPickleDataset
from kedro_ml_starter.runtime.model_versions import (
    ModelVersions,
    ModelVersionsDataset,
    NoPromotedVersion,
    VersionRefused,
)
from kedro_ml_starter.runtime.promotion import Comparison, PromotionSettings, Verdict, judge

V1, V2, V3 = ("2026-01-01T00.00.00.000Z", "2026-01-02T00.00.00.000Z",
              "2026-01-03T00.00.00.000Z")
PICKLE = "kedro_ml_starter.runtime.datasets.ModelPickleDataset"
LOGGER = "kedro_ml_starter.runtime.model_versions"


def verdict(version: str, promoted: bool, reason: str = "", judged_at: str = "") -> Verdict:
    return Verdict(version, promoted, reason or ("accuracy 0.97 >= 0.9" if promoted else
                                                 "accuracy 0.97 is below its minimum 1.01"),
                   judged_at=judged_at or f"{version[:10]}T12:00:00+00:00")


def save(models: Path, name: str, version: str, data: object) -> None:
    ModelPickleDataset(filepath=str(models / name), version=Version(None, version)).save(data)


def store(models: Path) -> ModelVersionsDataset:
    return ModelVersionsDataset(
        filepath=str(models / "verdicts"),
        model={"type": PICKLE, "filepath": str(models / "model.pkl")},
        transformers={"type": PICKLE, "filepath": str(models / "transformers.pkl")})


@pytest.fixture
def models(tmp_path: Path) -> Path:
    """Transformers fitted at V1 only (V2 and V3 were trained alone on them); models at V1,
    V2, V3; V1 promoted, V2 not, V3 never judged."""
    models = tmp_path / "models"
    save(models, "transformers.pkl", V1, "transformers@V1")
    for version in (V1, V2, V3):
        save(models, "model.pkl", version, f"model@{version}")
    verdicts = store(models)
    verdicts.save(verdict(V1, True))
    verdicts.save(verdict(V2, False))
    return models


def test_a_verdict_is_written_atomically_with_its_record_and_loads_back(tmp_path):
    folder = tmp_path / "verdicts"
    dataset = store(tmp_path)
    assert dataset.load().verdicts == {} and dataset.load().latest_verdict() is None
    dataset.save(verdict(V1, True))

    assert sorted(p.name for p in folder.iterdir()) == [f"{V1}.json", f"{V1}.json.complete"]
    assert json.loads((folder / f"{V1}.json").read_text())["promoted"] is True
    assert dataset.load().verdicts == {V1: verdict(V1, True)}


def test_the_latest_verdict_is_the_one_judged_last_not_the_newest_version(tmp_path):
    dataset = store(tmp_path)
    dataset.save(verdict(V2, True, judged_at="2026-01-02T12:00:00+00:00"))
    dataset.save(verdict(V1, False, judged_at="2026-01-05T12:00:00+00:00"))  # judged again
    assert dataset.load().latest_verdict().model_version == V1


def test_a_verdict_a_killed_run_left_without_its_record_is_skipped_with_one_line(
    models, caplog
):
    (models / "verdicts" / f"{V1}.json.complete").unlink()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        versions = store(models).load()
    assert V1 not in versions.verdicts and V2 in versions.verdicts
    assert [r.getMessage() for r in caplog.records] == [
        (f"Skipping the verdict {models / 'verdicts' / f'{V1}.json'}: {V1}.json has no "
        "completeness record (a run stopped while saving it)")]


def test_a_cut_short_or_edited_verdict_is_skipped(models, caplog):
    path = models / "verdicts" / f"{V1}.json"
    path.write_text(path.read_text().replace("0.97", "0.99"))  # same size, other bytes
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert V1 not in store(models).load().verdicts
    assert "does not match its SHA-256 record" in caplog.text


def test_saving_says_in_one_line_what_a_verdict_means_for_serving(tmp_path, caplog):
    dataset = store(tmp_path / "models")
    kept = tmp_path / "models" / "model.pkl"
    with caplog.at_level(logging.INFO, logger=LOGGER):
        dataset.save(verdict(V1, False))
        dataset.save(verdict(V2, True))
        dataset.save(verdict(V3, False))
    lines = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert lines == [
        ("WARNING", (f"Model version {V1} not promoted: accuracy 0.97 is below its minimum "
                     f"1.01. It is kept in {kept}; no version is promoted yet, so there is "
                     "nothing to serve.")),
        ("INFO", (f"Model version {V2} promoted: accuracy 0.97 >= 0.9. `kedro serve` (from "
                  "its next start) and batch scoring use it, unless `serving.model_version` "
                  "pins another.")),
        ("WARNING", (f"Model version {V3} not promoted: accuracy 0.97 is below its minimum "
                     f"1.01. It is kept in {kept}; serving stays on model version {V2}, the "
                     "newest promoted.")),
    ]


def test_the_kept_model_is_named_relative_to_the_working_folder(tmp_path, caplog,
                                                                 monkeypatch):
    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        store(tmp_path / "models").save(verdict(V1, False))
    assert "It is kept in models/model.pkl; " in caplog.text


def test_only_a_verdict_is_saved(tmp_path):
    with pytest.raises(DatasetError, match="dict is not a Verdict: this dataset saves"):
        store(tmp_path).save({"promoted": True})


def test_the_newest_promoted_version_is_chosen_and_loaded_with_its_transformers(models):
    versions = store(models).load()

    assert versions.versions == [V1, V2, V3] and versions.newest == V3
    assert versions.promoted() == [V1]
    assert versions.choose() == V1
    loaded = versions.served()
    assert (loaded.version, loaded.model, loaded.transformers) == (
        V1, f"model@{V1}", "transformers@V1")
    assert loaded.verdict == verdict(V1, True)


def test_a_later_version_is_served_with_the_newest_transformers_not_newer_than_it(models):
    save(models, "transformers.pkl", "2026-01-02T12.00.00.000Z", "transformers@V2.5")
    store(models).save(verdict(V3, True))
    versions = store(models).load()

    assert versions.choose() == V3
    assert versions.load(V3).transformers == "transformers@V2.5"
    assert versions.load(V1).transformers == "transformers@V1"
    assert versions.load(V1).transformers_version == V1


def test_a_promoted_version_whose_model_is_incomplete_is_never_chosen(models):
    store(models).save(verdict(V3, True))
    (models / "model.pkl" / V3 / "model.pkl.complete").unlink()
    versions = store(models).load()
    assert versions.versions == [V1, V2] and versions.choose() == V1


def test_a_pin_on_a_promoted_version_is_served(models):
    store(models).save(verdict(V3, True))
    versions = store(models).load()
    assert versions.choose() == V3
    assert versions.choose(V1, pinned_by="--model-version") == V1
    assert versions.served(V1).model == f"model@{V1}"


@pytest.mark.parametrize(("pin", "message"), [
    ("2025-01-01T00.00.00.000Z", ("--model-version names model version 2025-01-01T00.00.00.000Z"
                                 ", which models/ does not hold (complete); promoted versions: "
                                 f"{V1} (newest last)")),
    (V2, (f"--model-version names model version {V2}, which was not promoted (accuracy 0.97 is "
         f"below its minimum 1.01); promoted versions: {V1} (newest last)")),
    (V3, (f"--model-version names model version {V3}, which was never judged by the evaluation "
         f"stage; promoted versions: {V1} (newest last)")),
    ("../model.pkl", ("--model-version '../model.pkl' is not a model version; promoted "
                     f"versions: {V1} (newest last)")),
    ("", "--model-version '' is not a model version"),
])
def test_an_unknown_unpromoted_or_unjudged_pin_is_refused_in_one_line(models, pin, message):
    with pytest.raises(VersionRefused) as error:
        store(models).load().choose(pin, pinned_by="--model-version")
    assert isinstance(error.value, UserError)
    assert str(error.value).startswith(message)


def test_with_nothing_promoted_the_refusal_says_what_to_run_or_change(tmp_path, models):
    empty = store(tmp_path / "empty").load()
    with pytest.raises(NoPromotedVersion, match="^no trained model in models/: run `kedro run` first .it trains, evaluates "
                                           "and promotes.$"):
        empty.choose()
    assert empty.newest is None and empty.promoted() == []

    (models / "verdicts" / f"{V1}.json").unlink()
    with pytest.raises(NoPromotedVersion) as error:
        store(models).load().choose(run_first="run `kedro run` (stages 01-04)")
    assert str(error.value) == (
        f"no model version is promoted; the newest judged, {V2}, was not: accuracy 0.97 is "
        "below its minimum 1.01. Train a better model or change `model_evaluation.promotion` "
        "in conf/base/parameters_model_evaluation.yml; run `kedro run` (stages 01-04)")

    for path in (models / "verdicts").iterdir():
        path.unlink()
    with pytest.raises(NoPromotedVersion, match=f"no model version has a verdict yet .model "
                                                f"version {V3} was never judged"):
        store(models).load().choose()


def test_an_empty_store_exists(tmp_path):
    assert store(tmp_path / "nowhere").exists()  # choosing from it says what to run


COMPARED = PromotionSettings.from_params({"criteria": {"accuracy": 0.9},
                                          "primary_metric": "f1_macro",
                                          "beat_naive_baseline": False})
OFF = {"beat_naive_baseline": False, "no_worse_than_promoted": False}


def test_the_candidate_is_compared_with_the_newest_other_promoted_version(models):
    scored = []

    def score(transformers, model):
        scored.append((transformers, model))
        return {"f1_macro": 0.96}

    versions = store(models).load()
    comparison = versions.compare(COMPARED, score, {"f1_macro": 0.95, "rows": 69})
    verdict_v3 = versions.judge({"accuracy": 0.97}, COMPARED, comparison)

    assert scored == [("transformers@V1", f"model@{V1}")]  # only the promoted is scored
    assert comparison == Comparison({"f1_macro": 0.95, "rows": 69}, V1, {"f1_macro": 0.96})
    assert verdict_v3.model_version == V3 and not verdict_v3.promoted
    assert verdict_v3.reason == f"f1_macro 0.95 is worse than 0.96 of promoted version {V1}"


def test_there_is_no_comparison_when_it_is_off_or_nothing_else_is_promoted(models, tmp_path):
    versions = store(models).load()
    assert versions.compare(OFF, _never, {"f1_macro": 0.9}) == Comparison()
    only_v1 = store(tmp_path / "only")
    save(tmp_path / "only", "model.pkl", V1, "m")
    save(tmp_path / "only", "transformers.pkl", V1, "t")
    store(tmp_path / "only").save(verdict(V1, True))
    # re-judging V1 itself: nothing else to compare with
    assert only_v1.load().compare(COMPARED, _never, {"f1_macro": 0.9}) == Comparison()
    in_memory = ModelVersions([V1], {})  # a test's run on an in-memory catalog
    assert in_memory.compare(COMPARED, _never, {"f1_macro": 0.9}) == Comparison()
    assert in_memory.judge({"accuracy": 0.97}, COMPARED).model_version == V1


def test_the_verdict_weighs_the_naive_baseline_and_the_promoted_version(models):
    versions = store(models).load()
    both = versions.compare({}, lambda transformers, model: {"f1_macro": 0.9},
                            {"f1_macro": 0.9})
    assert (both.promoted_version, both.candidate, both.promoted) == (
        V1, {"f1_macro": 0.9}, {"f1_macro": 0.9})
    verdict = versions.judge({"f1_macro": 0.9}, {}, both, {"f1_macro": 0.3})
    assert verdict.model_version == V3 and verdict.promoted
    assert verdict.reason == (
        f"f1_macro 0.9 beats 0.3 of the naive baseline; f1_macro 0.9 is no worse than 0.9 "
        f"of promoted version {V1}")


def test_judging_with_no_trained_model_says_what_to_run(tmp_path):
    with pytest.raises(NoPromotedVersion, match="no trained model in models/ to judge"):
        store(tmp_path).load().judge({}, COMPARED)


def test_a_verdict_from_the_handle_judges_the_newest_version(models):
    versions = store(models).load()
    expected = judge(V3, {"accuracy": 0.97}, PromotionSettings.from_params(OFF))
    made = versions.judge({"accuracy": 0.97}, OFF)
    assert (made.model_version, made.promoted, made.reason) == (
        expected.model_version, expected.promoted, expected.reason)


def test_choosing_needs_no_artifacts():
    versions = ModelVersions([V1], {V1: verdict(V1, True)})
    assert versions.choose() == V1
    with pytest.raises(DatasetError, match="without their artifacts"):
        versions.load(V1)


def _never(transformers, model):
    raise AssertionError("nothing should be scored")


PENGUINS = {"target": "species", "task": "classification",
            "classes": ["Adelie", "Chinstrap", "Gentoo"],
            "features": {"island": "category", "bill_length_mm": "number"}}
IRIS = {"target": "species", "task": "classification",
        "classes": ["setosa", "versicolor", "virginica"],
        "features": {"petal length (cm)": "number"}}
MASS = {"target": "body_mass_g", "task": "regression", "classes": [],
        "features": {"island": "category", "bill_length_mm": "number"}}


def _trained_under(models: Path, contracts: dict[str, dict]) -> ModelVersions:
    """Versions V1.. promoted, each under its contract (`kedro layout use-data` between)."""
    dataset = store(models)
    for version, contract in contracts.items():
        save(models, "model.pkl", version, f"model@{version}")
        save(models, "transformers.pkl", version, f"transformers@{version}")
        dataset.save(replace(verdict(version, True), contract=contract))
    return dataset.load()


def test_a_version_trained_under_another_data_contract_is_neither_compared_nor_served(
    tmp_path
):
    """After `kedro layout use-data`, the penguins' promoted model cannot score the new
    file's eval split: the first model of the new contract is judged without it, and
    serving does not fall back to it."""
    versions = _trained_under(tmp_path, {V1: PENGUINS})
    save(tmp_path, "model.pkl", V2, "model@V2")

    comparison = versions.compare({}, _never, {"f1_macro": 0.9}, contract=IRIS)
    made = versions.judge({"f1_macro": 0.9}, {}, comparison, {"f1_macro": 0.3})

    assert comparison == Comparison(contract=IRIS)
    assert made.promoted and made.contract == IRIS
    assert made.reason.endswith("no promoted version to compare with yet")
    assert versions.choose(contract=PENGUINS) == V1 and versions.choose() == V1
    with pytest.raises(NoPromotedVersion) as error:
        versions.choose(contract=IRIS, run_first="run `kedro run` (stages 01-04)")
    assert str(error.value) == (
        f"no model version was trained under the current data contract (the newest, {V1}, "
        "was trained for classes Adelie, Chinstrap, Gentoo, not the current data contract's "
        "classes setosa, versicolor, virginica): run `kedro run` (stages 01-04)")


def test_the_comparison_and_the_choice_skip_versions_of_other_contracts(tmp_path):
    versions = _trained_under(tmp_path, {V1: PENGUINS, V2: MASS})
    save(tmp_path, "model.pkl", V3, "model@V3")

    compared = versions.compare({}, lambda transformers, model: {"f1_macro": 0.5},
                                {"f1_macro": 0.9}, contract=PENGUINS)

    assert (compared.promoted_version, compared.contract) == (V1, PENGUINS)
    assert versions.choose() == V2  # no contract given: the newest promoted
    assert versions.choose(contract=PENGUINS) == V1
    assert versions.served(contract=MASS).model == f"model@{V2}"
    assert versions.promoted(PENGUINS) == [V1]


def test_a_pin_on_a_version_of_another_contract_is_refused_in_one_line(tmp_path):
    versions = _trained_under(tmp_path, {V1: PENGUINS, V2: MASS})
    with pytest.raises(VersionRefused) as error:
        versions.choose(V1, contract=MASS, pinned_by="--model-version")
    assert str(error.value) == (
        f"--model-version names model version {V1}, which was trained for target 'species' "
        "(classification), not the current data contract's target 'body_mass_g' "
        f"(regression); promoted versions: {V2} (newest last)")


def test_a_verdict_keeps_its_contract_and_one_without_fits_any(tmp_path):
    dataset = store(tmp_path)
    dataset.save(replace(verdict(V1, True), contract=IRIS))
    assert dataset.load().verdicts[V1].contract == IRIS
    assert verdict(V2, True).fits(IRIS) and verdict(V2, True).fits(None)
    assert not dataset.load().verdicts[V1].fits(PENGUINS)


def test_a_losing_version_says_serving_stays_only_on_one_of_its_contract(tmp_path, caplog):
    dataset = store(tmp_path / "models")
    dataset.save(replace(verdict(V1, True), contract=PENGUINS))
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        dataset.save(replace(verdict(V2, False), contract=IRIS))
    assert caplog.text.rstrip().endswith(
        "no version is promoted yet, so there is nothing to serve.")
