"""Synthetic penguins at any size, drawn from distributions fitted on the real data.

Scale work needs raw files of 10k to 5M rows. Repeating the 344 real rows would put the
same penguin in train and test and make every metric meaningless, so rows are drawn:
species, island, sex and year from their joint frequencies in the real file, the four
measurements from a multivariate normal per species and sex (fitted mean and covariance),
and missing values from the real file's missingness patterns at their observed rates.

A benchmarking tool of this repository (pipeline_scale.py, engines.py, tests/scale/), not
part of a generated project. The fitted profile lives next to this module
(penguins_profile.json) so a seed always gives the same file, even after a project's raw
file has been replaced by a synthetic one. It was written by
`save_profile(fit_profile(read_raw(<the real penguins.csv>)))`.

    python benchmarks/synthetic.py --rows 1000000 --seed 42 \
        --output <project>/data/01_raw/penguins.csv --force
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

COLUMNS = (
    "species",
    "island",
    "bill_length_mm",
    "bill_depth_mm",
    "flipper_length_mm",
    "body_mass_g",
    "sex",
    "year",
)
CATEGORIES = ("species", "island", "sex", "year")
MEASUREMENTS = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g")
DECIMALS = {"bill_length_mm": 1, "bill_depth_mm": 1, "flipper_length_mm": 0, "body_mass_g": 0}
PROFILE_PATH = Path(__file__).with_name("penguins_profile.json")
CHUNK_ROWS = 250_000


@dataclass(frozen=True)
class Profile:
    """What the generator knows of the real data: counts and moments, never its rows."""

    fitted_rows: int
    cells: list[dict]
    groups: list[dict]
    missing: list[dict]
    bounds: dict[str, list[float]]

    @classmethod
    def from_dict(cls, data: dict) -> Profile:
        return cls(**data)

    def to_dict(self) -> dict:
        return asdict(self)


def fit_profile(raw: pd.DataFrame) -> Profile:
    """Fits the generator's distributions on a raw frame with the penguins columns."""
    absent = [column for column in COLUMNS if column not in raw.columns]
    if absent:
        raise ValueError(f"the source lacks the column(s) {', '.join(absent)}")
    complete = raw.dropna(subset=[*CATEGORIES, *MEASUREMENTS])
    cells = complete.groupby(list(CATEGORIES)).size().rename("count").reset_index()
    groups = [_fit_gaussian(key, rows) for key, rows in complete.groupby(["species", "sex"])]
    patterns = raw[list(COLUMNS)].isna().value_counts(sort=False)
    missing = [
        {"columns": [c for c, is_missing in zip(COLUMNS, mask) if is_missing], "count": int(count)}
        for mask, count in patterns.items()
    ]
    return Profile(
        fitted_rows=len(raw),
        cells=[_plain(row) for row in cells.to_dict(orient="records")],
        groups=groups,
        missing=missing,
        bounds={c: _widened_range(complete[c]) for c in MEASUREMENTS},
    )


def _plain(record: dict) -> dict:
    """numpy scalars → Python ones, so the profile is plain JSON."""
    return {key: value.item() if hasattr(value, "item") else value for key, value in record.items()}


def _fit_gaussian(key: tuple, rows: pd.DataFrame) -> dict:
    if len(rows) <= len(MEASUREMENTS):
        raise ValueError(
            f"{key[0]}/{key[1]} has {len(rows)} complete rows; "
            f"fitting a covariance needs at least {len(MEASUREMENTS) + 1}"
        )
    values = rows[list(MEASUREMENTS)].to_numpy(dtype=np.float64)
    return {
        "species": key[0],
        "sex": key[1],
        "mean": values.mean(axis=0).round(6).tolist(),
        "cov": np.cov(values, rowvar=False).round(6).tolist(),
    }


def _widened_range(values: pd.Series) -> list[float]:
    """The observed range plus a tenth on each side: tails stay plausible, never absurd."""
    low, high = float(values.min()), float(values.max())
    margin = (high - low) / 10
    return [round(max(low - margin, low / 2), 3), round(high + margin, 3)]


def load_profile(path: Path = PROFILE_PATH) -> Profile:
    return Profile.from_dict(json.loads(path.read_text()))


def save_profile(profile: Profile, path: Path = PROFILE_PATH) -> None:
    """Writes the profile one record a line, so a reader can see what was fitted."""
    lines = []
    for key, value in profile.to_dict().items():
        if isinstance(value, list):
            items = ",\n".join(f"    {json.dumps(item)}" for item in value)
            lines.append(f'  "{key}": [\n{items}\n  ]')
        else:
            lines.append(f'  "{key}": {json.dumps(value)}')
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n")


def read_raw(path: Path) -> pd.DataFrame:
    """Reads a raw penguins CSV the way stage 01 sees it: `NA` marks a missing value."""
    return pd.read_csv(path, na_values=["NA"], keep_default_na=False)


