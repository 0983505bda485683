"""What each column of a user's file is (its kind) and whether the model may read it (its role).

pandera's `infer_schema` gives each column's dtype, nullability and observed range; what it
infers is not yet a contract, so this module post-processes it:

- numbers keep their dtype, and their bounds become plausibility limits: the observed
  range widened by its span on each side, never below 0 for a column with no negative
  value, rounded outward to two significant digits (a new row just outside the training
  range is still scored);
- text with few distinct values, and booleans, become categories (`isin`, as text, in
  the spelling validation reads them: stripped, one per spelling that differs only in
  case);
- a column the model cannot use is kept in the schema (the file has it) but ignored, with
  the reason: no values, one value, an identifier, free text, a date;
- no index (a file's row numbers are not data).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

CATEGORY_LIMIT = 50  # most distinct values a text column may hold to be a category
SAMPLE = 500  # values looked at to tell a date or free text
ID_NAME = re.compile(r"(^|[^a-z0-9])(id|uuid|guid|key)$|^(id|uuid|guid)([^a-z]|$)"
                     r"|^unnamed: ?\d+$", re.IGNORECASE)
DATE_TEXT = re.compile(r"^\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})"
                       r"([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?\s*$")
# The pandera dtype a contract column of each kind is written with.
DTYPES = {"number": "float64", "integer": "int64", "category": "category", "text": "str"}


@dataclass(frozen=True)
class ColumnDecision:
    """One column: its contract kind and role, why it is ignored, and what the summary
    shows (missing share, distinct values)."""

    name: str
    kind: str  # number | integer | category | text
    role: str  # feature | target | ignored
    reason: str = ""
    missing: float = 0.0
    distinct: int = 0
    nullable: bool = True
    categories: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None  # (at least, at most): plausibility limits

    @property
    def dtype(self) -> str:
        return DTYPES[self.kind]


def nature(values: Any) -> str:
    """How a column's values read: boolean, integer, number, date or text."""
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "number"
    present = values.dropna()
    if len(present) and all(isinstance(v, bool) for v in present.head(SAMPLE)) \
            and present.map(type).eq(bool).all():
        return "boolean"
    sample = present.head(SAMPLE).astype(str)
    if len(sample) and sample.str.match(DATE_TEXT).mean() >= 0.9:
        return "date"
    return "text"


def labels(values: Any) -> dict[str, str]:
    """Each distinct value's text -> its category, as validation reads values: stripped,
    blank is missing, spellings that differ in case are one category (the first seen)."""
    out: dict[str, str] = {}
    by_folded: dict[str, str] = {}
    for value in pd.unique(values.dropna()):
        text = str(value).strip()
        if text:
            out[str(value)] = by_folded.setdefault(text.lower(), text)
    return out


def ordered(categories: set[str] | list[str]) -> tuple[str, ...]:
    """Categories in a person's order: numbers by value, then text alphabetically."""
    def key(text: str) -> tuple[int, float, str]:
        try:
            return (0, float(text), text)
        except ValueError:
            return (1, 0.0, text.lower())

    return tuple(sorted(set(categories), key=key))


