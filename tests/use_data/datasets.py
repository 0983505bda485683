"""The files `use-data` is tested on: scikit-learn's bundled datasets written as a user
would have them (CSV or Parquet, their own column names), and a messy table of our own.

Each builder writes the file into a folder and returns its path with the target column.
Deterministic (a fixed seed), small, and built from data installed with scikit-learn:
nothing is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class DataFile:
    path: Path
    target: str
    task: str


def iris(folder: Path) -> DataFile:
    """150 rows, names with spaces and brackets, the species as text: 3 classes."""
    from sklearn.datasets import load_iris

    bunch = load_iris(as_frame=True)
    frame = bunch.data.copy()
    frame["species"] = bunch.target_names[bunch.target]
    path = folder / "iris.csv"
    frame.to_csv(path, index=False)
    return DataFile(path, "species", "classification")


def wine(folder: Path) -> DataFile:
    """178 rows, `od280/od315_of_diluted_wines` among the columns, the cultivar as the
    whole numbers 1, 2, 3 (classes, not a quantity)."""
    from sklearn.datasets import load_wine

    frame = load_wine(as_frame=True).frame.rename(columns={"target": "cultivar"})
    frame["cultivar"] += 1
    path = folder / "wine.csv"
    frame.to_csv(path, index=False)
    return DataFile(path, "cultivar", "classification")


def breast_cancer(folder: Path) -> DataFile:
    """569 rows of 30 measurements (`mean radius`, ...), labels 0/1: binary, as Parquet."""
    from sklearn.datasets import load_breast_cancer

    frame = load_breast_cancer(as_frame=True).frame.rename(columns={"target": "benign"})
    path = folder / "breast_cancer.parquet"
    frame.to_parquet(path, index=False)
    return DataFile(path, "benign", "classification")


def diabetes(folder: Path) -> DataFile:
    """442 rows, the disease progression a year later: a number (regression)."""
    from sklearn.datasets import load_diabetes

    frame = load_diabetes(as_frame=True, scaled=False).frame.rename(
        columns={"target": "progression"})
    path = folder / "diabetes.csv"
    frame.to_csv(path, index=False)
    return DataFile(path, "progression", "regression")


MESSY_COLUMNS = ("Customer ID", "age (years)", "plan type", "country", "comment",
                 "signup date", "is active?", "monthly spend ($)", "churned")


def messy_frame(rows: int = 160, seed: int = 7) -> pd.DataFrame:
    """A customer table: an id, a constant, free text, a date, booleans, names with spaces
    and symbols, missing values; `churned` (yes/no) and `monthly spend ($)` both learnable."""
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 80, rows).astype(float)
    plan = rng.choice(["basic", "plus", "premium"], rows)
    active = rng.random(rows) < 0.7
    spend = (20 + 15 * (plan == "plus") + 40 * (plan == "premium") + 0.2 * age
             + rng.normal(0, 3, rows)).round(2)
    churn_score = 1.5 * (~active) - 0.02 * (age - 50) + rng.normal(0, 0.6, rows)
    frame = pd.DataFrame({
        "Customer ID": np.arange(10_001, 10_001 + rows),
        "age (years)": age,
        "plan type": plan,
        "country": "NL",
        "comment": [f"called support about invoice {i} and asked for a refund" for i in
                    range(rows)],
        "signup date": pd.date_range("2023-01-01", periods=rows, freq="2D").strftime(
            "%Y-%m-%d"),
        "is active?": active,
        "monthly spend ($)": spend,
        "churned": np.where(churn_score > 0.5, "yes", "no"),
    })
    frame.loc[::9, "age (years)"] = np.nan
    frame.loc[4::13, "plan type"] = np.nan
    frame.loc[::17, "comment"] = np.nan
    return frame


def messy(folder: Path, target: str = "churned") -> DataFile:
    """The messy table as a semicolon-separated CSV, predicting `target`."""
    path = folder / "customers export.csv"
    messy_frame().to_csv(path, index=False, sep=";")
    task = "regression" if target == "monthly spend ($)" else "classification"
    return DataFile(path, target, task)
