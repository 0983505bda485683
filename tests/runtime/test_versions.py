"""Model files a killed run cannot leave looking complete, and datasets that skip them."""

from __future__ import annotations

import logging

import fsspec
import pytest
from kedro.io.core import DatasetError, Version

from kedro_ml_starter.runtime.datasets import ModelPickleDataset, OnnxGraph, OnnxModelDataset
from kedro_ml_starter.runtime.versions import (
    folder_incomplete_reason,
    incomplete_reason,
    read_complete,
    record_folder,
    write_complete,
)

FS = fsspec.filesystem("file")


def test_a_complete_write_leaves_the_file_its_record_and_nothing_else(tmp_path):
    path = tmp_path / "v1" / "model.pkl"
    write_complete(FS, str(path), b"0123456789")
    assert sorted(p.name for p in path.parent.iterdir()) == ["model.pkl", "model.pkl.complete"]
    assert incomplete_reason(FS, str(path)) is None
    assert read_complete(FS, str(path))[0] == b"0123456789"


@pytest.mark.parametrize(("damage", "reason"), [
    (lambda p: p.write_bytes(b"01234"), "model.pkl has 5 of its 10 bytes (cut short)"),
    (lambda p: p.with_name("model.pkl.complete").unlink(),
     "model.pkl has no completeness record (a run stopped while saving it)"),
    (lambda p: p.unlink(), "model.pkl is missing"),
])
def test_a_damaged_file_is_incomplete_and_says_why(tmp_path, damage, reason):
    path = tmp_path / "model.pkl"
    write_complete(FS, str(path), b"0123456789")
    damage(path)
    assert incomplete_reason(FS, str(path)) == reason
    with pytest.raises(ValueError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        read_complete(FS, str(path))


def test_a_file_changed_after_its_save_fails_the_digest(tmp_path):
    path = tmp_path / "model.pkl"
    write_complete(FS, str(path), b"0123456789")
    path.write_bytes(b"9876543210")  # same size
    with pytest.raises(ValueError, match="does not match its SHA-256 record"):
        read_complete(FS, str(path))


def _folder(root) -> str:
    """A finished folder as a model writer such as Spark's leaves it, and its record."""
    (root / "stages/0_x/data").mkdir(parents=True)
    (root / "metadata").mkdir()
    (root / "metadata/part-00000").write_text('{"class": "PipelineModel"}')
    (root / "stages/0_x/data/part-00000.parquet").write_bytes(b"PAR1" * 50)
    record_folder(FS, str(root))
    return str(root)


def test_a_recorded_folder_is_complete_and_its_record_lists_every_file(tmp_path):
    path = _folder(tmp_path / "model")
    assert folder_incomplete_reason(FS, path) is None
    assert (tmp_path / "model.complete").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model", "model.complete"]


@pytest.mark.parametrize(("damage", "reason"), [
    (lambda p: (p / "stages/0_x/data/part-00000.parquet").write_bytes(b"PAR1"),
     "model/stages/0_x/data/part-00000.parquet has 4 of its 200 bytes (cut short)"),
    (lambda p: (p / "stages/0_x/data/part-00000.parquet").unlink(),
     "model lacks 1 of its 2 files (stages/0_x/data/part-00000.parquet, ...)"),
    (lambda p: (p / "metadata/part-00001").write_text("{}"),
     "model has a file its record does not list (metadata/part-00001: changed after the save)"),
    (lambda p: p.with_name("model.complete").unlink(),
     "model has no completeness record (a run stopped while saving it)"),
])
def test_a_damaged_folder_is_incomplete_and_says_why(tmp_path, damage, reason):
    path = _folder(tmp_path / "model")
    damage(tmp_path / "model")
    assert folder_incomplete_reason(FS, path) == reason


def test_a_missing_folder_is_missing(tmp_path):
    assert folder_incomplete_reason(FS, str(tmp_path / "model")) == "model is missing"


def _save(tmp_path, version: str, data: object) -> ModelPickleDataset:
    dataset = ModelPickleDataset(filepath=str(tmp_path / "model.pkl"), version=Version(None, version))
    dataset.save(data)
    return dataset


def test_the_newest_complete_version_loads_and_a_partial_newer_one_is_logged_once(
    tmp_path, caplog
):
    _save(tmp_path, "2026-01-01T00.00.00.000Z", {"model": 1})
    _save(tmp_path, "2026-01-02T00.00.00.000Z", {"model": 2})
    (tmp_path / "model.pkl/2026-01-02T00.00.00.000Z/model.pkl").write_bytes(b"\x80")
    latest = ModelPickleDataset(filepath=str(tmp_path / "model.pkl"), version=Version(None, None))
    with caplog.at_level(logging.WARNING, logger="kedro_ml_starter.runtime.datasets"):
        assert latest.load() == {"model": 1}
        assert latest.resolve_load_version() == "2026-01-01T00.00.00.000Z"
        assert latest.exists()
    assert [r.getMessage() for r in caplog.records] == [
        (f"Skipping version 2026-01-02T00.00.00.000Z of {tmp_path / 'model.pkl'}: model.pkl has "
        f"1 of its {(tmp_path / 'model.pkl/2026-01-01T00.00.00.000Z/model.pkl').stat().st_size} "
        "bytes (cut short)")]


def test_asking_for_an_incomplete_version_by_name_fails_saying_why(tmp_path):
    _save(tmp_path, "2026-01-01T00.00.00.000Z", [1, 2, 3])
    (tmp_path / "model.pkl/2026-01-01T00.00.00.000Z/model.pkl.complete").unlink()
    pinned = ModelPickleDataset(filepath=str(tmp_path / "model.pkl"),
                                version=Version("2026-01-01T00.00.00.000Z", None))
    with pytest.raises(DatasetError, match=r"version 2026-01-01T00.00.00.000Z of .*model.pkl is "
                                           r"incomplete: model.pkl has no completeness record"):
        pinned.load()
    assert not ModelPickleDataset(filepath=str(tmp_path / "model.pkl"),
                                  version=Version(None, None)).exists()


def test_an_onnx_dataset_keeps_bytes_and_a_missing_graph_with_its_reason(tmp_path):
    for version, graph in (("2026-01-01T00.00.00.000Z", b"graph-bytes"),
                           ("2026-01-02T00.00.00.000Z", OnnxGraph(b"", "serving.runtime is sklearn"))):
        OnnxModelDataset(filepath=str(tmp_path / "model.onnx"),
                         version=Version(None, version)).save(graph)
    latest = OnnxModelDataset(filepath=str(tmp_path / "model.onnx"), version=Version(None, None))
    assert latest.load() == OnnxGraph(b"", "serving.runtime is sklearn")
    first = OnnxModelDataset(filepath=str(tmp_path / "model.onnx"),
                             version=Version("2026-01-01T00.00.00.000Z", None))
    assert first.load() == OnnxGraph(b"graph-bytes")
    with pytest.raises(DatasetError, match="is not an ONNX graph"):
        OnnxModelDataset(filepath=str(tmp_path / "other.onnx"), version=Version(None, None)).save(3)
