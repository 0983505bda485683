"""Parameters a template version moved, carried to their new place before the merge.

0.3.0 made the estimator a parameter: `model_training.logistic_regression` (the keyword
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


def carry(path: str, text: str, from_version: str, to_version: str) -> str:
    """`text` with every move an upgrade from `from_version` to `to_version` crosses."""
    for move in MOVES:
        crossed = parse_version(from_version) < parse_version(move.since) \
            <= parse_version(to_version)
        if move.path == path and crossed:
            text = _moved(text, move)
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
