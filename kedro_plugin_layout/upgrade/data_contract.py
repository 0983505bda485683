"""The data contract of a project generated before there was one (0.1.0 and 0.2.0).

Those templates kept the raw columns in `src/<package>/utils/schema.py`, a table of
`Column(name, kind, description, categories, feature, maximum)` rows with a `TARGET`, and
always predicted the target by classification. From 0.3.0 every stage reads
`conf/base/parameters_data_contract.yml` instead, so an upgrade across that line writes a
contract that describes the project's data:

- the column table as the old template wrote it: the new template's contract, the same
  penguins in the contract's words;
- a column table the user edited: translated row by row as the old validation read it
  (`number`: float64, above 0 and at most `maximum`; `integer`: int64; `category`: its
  categories; every column nullable; `feature=False`: ignored), with the API's example
  row taken from the raw data;
- anything else (schema.py deleted, a pandera model, a table the raw data does not pass):
  inferred from the raw data as `kedro layout use-data` infers a file, for the target
  `TARGET` names (or the template's). The inference is the caller's (`Infer`): `adopt/`
  owns it, and the layering keeps `upgrade/` from importing it.

schema.py is read as text, never imported: the user's copy may import modules 0.3.0 no
longer has, and an upgrade runs no project code.
"""

from __future__ import annotations

import ast
import math
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kedro_ml_starter.errors import UserError
from kedro_ml_starter.runtime import ContractError, DataContract, DataValidationError
from kedro_ml_starter.runtime.contract import CONTRACT_FILE
from kedro_plugin_layout.project.config import BASE_ENV, read_config
from kedro_plugin_layout.project.model import Project

TASK = "classification"  # the only task a template before 0.3.0 could generate
TEMPLATE_TARGET = "species"
RAW_ENTRIES = ("raw_penguins", "raw_data")  # the raw data's catalog name, before and after
# What the report says of a schema.py the user changed, which the new template removes.
SCHEMA_NOTE = (f"you changed it; from 0.3.0 the stages read {CONTRACT_FILE} instead: kept, "
               "delete it once nothing of yours imports it")
KINDS = {"number": "float64", "integer": "int64", "category": "category"}

# (the raw rows, the target, the task) -> the contract inferred from them; raises UserError.
Infer = Callable[[Any, str, str], Any]


@dataclass(frozen=True)
class ContractSource:
    """The contract an upgrade writes, and what it was derived from (for the report)."""

    text: str
    source: str  # template | schema | data
    note: str
    schema_path: str
    schema_note: str = ""  # what the report says of the user's own schema.py


@dataclass(frozen=True)
class ColumnTable:
    """The column table of an old schema.py, as plain values."""

    target: str | None
    columns: tuple[Mapping[str, Any], ...]


def crosses_to_contract(project: Project, old: Mapping[str, bytes],
                        new: Mapping[str, bytes]) -> bool:
    """Whether this upgrade introduces the contract to a project that has none."""
    return (CONTRACT_FILE in new and CONTRACT_FILE not in old
            and not (project.root / CONTRACT_FILE).exists())


