"""Catalog datasets for what `models/` holds: only complete versions are ever loaded.

Kedro's own file datasets write in place, so a run killed while saving leaves a
half-written newest version that every later load picks up (`pickle data was
truncated`). These write through `versions.write_complete` and resolve the version to
load among complete ones only: a partial newest version is skipped with one log line
naming it and why, and the newest complete one is used.

    model:
      type: kedro_ml_starter.runtime.datasets.ModelPickleDataset
      filepath: models/model.pkl
      versioned: true

    model_onnx:
      type: kedro_ml_starter.runtime.datasets.OnnxModelDataset
      filepath: models/model.onnx
      versioned: true
"""

from __future__ import annotations

import logging
import pickle
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import fsspec  # type: ignore[import-untyped]
from kedro.io.core import AbstractVersionedDataset, DatasetError, Version, get_protocol_and_path

from kedro_ml_starter.runtime.versions import incomplete_reason, read_complete, write_complete

logger = logging.getLogger(__name__)
# Spark's Hadoop connectors name S3 `s3a`; fsspec (s3fs) knows it as `s3`.
_FSSPEC_PROTOCOL = {"s3a": "s3", "s3n": "s3"}


class CompleteVersionsDataset(AbstractVersionedDataset[Any, Any]):
    """A versioned file whose versions count only once complete (see `versions`).

    Subclasses say how data becomes bytes (`_encode`, `_decode`); one that saves a folder
    (`spark_datasets.SparkMLModelDataset`) overrides `load`, `save` and
    `_incomplete_reason` instead.
    """

    def __init__(self, *, filepath: str, version: Version | None = None,
                 metadata: dict[str, Any] | None = None) -> None:
        protocol, path = get_protocol_and_path(filepath, version)
        self._protocol = protocol
        self._fs = fsspec.filesystem(_FSSPEC_PROTOCOL.get(protocol, protocol))
        self._reported: set[str] = set()
        self.metadata = metadata
        super().__init__(filepath=PurePosixPath(path), version=version,
                         exists_function=self._is_complete, glob_function=self._fs.glob)

    def _encode(self, data: Any) -> tuple[bytes, dict[str, str]]:
        raise NotImplementedError

    def _decode(self, content: bytes, record: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _incomplete_reason(self, path: str) -> str | None:
        return incomplete_reason(self._fs, path)

    def load(self) -> Any:
        path = str(self._get_load_path())
        try:
            content, record = read_complete(self._fs, path)
        except FileNotFoundError:
            raise DatasetError(f"{self._where(path)} does not exist") from None
        except ValueError as error:
            raise DatasetError(f"{self._where(path)} is incomplete: {error}") from None
        return self._decode(content, record)

    def save(self, data: Any) -> None:
        content, notes = self._encode(data)
        write_complete(self._fs, str(self._get_save_path()), content, **notes)

    def _exists(self) -> bool:
        try:
            path = self._get_load_path()
        except DatasetError:
            return False
        return self._is_complete(str(path))

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._filepath), "protocol": self._protocol,
                "version": self._version}

    def _is_complete(self, path: str) -> bool:
        """Kedro's test for "this version exists": complete, or skipped with one line."""
        reason = self._incomplete_reason(path)
        if reason and self._fs.exists(path.rpartition("/")[0]) and path not in self._reported:
            self._reported.add(path)
            logger.warning("Skipping version %s of %s: %s", self._get_version_from_path(path),
                           self._filepath, reason)
        return reason is None

    def _where(self, path: str) -> str:
        return f"version {self._get_version_from_path(path)} of {self._filepath}"


class ModelPickleDataset(CompleteVersionsDataset):
    """A fitted Python object (transformers, model), pickled."""

    def _encode(self, data: Any) -> tuple[bytes, dict[str, str]]:
        return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL), {}

    def _decode(self, content: bytes, record: dict[str, Any]) -> Any:
        return pickle.loads(content)


@dataclass(frozen=True)
class OnnxGraph:
    """A serialized ONNX graph, or, with empty `content`, why a run exported none."""

    content: bytes
    not_exported: str = ""


class OnnxModelDataset(CompleteVersionsDataset):
    """An ONNX graph, kept as bytes: loading it needs neither `onnx` nor a pickle.

    Saves an `OnnxGraph`, an `onnx.ModelProto` or bytes. A run that exported no graph
    (`serving.runtime: sklearn`) saves an empty file whose record says why, so the
    version still matches the model's and no older graph is taken for the new model.
    """

    def _encode(self, data: Any) -> tuple[bytes, dict[str, str]]:
        if isinstance(data, OnnxGraph):
            notes = {"not_exported": data.not_exported} if data.not_exported else {}
            return data.content, notes
        if hasattr(data, "SerializeToString"):
            return data.SerializeToString(), {}
        if isinstance(data, bytes):
            return data, {}
        raise DatasetError(f"{type(data).__name__} is not an ONNX graph; "
                           "OnnxModelDataset saves an OnnxGraph, an onnx.ModelProto or bytes")

    def _decode(self, content: bytes, record: dict[str, Any]) -> OnnxGraph:
        return OnnxGraph(content, str(record.get("not_exported", "")))
