"""The trained versions in `models/`, stage 04's verdict on each, and the one to serve.

One store: the model versions (a Kedro save version of `model`; the transformers served
with one are the newest complete ones not newer than it, those it was trained on) and a
folder of verdicts, `models/verdicts/<version>.json`, each written atomically with a
completeness record as the models are (see `versions`). The catalog names it twice,
because Kedro refuses a node that reads and writes one dataset: stage 04 reads what was
promoted so far and saves a new verdict; batch scoring reads after it.

    model_versions: &model_versions   # stage 04 reads: the candidate, the promoted
      type: kedro_ml_starter.runtime.model_versions.ModelVersionsDataset
      filepath: models/verdicts
      model: {type: kedro_ml_starter.runtime.datasets.ModelPickleDataset,
              filepath: models/model.pkl}
      transformers: {type: kedro_ml_starter.runtime.datasets.ModelPickleDataset,
                     filepath: models/feature_transformers.pkl}
    model_verdicts: *model_versions   # stage 04 saves; batch scoring, `kedro serve` read

The rule for serving, written once: the newest promoted version, or a pinned one, which
must be promoted.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import fsspec  # type: ignore[import-untyped]
from kedro.io.core import AbstractDataset, DatasetError, get_protocol_and_path

from kedro_ml_starter.errors import UserError
from kedro_ml_starter.runtime.promotion import (
    KEY,
    SOURCE,
    Comparison,
    PromotionSettings,
    Verdict,
    contract_signature,
    judge,
)
from kedro_ml_starter.runtime.versions import read_complete, write_complete

logger = logging.getLogger(__name__)
RUN_FIRST = "run `kedro run` first (it trains, evaluates and promotes)"
# Who pins a version when nobody says: the parameter batch scoring and `kedro serve` read.
PINNED_BY_PARAMETER = "`serving.model_version` in conf/base/parameters_api.yml"


class NoPromotedVersion(UserError):
    """Raised when nothing may be served: no trained, judged or promoted version yet."""


class VersionRefused(UserError):
    """Raised when a pinned version is unknown, incomplete or was not promoted."""


@dataclass(frozen=True)
class LoadedVersion:
    """A model version with what scoring it needs, loaded."""

    version: str
    verdict: Verdict | None
    model: Any
    transformers: Any = None
    transformers_version: str | None = None


class ModelVersions:
    """The complete model versions (oldest first) and their verdicts, read at one moment.

    Artifacts are loaded only when asked (`load`), so choosing a version is cheap.
    """

    def __init__(self, versions: list[str], verdicts: Mapping[str, Verdict],
                 loader: Callable[[str], LoadedVersion] | None = None) -> None:
        self.versions = sorted(versions)
        self.verdicts = dict(verdicts)
        self._loader = loader

    @property
    def newest(self) -> str | None:
        """The newest complete version: the one stage 04 evaluates and judges."""
        return self.versions[-1] if self.versions else None

    def latest_verdict(self) -> Verdict | None:
        """The verdict judged last (stage 04's newest), whatever version it judged."""
        if not self.verdicts:
            return None
        return max(self.verdicts.values(), key=lambda v: (v.judged_at, v.model_version))

    def promoted(self, contract: Any = None) -> list[str]:
        """The complete versions whose verdict promoted them, oldest first; with `contract`
        (a DataContract, `params:data_contract` or its `contract_signature`), only those
        trained under it."""
        signature = _signature(contract)
        return [v for v in self.versions if (verdict := self.verdicts.get(v))
                and verdict.promoted and verdict.fits(signature)]

    def newest_promoted(self, *, other_than: str | None = None,
                        contract: Any = None) -> str | None:
        return next((v for v in reversed(self.promoted(contract)) if v != other_than), None)

    def choose(self, pin: str | None = None, *, contract: Any = None,
               pinned_by: str = PINNED_BY_PARAMETER, run_first: str = RUN_FIRST) -> str:
        """The version to serve: `pin`, which must be a promoted version, or else the
        newest promoted one; with `contract`, one trained under it (a version trained
        before the data contract changed predicts something else). NoPromotedVersion or
        VersionRefused say why not, in one line."""
        signature = _signature(contract)
        if pin is not None:
            return self._pinned(pin, pinned_by, signature)
        chosen = self.newest_promoted(contract=signature)
        if chosen is not None:
            return chosen
        if not self.versions:
            raise NoPromotedVersion(f"no trained model in models/: {run_first}")
        judged = [v for v in self.versions if v in self.verdicts]
        if not judged:
            raise NoPromotedVersion(
                f"no model version has a verdict yet (model version {self.newest} was never "
                f"judged by the evaluation stage): {run_first}")
        fitting = [v for v in judged if self.verdicts[v].fits(signature)]
        if not fitting:
            newest = self.verdicts[judged[-1]]
            raise NoPromotedVersion(
                f"no model version was trained under the current data contract (the newest, "
                f"{newest.model_version}, was trained for "
                f"{_unlike(newest.contract, signature)}): {run_first}")
        newest = self.verdicts[fitting[-1]]
        raise NoPromotedVersion(
            f"no model version is promoted; the newest judged, {newest.model_version}, was "
            f"not: {newest.reason}. Train a better model or change `{KEY}` in {SOURCE}; "
            f"{run_first}")

    def load(self, version: str) -> LoadedVersion:
        """`version` with its transformers and its verdict."""
        if self._loader is None:
            raise DatasetError("these model versions were read without their artifacts")
        return replace(self._loader(version), verdict=self.verdicts.get(version))

    def served(self, pin: str | None = None, *, contract: Any = None,
               pinned_by: str = PINNED_BY_PARAMETER, run_first: str = RUN_FIRST
               ) -> LoadedVersion:
        """The chosen version (see `choose`), loaded; logs which one and why."""
        version = self.choose(pin, contract=contract, pinned_by=pinned_by,
                              run_first=run_first)
        how = f"pinned by {pinned_by}" if pin is not None else "the newest promoted"
        logger.info("Using model version %s (%s)", version, how)
        return self.load(version)

    def compare(self, promotion: PromotionSettings | Mapping[str, Any] | None,
                score: Callable[[Any, Any], Mapping[str, float]],
                candidate: Mapping[str, Any], *, contract: Any = None) -> Comparison:
        """The `candidate`'s eval metrics (the newest version's) and those of the newest
        other promoted version trained under the same `contract` (the data contract of
        this run; see `promoted`), scored by `score(transformers, model)`: stage 04 scores
        it on this run's eval split with the code that gave the candidate's. Without that
        version (none yet, or `no_worse_than_promoted` off: `promotion` is
        `model_evaluation.promotion`, as a mapping or read), only the contract's signature,
        which the verdict records."""
        signature = _signature(contract) or {}
        promoted = self.newest_promoted(other_than=self._candidate(), contract=signature)
        if not _settings(promotion).no_worse_than_promoted or promoted is None:
            return Comparison(contract=signature)
        baseline = self.load(promoted)
        return Comparison(dict(candidate), promoted,
                          score(baseline.transformers, baseline.model), signature)

    def judge(self, metrics: Mapping[str, Any],
              promotion: PromotionSettings | Mapping[str, Any] | None,
              comparison: Comparison | None = None,
              naive: Mapping[str, Any] | None = None) -> Verdict:
        """The verdict on the newest version (the one evaluated) from its eval `metrics`,
        the `naive` baseline's and the `comparison` with the promoted version."""
        return judge(self._candidate(), metrics, _settings(promotion), comparison, naive)

    def _candidate(self) -> str:
        if self.newest is None:
            raise NoPromotedVersion(f"no trained model in models/ to judge: {RUN_FIRST}")
        return self.newest

    def _pinned(self, pin: str, pinned_by: str,
                signature: Mapping[str, Any] | None = None) -> str:
        promoted = self.promoted(signature)
        listed = (f"promoted versions: {', '.join(promoted)} (newest last)" if promoted
                  else "no version is promoted yet")
        if not pin or "/" in pin or "\\" in pin or pin.startswith("."):
            raise VersionRefused(f"{pinned_by} {pin!r} is not a model version; {listed}")
        if pin not in self.versions:
            raise VersionRefused(f"{pinned_by} names model version {pin}, which models/ does "
                                 f"not hold (complete); {listed}")
        verdict = self.verdicts.get(pin)
        if verdict is None:
            raise VersionRefused(f"{pinned_by} names model version {pin}, which was never "
                                 f"judged by the evaluation stage; {listed}")
        if not verdict.promoted:
            raise VersionRefused(f"{pinned_by} names model version {pin}, which was not "
                                 f"promoted ({verdict.reason}); {listed}")
        if not verdict.fits(signature):
            raise VersionRefused(f"{pinned_by} names model version {pin}, which was trained "
                                 f"for {_unlike(verdict.contract, signature)}; {listed}")
        return pin


def judge_model(model_versions: ModelVersions, eval_metrics: Mapping[str, Any],
                naive_metrics: Mapping[str, Any], comparison: Comparison,
                promotion: Mapping[str, Any] | None, *after: Any) -> Verdict:
    """Stage 04's node: the verdict on the version it evaluated, from its eval metrics, the
    naive baseline's, the comparison with the promoted version and
    `model_evaluation.promotion`. `after` are the outputs of checks that must pass first
    (the ONNX parity check): one that fails stops the run before any verdict is saved."""
    return model_versions.judge(eval_metrics, promotion, comparison, naive_metrics)


def _signature(contract: Any) -> dict[str, Any] | None:
    """The signature of `contract`: a DataContract, `params:data_contract`, a signature
    already (it has `features`), or None."""
    if contract is None or (isinstance(contract, Mapping) and not contract):
        return None
    if isinstance(contract, Mapping) and "features" in contract and "task" in contract:
        return dict(contract)
    return contract_signature(contract)


def _unlike(trained: Mapping[str, Any] | None, current: Mapping[str, Any] | None) -> str:
    """How a version's contract differs from the current one, in a few words: `target
    'species' (classification), not the current data contract's target 'mass' (...)`."""
    trained, current = dict(trained or {}), dict(current or {})
    for keys, shown in ((("target", "task"), _target), (("classes",), _classes),
                        (("features",), _features)):
        if any(trained.get(key) != current.get(key) for key in keys):
            return (f"{shown(trained)}, not the current data contract's "
                    f"{shown(current)}")
    return "another data contract"


def _target(signature: Mapping[str, Any]) -> str:
    return f"target {signature.get('target')!r} ({signature.get('task')})"


def _classes(signature: Mapping[str, Any]) -> str:
    return f"classes {', '.join(map(str, signature.get('classes') or ())) or 'none'}"


def _features(signature: Mapping[str, Any]) -> str:
    names = list(signature.get("features") or ())
    more = f" and {len(names) - 4} more" if len(names) > 4 else ""
    return f"features {', '.join(names[:4])}{more}"


def _settings(promotion: PromotionSettings | Mapping[str, Any] | None) -> PromotionSettings:
    if isinstance(promotion, PromotionSettings):
        return promotion
    return PromotionSettings.from_params(promotion)


class _VerdictFolder:
    """The folder of verdict records, on any fsspec filesystem."""

    def __init__(self, folder: str) -> None:
        protocol, path = get_protocol_and_path(folder)
        self.fs = fsspec.filesystem(protocol)
        self.folder = path.rstrip("/")

    def path(self, version: str) -> str:
        return f"{self.folder}/{version}.json"

    def write(self, verdict: Verdict) -> None:
        content = json.dumps(verdict.to_json(), indent=2).encode()
        write_complete(self.fs, self.path(verdict.model_version), content)

    def read(self) -> dict[str, Verdict]:
        """Every complete record by version; an incomplete one is skipped with one line."""
        return dict(self._records())

    def _records(self) -> Iterator[tuple[str, Verdict]]:
        if not self.fs.isdir(self.folder):
            return
        for path in sorted(self.fs.glob(f"{self.folder}/*.json")):
            name = path.rpartition("/")[2]
            try:
                content, _ = read_complete(self.fs, path)
                verdict = Verdict.from_json(json.loads(content))
            except (ValueError, KeyError, TypeError) as error:
                logger.warning("Skipping the verdict %s: %s", path, error)
                continue
            if verdict.model_version != name.removesuffix(".json"):
                logger.warning("Skipping the verdict %s: it judges version %s", path,
                               verdict.model_version)
                continue
            yield verdict.model_version, verdict


class ModelVersionsDataset(AbstractDataset[Verdict, ModelVersions]):
    """The versions of `model` (a dataset config, as under its own catalog entry) with
    `transformers`, and the verdicts in the folder `filepath` (so named for Kedro to make
    it absolute like any path). `save` keeps a verdict with its model version and says in
    one log line what it means for serving; `load` reads the store at that moment."""

    def __init__(self, *, filepath: str, model: dict[str, Any],
                 transformers: dict[str, Any] | None = None,
                 metadata: dict[str, Any] | None = None) -> None:
        self._verdicts = _VerdictFolder(filepath)
        self._verdicts_path = filepath
        self._model = {**model, "versioned": True}
        self._transformers = None if transformers is None else {**transformers, "versioned": True}
        self.metadata = metadata

    def load(self) -> ModelVersions:
        versions = _complete_versions("model", self._model)
        return ModelVersions(versions, self._verdicts.read(), self._load_version)

    def save(self, data: Verdict) -> None:
        if not isinstance(data, Verdict):
            raise DatasetError(f"{type(data).__name__} is not a Verdict: this dataset saves "
                               "stage 04's verdicts (stage 03 saves the models)")
        others = {v: d for v, d in self._verdicts.read().items() if v != data.model_version}
        self._verdicts.write(data)
        if data.promoted:
            logger.info("%s. `kedro serve` (from its next start) and batch scoring use it, "
                        "unless `serving.model_version` pins another.", _sentence(data.line()))
            return
        promoted = sorted(v for v, verdict in others.items()
                          if verdict.promoted and verdict.fits(data.contract))
        stays = (f"serving stays on model version {promoted[-1]}, the newest promoted"
                 if promoted else "no version is promoted yet, so there is nothing to serve")
        logger.warning("%s. It is kept in %s; %s.", _sentence(data.line()),
                       _shown(self._model.get("filepath", "models/")), stays)

    def _exists(self) -> bool:
        return True  # an empty store is a store: choosing from it says what to run

    def _describe(self) -> dict[str, Any]:
        return {"verdicts": self._verdicts_path, "model": self._model.get("filepath")}

    def _load_version(self, version: str) -> LoadedVersion:
        model = AbstractDataset.from_config("model", self._model, load_version=version).load()
        config = self._transformers
        if config is None:
            return LoadedVersion(version, None, model)
        older = [v for v in _complete_versions("transformers", config) if v <= version]
        if not older:
            raise NoPromotedVersion(f"model version {version} has no complete transformers "
                                    f"at or before it in {config.get('filepath')}")
        transformers = AbstractDataset.from_config(
            "transformers", config, load_version=older[-1]).load()
        return LoadedVersion(version, None, model, transformers, older[-1])


def _complete_versions(name: str, config: dict[str, Any]) -> list[str]:
    """The versions of the dataset `config` describes that are complete, oldest first."""
    dataset: Any = AbstractDataset.from_config(name, config)
    try:
        return sorted(dataset.list_versions(full_path=False))
    except DatasetError:  # VersionNotFoundError: nothing saved yet
        return []


def _shown(path: str) -> str:
    """`path` relative to the working folder when under it (Kedro makes paths absolute)."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


def _sentence(line: str) -> str:
    return line[0].upper() + line[1:]


__all__ = ["PINNED_BY_PARAMETER", "LoadedVersion", "ModelVersions", "ModelVersionsDataset",
           "NoPromotedVersion", "VersionRefused", "judge_model"]
