"""Config keys a template version moved or renamed, carried to their new place in the old
template's file and in the user's, the same way, before the merge.

0.3.0 renamed the catalog's datasets to generic names (`raw_penguins` -> `raw_data`, ...):
renamed on both sides first, an entry the user changed (another `filepath` for the raw
data) merges into the new name instead of conflicting with its removal. Renamed only
where the new template's file has the new name and not the old one (the Spark catalog
of 0.3.0 kept the old names), and never onto a key the file already has.

0.3.0 also made the estimator a parameter: `model_training.logistic_regression` (the keyword
arguments of the LogisticRegression every earlier project trained) became
`model_training.estimator` with the class's import path under `type` and those arguments
under `arguments`. A line merge sees the user's own argument (a `tol:` added under
`logistic_regression:`) against the template's rewrite as a conflict; moving the old
block to the new shape in the old template's file and in the user's file, the same way,
first, leaves the merge only the user's change to carry over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kedro_plugin_layout.upgrade.template_archive import parse_version


@dataclass(frozen=True)
class Move:
    """A key of `path` that template `since` nested under `new_lines`, one level deeper."""

    path: str
    since: str
    old_key: str
    new_lines: tuple[str, ...]


MOVES = (
    Move("conf/base/parameters_model_training.yml", "0.3.0", "logistic_regression",
         ("estimator:", "  type: sklearn.linear_model.LogisticRegression", "  arguments:")),
)
CATALOG = "conf/base/catalog.yml"
# (file, the version that renamed them, old top-level key -> new)
RENAMES = (
    (CATALOG, "0.3.0", {
        "raw_penguins": "raw_data", "penguins_train": "train_split",
        "penguins_eval": "eval_split", "penguins_test": "test_split",
        "confusion_matrix_plot": "evaluation_plot", "new_penguins": "new_rows",
        "penguin_predictions": "predictions"}),
)


def carry(path: str, text: str, from_version: str, to_version: str,
          theirs: str | None = None) -> str:
    """`text` with every move and rename an upgrade from `from_version` to `to_version`
    crosses; `theirs` is the new template's version of the file (renames follow it)."""
    def crossed(since: str) -> bool:
        return parse_version(from_version) < parse_version(since) <= parse_version(to_version)

    for move in MOVES:
        if move.path == path and crossed(move.since):
            text = _moved(text, move)
    for where, since, names in RENAMES:
        if where == path and theirs is not None and crossed(since):
            text = _renamed(text, names, _keys(theirs))
    return text


def _keys(text: str) -> set[str]:
    return {match[1] for match in re.finditer(r"^([A-Za-z_][\w-]*):", text, re.MULTILINE)}


def _renamed(text: str, names: dict[str, str], theirs: set[str]) -> str:
    present = _keys(text)
    for old, new in names.items():
        if new in theirs and old not in theirs and old in present and new not in present:
            text = re.sub(rf"^{re.escape(old)}:", f"{new}:", text, count=1, flags=re.MULTILINE)
    return text


def _moved(text: str, move: Move) -> str:
    lines = text.splitlines(keepends=True)
    key = re.compile(rf"^(?P<indent>[ ]+){re.escape(move.old_key)}:[ \t]*(#.*)?$")
    if any(line.strip().startswith(move.new_lines[0]) for line in lines):
        return text  # the new key is there already: the user moved it
    out: list[str] = []
    depth, moving, moved = 0, False, False
    for line in lines:
        match = None if moved else key.match(line.rstrip("\n"))
        if match:
            depth, moving, moved = len(match["indent"]), True, True
            out += [f"{match['indent']}{new}\n" for new in move.new_lines]
            continue
        if moving and (not line.strip() or len(line) - len(line.lstrip(" ")) > depth):
            out.append(f"  {line}" if line.strip() else line)
            continue
        moving = False
        out.append(line)
    return "".join(out)