def decide(name: str, values: Any, inferred: Any = None) -> ColumnDecision:
    """A column other than the target: a feature, or ignored with the reason."""
    rows = len(values)
    present = values.dropna()
    missing = 1 - len(present) / rows if rows else 0.0
    kind_of = nature(values)
    if present.empty:
        return ignored(name, _plain_kind(kind_of), "has no values", missing)
    if kind_of == "date":
        first, last = date_range(present)
        span = f" ({first} to {last})" if first else ""
        return ignored(name, "text", f"a date{span}: derive a month or weekday in stage 02 "
                       "if it matters", missing, int(present.nunique()))
    if kind_of in ("integer", "number"):
        distinct = int(present.nunique())
        if distinct == 1:
            return ignored(name, kind_of, f"one value only ({_short(present.iloc[0])})", missing,
                           distinct)
        if _id_like_numbers(name, present):
            return ignored(name, kind_of, "an identifier: a distinct whole number per row",
                           missing, distinct)
        low, high = observed_range(present, inferred)
        return ColumnDecision(name, kind_of, "feature", missing=missing, distinct=distinct,
                              nullable=bool(missing),
                              bounds=plausible_bounds(low, high, kind_of == "integer"))
    named = labels(present)
    categories = ordered(set(named.values()))
    distinct = len(categories)
    if not categories:
        return ignored(name, "text", "has no values (only blanks)", missing)
    if distinct == 1:
        return ignored(name, "text", f"one value only ({_short(categories[0])})", missing, 1)
    if kind_of == "boolean" or (distinct <= CATEGORY_LIMIT and distinct <= len(present) / 2):
        if kind_of == "boolean":
            categories = ("False", "True")
        # A blank value is a missing one to validation, so it makes the column nullable.
        nullable = bool(missing) or len(named) < len(present.unique())
        return ColumnDecision(name, "category", "feature", missing=missing, distinct=distinct,
                              nullable=nullable, categories=categories)
    if _free_text(present):
        return ignored(name, "text", "free text: the model reads no text", missing, distinct)
    if distinct == len(present) or ID_NAME.search(name):
        return ignored(name, "text", "an identifier: a distinct value per row", missing,
                       distinct)
    return ignored(name, "text", f"{distinct} distinct values: too many for a category "
                   f"(at most {CATEGORY_LIMIT}, and half the rows)", missing, distinct)


def ignored(name: str, kind: str, reason: str, missing: float = 0.0,
            distinct: int = 0) -> ColumnDecision:
    """A column the model does not read: nullable (a row may leave it out), no checks."""
    return ColumnDecision(name=name, kind=kind, role="ignored", reason=reason, missing=missing,
                          distinct=distinct, nullable=True)


def observed_range(present: Any, inferred: Any = None) -> tuple[float, float]:
    """The smallest and largest value: from pandera's inferred checks, else the data."""
    found = {}
    for check in getattr(inferred, "checks", None) or ():
        for value in (check.statistics or {}).values():
            found[check.name] = value
    low = found.get("greater_than_or_equal_to", present.min())
    high = found.get("less_than_or_equal_to", present.max())
    return float(low), float(high)


def plausible_bounds(low: float, high: float, integer: bool) -> tuple[float, float]:
    """The observed range widened by its span on each side (see the module docstring)."""
    span = (high - low) or abs(high) or 1.0
    lower = low - span
    if low >= 0:
        lower = max(0.0, lower)
    lower, upper = _round_out(lower, down=True), _round_out(high + span, down=False)
    if integer:
        return float(math.floor(lower)), float(math.ceil(upper))
    return lower, upper


def _round_out(value: float, *, down: bool) -> float:
    """`value` rounded away from the observed range to two significant digits."""
    if value == 0 or not math.isfinite(value):
        return value
    step = 10.0 ** (math.floor(math.log10(abs(value))) - 1)
    rounded = (math.floor if down else math.ceil)(value / step) * step
    return float(f"{rounded:.12g}")


def date_range(present: Any) -> tuple[str, str]:
    """The first and last date of a date column, as text ("" when they cannot be read)."""
    try:
        dates = pd.to_datetime(present, errors="coerce", format="mixed")
    except (TypeError, ValueError):
        return "", ""
    dates = dates.dropna()
    if dates.empty:
        return "", ""
    return str(dates.min().date()), str(dates.max().date())


def _id_like_numbers(name: str, present: Any) -> bool:
    """Whole numbers, one per row, that count up by one or sit in a column named like an id."""
    if len(present) < 10 or (present != present.round()).any():
        return False
    if present.nunique() != len(present):
        return bool(ID_NAME.search(name)) and present.nunique() >= len(present) / 2
    steps = present.sort_values().diff().dropna()
    return bool(ID_NAME.search(name)) or bool((steps == 1).all())


def _free_text(present: Any) -> bool:
    """Words rather than codes: most values hold three words or more, or are long."""
    sample = present.head(SAMPLE).astype(str).str.strip()
    words = sample.str.split().str.len()
    return bool(words.median() >= 3 or sample.str.len().mean() >= 30)


def _plain_kind(kind_of: str) -> str:
    return kind_of if kind_of in ("integer", "number") else "text"


def _short(value: Any, width: int = 24) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 3] + "..."