class Sampler:
    """The profile as arrays, so each chunk is drawn with a handful of numpy calls."""

    def __init__(self, profile: Profile) -> None:
        cells = pd.DataFrame(profile.cells)
        self.cell_p = cells["count"].to_numpy(dtype=np.float64) / cells["count"].sum()
        self.levels: dict[str, pa.Array] = {}
        self.cell_codes: dict[str, np.ndarray] = {}
        for column in CATEGORIES:
            levels, codes = np.unique(cells[column].to_numpy(), return_inverse=True)
            self.levels[column] = pa.array(levels.tolist())
            self.cell_codes[column] = codes
        group_index = {(g["species"], g["sex"]): i for i, g in enumerate(profile.groups)}
        self.cell_group = np.array(
            [group_index[key] for key in zip(cells["species"], cells["sex"])]
        )
        self.means = np.array([g["mean"] for g in profile.groups])
        self.factors = np.array([np.linalg.cholesky(np.array(g["cov"])) for g in profile.groups])
        self.low = np.array([profile.bounds[c][0] for c in MEASUREMENTS])
        self.high = np.array([profile.bounds[c][1] for c in MEASUREMENTS])
        weights = np.array([p["count"] for p in profile.missing], dtype=np.float64)
        self.pattern_p = weights / weights.sum()
        self.pattern_masks = np.array(
            [[c in p["columns"] for c in COLUMNS] for p in profile.missing], dtype=bool
        )

    def draw(self, rows: int, rng: np.random.Generator) -> pa.Table:
        cell = rng.choice(len(self.cell_p), size=rows, p=self.cell_p)
        measured = self._measurements(self.cell_group[cell], rng)
        missing = self.pattern_masks[rng.choice(len(self.pattern_p), size=rows, p=self.pattern_p)]
        columns = {}
        for i, column in enumerate(COLUMNS):
            absent = missing[:, i]
            if column in CATEGORIES:
                codes = pa.array(self.cell_codes[column][cell], mask=absent)
                columns[column] = pc.take(self.levels[column], codes)
            else:
                columns[column] = _rounded(measured[:, MEASUREMENTS.index(column)], column, absent)
        return pa.table(columns)

    def _measurements(self, group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        noise = rng.standard_normal((len(group), len(MEASUREMENTS)))
        values = np.empty_like(noise)
        for g in range(len(self.means)):
            members = group == g
            values[members] = self.means[g] + noise[members] @ self.factors[g].T
        return np.clip(values, self.low, self.high, out=values)


def _rounded(values: np.ndarray, column: str, absent: np.ndarray) -> pa.Array:
    """Rounds to the real file's precision: 0.1 mm for bills, whole mm and grams otherwise."""
    if DECIMALS[column] == 0:
        return pa.array(np.rint(values).astype(np.int64), mask=absent)
    return pa.array(np.round(values, DECIMALS[column]), mask=absent)


def generate(
    profile: Profile, rows: int, seed: int, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pa.Table]:
    """Yields the rows in chunks: memory stays flat whatever the size."""
    sampler = Sampler(profile)
    rng = np.random.default_rng(seed)
    for start in range(0, rows, chunk_rows):
        yield sampler.draw(min(chunk_rows, rows - start), rng)


def write_csv(chunks: Iterable[pa.Table], path: Path) -> int:
    """Writes chunks as one CSV like the real file (bare header, `NA` for missing).

    Writes to a hidden sibling file first and renames it, so a failed or interrupted run
    never leaves a half-written raw file where the pipeline would read it.
    """
    partial = path.with_name(f".{path.name}.partial")
    options = pacsv.WriteOptions(include_header=False, quoting_style="none")
    written = 0
    try:
        with open(partial, "wb") as sink:
            sink.write((",".join(COLUMNS) + "\n").encode())
            writer = None
            for chunk in chunks:
                chunk = _with_na(chunk)
                writer = writer or pacsv.CSVWriter(sink, chunk.schema, write_options=options)
                writer.write_table(chunk)
                written += chunk.num_rows
            if writer is not None:
                writer.close()
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return written


def _with_na(chunk: pa.Table) -> pa.Table:
    """Every column as the text the CSV writer would write (it casts the same way), a
    missing value as `NA`: pyarrow's own `null_string` option needs pyarrow 26, and MLflow
    (the `tracking` extra) pins pyarrow below it."""
    return pa.table({name: pc.fill_null(pc.cast(chunk[name], pa.string()), "NA")
                     for name in chunk.column_names})


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see --help)\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return value


def _parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=prog or "python benchmarks/synthetic.py",
        description="Write a synthetic raw penguins CSV of any size, drawn from "
        "distributions fitted on the real data (never copies of its rows).",
    )
    parser.add_argument("--rows", type=_positive, required=True, help="rows to write, e.g. 1000000")
    parser.add_argument("--seed", type=_seed, default=42, help="random seed (default 42)")
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("data/01_raw/penguins.csv"),
        help="CSV to write (default data/01_raw/penguins.csv, the raw input of stage 01)",
    )
    parser.add_argument("--force", action="store_true", help="replace OUTPUT if it exists")
    parser.add_argument(
        "--source",
        type=Path,
        help="fit on this raw CSV instead of the profile fitted on the shipped real data",
    )
    return parser


def _profile_from(source: Path | None) -> Profile:
    if source is None:
        return load_profile()
    if not source.is_file():
        raise ValueError("not a file")
    return fit_profile(read_raw(source))


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = _parser(prog)
    args = parser.parse_args(argv)
    output: Path = args.output
    if output.is_dir():
        parser.exit(2, f"error: --output {output} is a directory; name a .csv file\n")
    if output.exists() and not args.force:
        parser.exit(2, f"error: {output} exists; pass --force to replace it\n")
    try:
        profile = _profile_from(args.source)
    except (ValueError, OSError) as error:
        parser.exit(2, f"error: cannot fit on --source {args.source}: {error}\n")
    started = time.perf_counter()
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        written = write_csv(generate(profile, args.rows, args.seed), output)
    except OSError as error:
        parser.exit(2, f"error: cannot write {output}: {error.strerror or error}\n")
    elapsed = time.perf_counter() - started
    print(f"wrote {written:,} synthetic rows to {output} (seed {args.seed}) in {elapsed:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
