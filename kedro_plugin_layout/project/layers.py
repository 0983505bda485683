"""kedro-viz layers: the layer a catalog dataset carries, named for the folder it is in.

kedro-viz draws each dataset in the band of its `metadata: kedro-viz: layer:` and orders
the bands along the pipeline's edges. With the layout folders as layers (`01_raw`,
`02_train`, ..., `models`) the bands are the numbered folders, top to bottom. A dataset
under models/ may go without one: fitted transformers read back to make the train
folder's features would order `02_train -> models -> 02_train`, and kedro-viz draws no
layers at all when their order is cyclic.

Kedro's own convention names layers without the number (`raw` for `01_raw`): both
spellings of a folder are accepted; `kedro layout fix` writes the folder's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from kedro_ml_starter.manifest import Manifest, folder_name
from kedro_plugin_layout.project.catalog import storage_of
from kedro_plugin_layout.project.records import MODEL_ROLE, CatalogEntry


@dataclass(frozen=True)
class ExpectedLayer:
    """The layer of a dataset stored in `folder`; `required` unless the folder is models/."""

    layer: str
    folder: str
    required: bool

    def accepts(self, layer: str) -> bool:
        return layer in (self.layer, folder_name(self.layer))


def expected_layer(entry: CatalogEntry, manifest: Manifest) -> ExpectedLayer | None:
    """The layer `entry` should carry, or None when it is stored in no layout folder (in
    memory, outside the project, or elsewhere: KL301 and KL302 report those)."""
    if entry.location is None or entry.outside:
        return None
    stored = storage_of(entry.location, manifest)
    if stored.folder is None:
        return None
    if stored.role == MODEL_ROLE:
        return ExpectedLayer(PurePosixPath(manifest.models).name, manifest.models, False)
    return ExpectedLayer(stored.folder, f"{manifest.data_root}/{stored.folder}", True)


def missing_layer(entry: CatalogEntry, manifest: Manifest) -> ExpectedLayer | None:
    """What `kedro layout fix` adds: the layer of a data folder's dataset that has none."""
    expected = expected_layer(entry, manifest)
    if expected is None or not expected.required or entry.layer is not None:
        return None
    return expected


def layer_problem(entry: CatalogEntry, manifest: Manifest) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) when `entry`'s layer disagrees with where it is
    stored, else None."""
    expected = expected_layer(entry, manifest)
    if expected is None:
        return None
    if entry.layer is None:
        if not expected.required:
            return None
        return (f"dataset `{entry.name}` is stored in `{expected.folder}/` but has no "
                "kedro-viz layer",
                f"add `metadata: kedro-viz: layer: {expected.layer}` to its entry (`kedro "
                "layout fix` does), so `kedro viz` draws it in that folder's band")
    if expected.accepts(entry.layer):
        return None
    instead = f"`{expected.layer}`" + ("" if expected.required else " or remove it")
    return (f"dataset `{entry.name}` has the kedro-viz layer `{entry.layer}` but is stored "
            f"in `{expected.folder}/`",
            f"set its layer to {instead}, so `kedro viz` draws it in the band of the folder "
            "that holds it")


__all__ = ["ExpectedLayer", "expected_layer", "missing_layer", "layer_problem"]