def derive_contract(project: Project, old: Mapping[str, bytes], new: Mapping[str, bytes],
                    infer: Infer, task: str = TASK) -> ContractSource:
    """The contract that describes the project's data (see the module docstring), for
    `task` (the new template's answer: classification unless --answer says otherwise)."""
    schema_path = f"src/{project.package}/utils/schema.py"
    template_text = new[CONTRACT_FILE].decode("utf-8")
    where = project.root / schema_path
    yours = where.read_bytes() if where.is_file() else None
    if yours is not None and yours == old.get(schema_path):
        return ContractSource(template_text, "template",
                              f"the penguins of {schema_path}, unchanged: the template's "
                              "contract", schema_path)
    table = read_column_table(yours.decode("utf-8", errors="replace")) if yours else None
    if table is not None and table == read_column_table(
            old.get(schema_path, b"").decode("utf-8", errors="replace")):
        return ContractSource(template_text, "template",
                              f"the penguins of {schema_path}, whose columns you left as "
                              "they were: the template's contract", schema_path,
                              SCHEMA_NOTE)
    raw = read_raw_data(project)
    frame, raw_path = raw if raw else (None, "")
    reason = ("you deleted it" if yours is None else
              "it holds no Column table" if table is None else "")
    if table is not None:
        try:
            contract = contract_from_table(table, frame, task)
        except DataValidationError as error:
            reason = f"{raw_path} does not pass its column table: {_first_line(error)}"
        except UserError as error:
            reason = f"its column table cannot be a contract: {_first_line(error)}"
        else:
            return ContractSource(
                _contract_text(contract), "schema",
                f"translated from your column table in {schema_path}: target "
                f"{contract.target!r}, {len(contract.features)} features", schema_path,
                SCHEMA_NOTE)
    target = (table.target if table else None) or TEMPLATE_TARGET
    if frame is None:
        return ContractSource(template_text, "template",
                              f"the template's penguins: {schema_path} could not be read "
                              f"({reason}) and no raw data file either; run `kedro layout "
                              "use-data FILE --target COLUMN` to describe your data",
                              schema_path, SCHEMA_NOTE if yours else "")
    try:
        contract = infer(frame, target, task)
    except UserError as error:
        return ContractSource(template_text, "template",
                              f"the template's penguins: {raw_path} could not be described "
                              f"({_first_line(error)}); run `kedro layout use-data FILE "
                              "--target COLUMN`", schema_path,
                              SCHEMA_NOTE if yours else "")
    ignored = [c.name for c in contract.columns if c.role == "ignored"]
    shown = f", ignored {', '.join(ignored)}" if ignored else ""
    return ContractSource(
        _contract_text(contract), "data",
        f"inferred from {raw_path} as `kedro layout use-data` infers a file, since "
        f"{schema_path} was no help ({reason}): target {contract.target!r}, task "
        f"{contract.task}{shown}; review it", schema_path,
        SCHEMA_NOTE if yours else "")


# -- the column table, read as text --------------------------------------------------------


