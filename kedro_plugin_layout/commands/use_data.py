"""`kedro layout use-data FILE --target COLUMN`: make a user's CSV or Parquet file the
project's data, with no edit to the code.

Everything that depends on the data is configuration and data files, so the whole change
is one `Plan` (written all at once, or not at all; `--dry-run` shows it):

- the file, copied into the raw data folder, and `raw_data` pointed at it (type and load
  arguments that read it back as it was inferred);
- a scoring sample (evenly spaced rows of the file, without the target) next to the
  batch-scoring input, and `new_rows` pointed at it;
- the data contract (`conf/base/parameters_data_contract.yml`), written by
  `DataContract.save`: every column with its kind, categories, plausibility limits and
  nullability, the ignored columns and why, the target, the task, the API's example row;
- the estimator, when the task changes and the configured one cannot learn it.

Before planning, the file must pass the contract inferred from it, and so must the
sample as new rows: what `kedro run` validates in stage 01 and stage 05.
"""

from __future__ import annotations

import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from kedro_ml_starter.runtime import DataValidationError
from kedro_ml_starter.runtime.contract import CONTRACT_FILE, PARAMETERS_KEY
from kedro_plugin_layout.adopt.destinations import Destinations
from kedro_plugin_layout.adopt.estimator import PARAMETER, swap_for
from kedro_plugin_layout.adopt.inference import Inference, infer
from kedro_plugin_layout.adopt.source import CSV, DataFile, open_data_file
from kedro_plugin_layout.edits.catalog import REMOVE, EntryChange, change_entries
from kedro_plugin_layout.edits.plan import Plan
from kedro_plugin_layout.errors import UseDataError
from kedro_plugin_layout.project.config import BASE_ENV, read_config
from kedro_plugin_layout.project.model import Project, load_project, reads_project

RAW, NEW_ROWS = "raw_data", "new_rows"
SAMPLE_ROWS = 20


@dataclass(frozen=True)
class UseData:
    """What `use-data` decided and the plan that writes it."""

    plan: Plan
    inference: Inference
    source: DataFile
    raw_path: str
    sample_path: str
    sample_rows: int
    engine: str
    notes: tuple[str, ...] = ()


@reads_project
def plan_use_data(root: Path, file: str | Path, target: str, *, task: str | None = None,
                  positive_class: str | None = None) -> UseData:
    """Reads and infers everything, then plans every change; raises UseDataError (or
    another LayoutError), writing nothing."""
    project = load_project(root)
    catalog = _catalog(project)
    engine = "spark" if str(catalog.values[RAW].get("type", "")).startswith("spark.") \
        else "pandas"
    source = open_data_file(file)
    with warnings.catch_warnings():
        # pandera imports pyspark.pandas when pyspark is installed, which warns about
        # pandas 3 at import: noise for a command that runs no Spark.
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas",
                                FutureWarning)
        frame = source.read()
        inference = infer(frame, target, task=task, positive_class=positive_class)
        contract = inference.contract()
    sample = _sample(frame, inference)
    sample_bytes = source.sample(sample)
    _check_contract(contract, frame, source, sample_bytes)

    paths = Destinations(project.root, catalog)
    raw_value, raw_path = paths.next_to(RAW, source.name)
    sample_name = f"new_{source.path.stem}{'.csv' if source.format == CSV else '.parquet'}"
    sample_value, sample_path = paths.next_to(NEW_ROWS, sample_name)
    if raw_path == sample_path:
        raise UseDataError(f"the file and its scoring sample would both be {raw_path}; rename "
                           "the file", file)
    plan = Plan()
    notes = list(inference.notes)
    if source.path != (project.root / raw_path).resolve():
        plan.put_file(project.root, raw_path, source.path.read_bytes())
    plan.put_file(project.root, sample_path, sample_bytes)
    for where, changes in _catalog_changes(catalog, source, engine, raw_value,
                                           sample_value).items():
        text = (project.root / where).read_text(encoding="utf-8")
        plan.edit_file(project.root, where, change_entries(text, changes, where))
    with tempfile.TemporaryDirectory() as folder:
        contract_text = contract.save(folder).read_text(encoding="utf-8")
    plan.edit_file(project.root, CONTRACT_FILE, contract_text)
    swap = _estimator_swap(project, inference.task, engine)
    if swap:
        where, text, note = swap
        plan.edit_file(project.root, where, text)
        notes.append(note)
    notes += _left_behind(project, catalog, raw_path, sample_path)
    return UseData(plan, inference, source, raw_path, sample_path, len(sample), engine,
                   tuple(notes))


def use_data(root: Path, file: str | Path, target: str, *, task: str | None = None,
             positive_class: str | None = None) -> UseData:
    """Plans and applies `use-data`; the project is unchanged if anything fails."""
    result = plan_use_data(root, file, target, task=task, positive_class=positive_class)
    result.plan.apply(Path(root))
    return result


