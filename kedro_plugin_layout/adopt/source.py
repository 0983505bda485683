"""The user's data file: which format it is, how the project will read it, and reading it.

The frame `use-data` infers the contract from is read with the very arguments the catalog
entry it writes will use (`load_args`), so what `kedro run` reads is what was inferred.
CSV files are read with pandas' defaults (its missing-value markers: empty, NA, NaN, null,
...), with the delimiter found in the header line (`,` `;` tab `|`). Every problem is a
`UseDataError` naming the file and the fix.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from kedro_plugin_layout.errors import UseDataError

CSV = "csv"
PARQUET = "parquet"
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
PARQUET_SUFFIXES = (".parquet", ".pq")
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".zip", ".xz", ".zst")
PARQUET_MAGIC = b"PAR1"
DELIMITERS = (",", ";", "\t", "|")
HEADER_BYTES = 1 << 16


@dataclass(frozen=True)
class DataFile:
    """A readable CSV or Parquet file (`sep`: the CSV delimiter)."""

    path: Path
    format: str
    sep: str = ","

    @property
    def name(self) -> str:
        return self.path.name

    def load_args(self) -> dict[str, Any]:
        """The catalog entry's `load_args` that read the file as `read` does (pandas)."""
        return {"sep": self.sep} if self.format == CSV and self.sep != "," else {}

    def read(self) -> Any:
        """The file as a pandas frame; one `UseDataError` line for anything unreadable."""
        try:
            if self.format == PARQUET:
                frame = pd.read_parquet(self.path)
            else:
                frame = pd.read_csv(self.path, encoding="utf-8", **self.load_args())
        except UnicodeDecodeError:
            raise UseDataError("is not UTF-8 text; save it as UTF-8 (or as Parquet) and run "
                               "again", self.path) from None
        except (pd.errors.EmptyDataError, pd.errors.ParserError, ValueError, OSError) as exc:
            what = "CSV" if self.format == CSV else "Parquet"
            raise UseDataError(f"cannot be read as {what} ({_first_line(exc)}); fix the file",
                               self.path) from None
        return self._checked(frame)

    def sample(self, frame: Any) -> bytes:
        """`frame` (rows of this file) written in the file's own format and delimiter."""
        if self.format == PARQUET:
            buffer = io.BytesIO()
            frame.to_parquet(buffer, index=False)
            return buffer.getvalue()
        return frame.to_csv(index=False, sep=self.sep).encode("utf-8")

    def _checked(self, frame: Any) -> Any:
        names = [str(name) for name in frame.columns]
        repeated = [name for name, n in Counter(self._header() or names).items() if n > 1]
        if repeated:
            raise UseDataError(f"names the column {repeated[0]!r} twice; give each column its "
                               "own name", self.path)
        if len(names) < 2:
            raise UseDataError(f"has {len(names)} column: it needs a target and at least one "
                               "feature (is the delimiter one of , ; tab |?)", self.path)
        if frame.empty:
            raise UseDataError("has no rows; use-data needs the data the model learns from",
                               self.path)
        frame.columns = names
        return frame

    def _header(self) -> list[str] | None:
        """The CSV header's names as written (pandas renames a repeated `a` to `a.1`)."""
        if self.format != CSV:
            return None
        with self.path.open(encoding="utf-8", errors="replace", newline="") as stream:
            return next(csv.reader(stream, delimiter=self.sep), None)


def open_data_file(location: str | Path) -> DataFile:
    """The file at `location`, checked to be a local, readable CSV or Parquet file."""
    text = str(location)
    if "://" in text:
        raise UseDataError("use-data reads a local file; download it first and pass its "
                           "path", text)
    path = Path(text).expanduser()
    if not path.exists():
        raise UseDataError("no such file; check the path", text)
    if path.is_dir():
        raise UseDataError("is a folder; pass a CSV or Parquet file", text)
    if "${" in path.name:
        raise UseDataError("its name holds `${`, which Kedro's config reads as an "
                           "interpolation; rename the file", text)
    try:
        with path.open("rb") as stream:
            head = stream.read(HEADER_BYTES)
    except OSError as exc:
        raise UseDataError(f"cannot be read ({exc.strerror or exc}); fix its permissions",
                           text) from None
    if not head:
        raise UseDataError("is empty; use-data needs the data the model learns from", text)
    path = path.resolve()
    suffix = path.suffix.lower()
    if head.startswith(PARQUET_MAGIC) or suffix in PARQUET_SUFFIXES:
        return DataFile(path, PARQUET)
    if suffix in COMPRESSED_SUFFIXES:
        raise UseDataError("is compressed; decompress it and pass the CSV or Parquet file",
                           text)
    if suffix not in CSV_SUFFIXES:
        raise UseDataError(f"is not a CSV or Parquet file ({suffix or 'no suffix'}); save it "
                           "as .csv or .parquet", text)
    return DataFile(path, CSV, _delimiter(head, suffix))


def _delimiter(head: bytes, suffix: str) -> str:
    """The delimiter of the header line: the candidate it holds most of (`,` if none)."""
    if suffix == ".tsv":
        return "\t"
    first = head.decode("utf-8", errors="replace").splitlines()[0] if head.strip() else ""
    counts = {sep: first.count(sep) for sep in DELIMITERS}
    best = max(DELIMITERS, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


__all__ = ["CSV", "PARQUET", "DataFile", "open_data_file"]