def read_column_table(text: str) -> ColumnTable | None:
    """`TARGET` and the `COLUMNS` rows of an old schema.py, or None when it holds none
    that plain values (literals, and names bound to them) can spell."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    names: dict[str, Any] = {}
    for node in tree.body:
        target, value = _assignment(node)
        if target is None:
            continue
        try:
            names[target] = _value(value, names)
        except ValueError:
            names.pop(target, None)
    columns = names.get("COLUMNS")
    if not isinstance(columns, tuple | list) or not columns \
            or not all(isinstance(c, dict) for c in columns):
        return None
    target = names.get("TARGET")
    return ColumnTable(target if isinstance(target, str) else None, tuple(columns))


def _assignment(node: ast.stmt) -> tuple[str | None, Any]:
    if isinstance(node, ast.Assign) and len(node.targets) == 1 \
            and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id, node.value
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
        return node.target.id, node.value
    return None, None


_COLUMN_FIELDS = ("name", "kind", "description", "categories", "feature", "maximum")


def _value(node: Any, names: Mapping[str, Any]) -> Any:
    """A literal, a name bound to one, or a `Column(...)` row (as a dict); ValueError else."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.Tuple | ast.List):
        return tuple(_value(item, names) for item in node.elts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _value(node.operand, names)
        if isinstance(value, int | float):
            return -value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id == "Column" and not any(isinstance(a, ast.Starred)
                                                     for a in node.args):
        row = dict(zip(_COLUMN_FIELDS, (_value(a, names) for a in node.args), strict=False))
        for keyword in node.keywords:
            if keyword.arg not in _COLUMN_FIELDS:
                raise ValueError(keyword.arg)
            row[keyword.arg] = _value(keyword.value, names)
        return row
    raise ValueError(ast.dump(node)[:40])


def contract_from_table(table: ColumnTable, frame: Any, task: str = TASK) -> Any:
    """The contract of a column table, as the old validation read it; the example request
    is the raw data's first complete row. ContractError (a UserError) if it cannot be one,
    DataValidationError if the raw data does not pass it."""
    target = table.target or TEMPLATE_TARGET
    columns: dict[str, Any] = {}
    ignored = {}
    for row in table.columns:
        name, kind = str(row.get("name", "")), row.get("kind")
        if not name or kind not in KINDS:
            raise ContractError(f"column {name or '?'!r} has kind {kind!r}; the table's kinds "
                                f"are {', '.join(KINDS)}")
        column: dict[str, Any] = {"dtype": KINDS[kind], "nullable": True}
        if row.get("description"):
            column["description"] = str(row["description"])
        if kind == "category":
            column["isin"] = [str(value) for value in row.get("categories") or ()]
        if kind == "number":
            column["greater_than"] = 0
        maximum = row.get("maximum")
        if isinstance(maximum, int | float) and math.isfinite(maximum) and kind != "category":
            column["less_than_or_equal_to"] = maximum
        columns[name] = column
        if name != target and row.get("feature", True) is False:
            ignored[name] = "not a feature in the column table of utils/schema.py"
    schema = {"schema_type": "dataframe", "api": "pandas", "name": "raw data",
              "columns": columns, "coerce": True, "strict": True}
    contract = DataContract.from_schema(schema, target=target, task=task, ignored=ignored)
    if frame is None:
        return contract
    contract.validate(frame)  # the user's data must pass the table it is described by
    return DataContract.from_schema(schema, target=target, task=task, ignored=ignored,
                                    example=example_row(frame, contract))


def example_row(frame: Any, contract: Any) -> dict[str, Any]:
    """The first raw row holding every feature, as a request would send it."""
    features = list(contract.feature_names)
    complete = frame[features].notna().all(axis=1)
    row = frame[complete].iloc[0] if complete.any() else frame.iloc[0]
    out: dict[str, float | int | str] = {}
    for column in contract.request_columns:
        value = row.get(column.name)
        if value is None or (not isinstance(value, str) and bool(_isna(value))):
            continue
        if column.kind == "number":
            out[column.name] = float(value)
        elif column.kind == "integer":
            out[column.name] = int(value)
        else:
            out[column.name] = str(value).strip()
    return out


def _isna(value: Any) -> bool:
    import pandas as pd  # loads only when an upgrade derives a data contract (from 0.2)

    return bool(pd.isna(value))


# -- the raw data ------------------------------------------------------------------------


def read_raw_data(project: Project) -> tuple[Any, str] | None:
    """The raw rows as the project's catalog reads them (pandas CSV or Parquet entries),
    and their path; None when there is no such entry or file, or it cannot be read."""
    import pandas as pd  # loads only when an upgrade derives a data contract (from 0.2)

    try:
        catalog = read_config(project.root, "catalog", BASE_ENV)
    except Exception:  # noqa: BLE001 - a catalog Kedro refuses: no data to infer from
        return None
    entry = next((catalog.values[name] for name in RAW_ENTRIES if name in catalog.values),
                 None)
    if not isinstance(entry, Mapping):
        return None
    filepath = str(entry.get("filepath") or "")
    kind = str(entry.get("type") or "")
    path = project.root / filepath
    if not filepath or "://" in filepath or "${" in filepath or not path.is_file():
        return None
    load_args = entry.get("load_args") if isinstance(entry.get("load_args"), Mapping) else {}
    try:
        if kind.endswith("ParquetDataset"):
            frame = pd.read_parquet(path, **dict(load_args or {}))
        elif kind.endswith("CSVDataset"):
            frame = pd.read_csv(path, **dict(load_args or {}))
        else:
            return None
    except Exception:  # noqa: BLE001 - any unreadable file: no data to infer from
        return None
    frame.columns = [str(name) for name in frame.columns]
    return frame, PurePosixPath(filepath).as_posix()


def _contract_text(contract: Any) -> str:
    with tempfile.TemporaryDirectory(prefix="kedro-layout-contract-") as folder:
        return contract.save(Path(folder)).read_text(encoding="utf-8")


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