def _catalog_changes(catalog: Any, source: DataFile, engine: str, raw_value: str,
                     sample_value: str) -> dict[str, list[EntryChange]]:
    """The edits of `raw_data` and `new_rows`, by the file that declares each."""
    out: dict[str, list[EntryChange]] = {}
    for name, value in ((RAW, raw_value), (NEW_ROWS, sample_value)):
        values = _entry_values(source, engine, value, catalog.values[name].get("load_args"))
        out.setdefault(catalog.locations[name].path, []).append(EntryChange(name, values))
    return out


# The CSV options use-data sets; a Spark entry's other reader options are the user's.
SPARK_CSV_OPTIONS = ("header", "sep", "delimiter")


def _entry_values(source: DataFile, engine: str, filepath: str,
                  load_args: Any) -> dict[str, Any]:
    """The keys of an entry that reads the file: pandas' dataset for its format with the
    load arguments it was read with; on Spark, its format and CSV options."""
    if engine == "spark":
        kept = {k: v for k, v in dict(load_args or {}).items() if k not in SPARK_CSV_OPTIONS}
        if source.format == CSV:
            kept.update({"header": True, **source.load_args()})
        return {"filepath": filepath, "file_format": source.format, "load_args": kept or REMOVE}
    kind = "pandas.CSVDataset" if source.format == CSV else "pandas.ParquetDataset"
    return {"type": kind, "filepath": filepath, "load_args": source.load_args() or REMOVE}


def _sample(frame: Any, inference: Inference) -> Any:
    """Evenly spaced rows of the file (first and last included), without the target."""
    count = min(SAMPLE_ROWS, len(frame))
    positions = np.unique(np.linspace(0, len(frame) - 1, count).round().astype(int))
    return frame.iloc[positions].drop(columns=[inference.target])


def _check_contract(contract: Any, frame: Any, source: DataFile, sample: bytes) -> None:
    """The file and its sample pass the contract inferred from them, as stage 01 and
    batch scoring will validate them; a failure here is refused, not written."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / f"sample{source.path.suffix}"
        copy.write_bytes(sample)
        rows = DataFile(copy, source.format, source.sep).read()
    for what, data, new_rows in (("the file", frame, False), ("its sample", rows, True)):
        try:
            contract.validate(data, new_rows=new_rows)
        except DataValidationError as error:
            first = str(error).splitlines()[0]
            raise UseDataError(f"{what} does not pass the contract inferred from it ({first}); "
                               "please report this with the file's header", source.path) \
                from None


def _catalog(project: Project) -> Any:
    """conf/base's catalog, once the project is known to hold what use-data rewrites."""
    if not (project.root / CONTRACT_FILE).is_file():
        raise UseDataError(f"{CONTRACT_FILE} is missing: this project predates the data "
                           "contract; run `kedro layout upgrade` first", project.root)
    catalog = read_config(project.root, "catalog", BASE_ENV)
    for name in (RAW, NEW_ROWS):
        if name not in catalog.values:
            raise UseDataError(f"the catalog of conf/base has no `{name}` entry; add it back "
                               "(see the starter's catalog.yml) and run again", project.root)
    return catalog


def _estimator_swap(project: Project, task: str,
                    engine: str) -> tuple[str, str, str] | None:
    """(the parameters file, its new text, a note) when the estimator cannot learn the task."""
    parameters = read_config(project.root, "parameters", BASE_ENV)
    section, key = PARAMETER
    spec = (parameters.values.get(section) or {}).get(key)
    swap = swap_for(spec, task, engine)
    if swap is None:
        return None
    where = parameters.locations[section].path
    text = (project.root / where).read_text(encoding="utf-8")
    changed = change_entries(text, [EntryChange(section, {key: dict(swap.new)})], where)
    return where, changed, swap.note()


def _left_behind(project: Project, catalog: Any, raw_path: str,
                 sample_path: str) -> list[str]:
    """What the project no longer reads, and overrides that still point elsewhere."""
    notes = []
    for name, new in ((RAW, raw_path), (NEW_ROWS, sample_path)):
        old = str(catalog.values[name].get("filepath") or "")
        if old and "${" not in old and old != new and (project.root / old).is_file():
            notes.append(f"{old} is no longer read ({name} now reads {new}); delete it when "
                         "you no longer need it")
            readme = PurePosixPath(old).parent / "README.md"
            if name == RAW and PurePosixPath(old).name in _text(project.root / readme):
                notes.append(f"{readme} describes {PurePosixPath(old).name}: say where your "
                             "data comes from, and its licence")
    for key, names in (("catalog", (RAW, NEW_ROWS)), ("parameters", (PARAMETERS_KEY,))):
        run_env = read_config(project.root, key)  # conf/local, as `kedro run` merges it
        for name in names:
            where = run_env.locations.get(name)
            if where and not where.path.startswith(f"conf/{BASE_ENV}/"):
                notes.append(f"{where.path} overrides `{name}` of conf/{BASE_ENV} for its "
                             "environment: bring it in line with the new data")
    return notes


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
