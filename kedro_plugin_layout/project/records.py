"""Plain frozen records of what is read of a project: catalog entries, nodes, stage
pipelines, files, where data is stored, where a finding points.

A leaf module: it imports nothing of the plugin but `kinds`, so the project's readers
(`catalog`, `pipelines`, `files`), its model, the check's facts and rules can all import
it without cycles.
"""

from __future__ import annotations

from dataclasses import dataclass

from kedro_plugin_layout.kinds import DataRole, ImportMode, Learning, PipelineStatus

# Storage that is never inside a checked-out project: object stores, HDFS, Databricks.
REMOTE_PREFIXES = ("s3://", "s3a://", "s3n://", "gs://", "gcs://", "abfs://", "abfss://",
                   "az://", "adl://", "wasb://", "wasbs://", "hdfs://", "webhdfs://",
                   "viewfs://", "http://", "https://", "dbfs:/", "oss://")
# Where Databricks mounts cluster storage (DBFS, Unity Catalog volumes) as local paths.
MOUNT_PREFIXES = ("/dbfs/", "/Volumes/")
# The role `Stored` gives a dataset under the manifest's models folder.
MODEL_ROLE = "models"


def dataset_base(name: str) -> str:
    """`features@spark` and `features@pandas` are one dataset (Kedro transcoding)."""
    return name.split("@", 1)[0]


@dataclass(frozen=True)
class Location:
    """Where a finding points: a path relative to the project root, with the 1-based line
    and column when they are known (a `Node(...)` call, a catalog or manifest entry)."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return ":".join(str(part) for part in (self.path, self.line, self.column)
                        if part is not None)


@dataclass(frozen=True)
class ProjectFiles:
    """The project's files and folders as relative posix paths (skipping tool caches).

    Below each data folder and the models folder only the first level is listed: their
    contents can be huge and no rule looks inside them.
    """

    files: frozenset[str]
    dirs: frozenset[str]

    def is_file(self, path: str) -> bool:
        return path in self.files

    def is_dir(self, path: str) -> bool:
        return path in self.dirs

    def subdirs(self, path: str) -> list[str]:
        """Names of the folders directly inside `path`, sorted."""
        prefix = f"{path.rstrip('/')}/"
        return sorted(d[len(prefix):] for d in self.dirs
                      if d.startswith(prefix) and "/" not in d[len(prefix):])

    def under(self, path: str) -> list[str]:
        """Every file below `path` (the whole project for ""), sorted."""
        if not path:
            return sorted(self.files)
        prefix = f"{path.rstrip('/')}/"
        return sorted(f for f in self.files if f.startswith(prefix))


@dataclass(frozen=True)
class CatalogEntry:
    """A catalog dataset (or dataset factory pattern) and where it stores its data.

    `location` is the lexically normalised path relative to the project root, `None`
    when the dataset has no file path (or its path could not be resolved: `unresolved`
    then names the interpolation); `outside` says the path leaves the project (an
    absolute path elsewhere, `..`, or remote storage) and `remote` that it is cluster or
    cloud storage (`s3a://`, `abfss://`, `dbfs:/`, `/Volumes/`, ...). For a pattern such
    as `{name}_features`, `location` is the fixed folder before the first placeholder.
    `source`, `line` and `column` say where the entry is declared; `path_key` and
    `path_set_at` the key an interpolated path starts with and where it is set
    (`data_root` of conf/cluster/globals.yml for `${globals:data_root}/...`), None when
    the path is the entry's own text; `layer` is its `metadata: kedro-viz: layer:` (None
    without one).
    """

    name: str
    type: str
    filepath: str | None
    location: str | None
    outside: bool = False
    pattern: bool = False
    versioned: bool = False
    source: str | None = None
    line: int | None = None
    remote: bool = False
    column: int | None = None
    unresolved: str | None = None
    path_key: str | None = None
    path_set_at: Location | None = None
    layer: str | None = None


@dataclass(frozen=True)
class Evidence:
    """A call in the project's code that shows how a node learns: what it is (source text,
    shortened), where it is, and the project helpers it was reached through."""

    kind: Learning
    what: str
    location: Location | None = None
    via: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f" at {self.location}" if self.location else ""
        through = f" (in {' -> '.join(self.via)})" if self.via else ""
        return f"`{self.what}`{where}{through}"


@dataclass(frozen=True)
class NodeCode:
    """What a node's function does with its inputs, read from its source (`node_code`).

    `fits`: it fits an estimator or transformer on its data inputs (anywhere in it, or in
    a project helper it calls); `fitted_on`: the inputs whose rows reach that fit (None:
    not known, count them all); `learns`: a value computed from its rows (a statistic, a
    score, a fitted object) reaches what it returns; `scores`: it scores predictions
    (metrics, `predict`), and `scored_on` are the inputs scored or handed to a fit for
    validation; `early_stopping`: a call hands data to a fit for validation (`eval_set=`,
    `validation_data=`); `outputs_from`: for each output in order, the inputs it derives
    from (None: not known, each from all). `readable` is False when the source could not
    be read (a library function, no source file): `note` says why.
    """

    readable: bool = True
    fits: Evidence | None = None
    learns: Evidence | None = None
    scores: Evidence | None = None
    early_stopping: Evidence | None = None
    note: str = ""
    fitted_on: tuple[str, ...] | None = None
    scored_on: tuple[str, ...] = ()
    outputs_from: tuple[tuple[str, ...], ...] | None = None


@dataclass(frozen=True)
class Node:
    """A node of a stage's pipeline: what it reads and writes (parameters left out), where
    the `Node(...)` call that made it is, and what its function does (None: not read)."""

    name: str
    stage: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    tags: frozenset[str] = frozenset()
    namespace: str | None = None
    location: Location | None = None
    code: NodeCode | None = None


@dataclass(frozen=True)
class StagePipeline:
    """What a stage folder's `create_pipeline` gave: `ok` with nodes, or why not.

    `location` is the `create_pipeline` definition (or the stage folder); `imported`
    says how the stage's code was imported (lite: third-party modules were stand-ins).
    """

    stage: str
    status: PipelineStatus
    nodes: tuple[Node, ...] = ()
    detail: str = ""
    location: Location | None = None
    imported: ImportMode | None = None


@dataclass(frozen=True)
class Stored:
    """Where a pipeline dataset lives: its location and the layout folder holding it."""

    location: str | None
    folder: str | None = None
    role: DataRole | str | None = None  # the data folder's role, or MODEL_ROLE

    @property
    def held_out(self) -> bool:
        return self.role in (DataRole.EVAL, DataRole.TEST)


__all__ = [
    "REMOTE_PREFIXES", "MOUNT_PREFIXES", "MODEL_ROLE", "dataset_base", "Location",
    "ProjectFiles", "CatalogEntry", "Evidence", "NodeCode", "Node", "StagePipeline", "Stored",
]
