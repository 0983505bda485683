"""Ordinary edits users make to a generated project, each a function of the project folder
(and a scratch folder outside it), written as a person would make them: files deleted,
added or changed in place, `kedro layout` commands run. test_user_edits.py applies each
to a copy of a session project and runs the project's own tests.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from tests.support import KEDRO, run
from tests.use_data import datasets

EXAMPLE_NOTEBOOK = "notebooks/explore_raw_data.ipynb"
OWN_NOTEBOOK = "notebooks/team/first_look.ipynb"
OWN_NOTEBOOK_OUTPUT = "notebooks/team/first_look.json"  # what the notebook writes
NEW_COLUMN = "tail_length_mm"
# A stage added between two of the starter's (renumbering every later one), and one added
# after the last.
STAGE_BEFORE = ("data_cleaning", "01_data_preprocessing")
STAGE_AFTER = "monitoring"
SPLIT = {"test_size": 0.15, "eval_size": 0.25, "random_state": 7}
ESTIMATORS = {
    "pandas": ("sklearn.ensemble.RandomForestClassifier",
               {"n_estimators": 40, "max_depth": 5, "random_state": 0}),
    "spark": ("pyspark.ml.classification.RandomForestClassifier",
              {"numTrees": 20, "maxDepth": 4, "seed": 1}),
}


def delete_example_notebook(project: Path, scratch: Path) -> None:
    (project / EXAMPLE_NOTEBOOK).unlink()


def _cell(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": source.splitlines(keepends=True)}


def add_own_notebook(project: Path, scratch: Path) -> None:
    """A notebook in a subfolder, as written under `kedro jupyter notebook`: it loads the
    Kedro extension, then reads `catalog` straight away, times a cell, calls `display`,
    and writes what it read next to itself (the proof that it ran)."""
    cells = [
        _cell("%load_ext kedro.ipython"),
        _cell("import json\nfrom pathlib import Path\n\n"
              "raw = catalog.load(\"raw_data\")\n"
              "contract = catalog.load(\"params:data_contract\")\n"
              "display(raw.head())"),
        _cell("%%time\nsummary = raw.describe(include=\"all\")"),
        _cell("!ls ../..\nseen = {\"rows\": len(raw), \"target\": contract[\"target\"]}\n"
              "Path(\"first_look.json\").write_text(json.dumps(seen))"),
    ]
    notebook = {"cells": cells, "metadata": {"kernelspec": {"name": "python3",
                                                            "display_name": "Python 3"}},
                "nbformat": 4, "nbformat_minor": 5}
    path = project / OWN_NOTEBOOK
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(notebook, indent=1))


def add_stage_before(project: Path, scratch: Path) -> None:
    name, after = STAGE_BEFORE
    run([KEDRO, "layout", "add-stage", name, "--after", after], project, check=True)


def add_stage_after(project: Path, scratch: Path) -> None:
    run([KEDRO, "layout", "add-stage", STAGE_AFTER], project, check=True)


def _set(text: str, key: str, value: str) -> str:
    """A YAML line `key: ...` given a new value, its indentation and comment kept."""
    changed, count = re.subn(rf"(?m)^(\s*{key}:)[^#\n]*", rf"\g<1> {value}", text, count=1)
    assert count == 1, f"no `{key}:` line"
    return changed


def change_split(project: Path, scratch: Path) -> None:
    path = project / "conf/base/parameters_data_preprocessing.yml"
    text = path.read_text()
    for key, value in SPLIT.items():
        text = _set(text, key, str(value))
    path.write_text(text)


def change_estimator(engine: str):
    """The estimator and its arguments replaced (parameters_model_training.yml): a random
    forest, with numbers left unscaled as the files' comments advise for a tree model
    (scaled, the float32 thresholds of its ONNX graph move, and stage 04 refuses the graph
    in one line)."""
    kind, arguments = ESTIMATORS[engine]

    def edit(project: Path, scratch: Path) -> None:
        features = project / "conf/base/parameters_feature_engineering.yml"
        features.write_text(_set(features.read_text(), "scale_numbers", "false"))
        path = project / "conf/base/parameters_model_training.yml"
        text = path.read_text()
        block = "".join(f"      {key}: {value}\n" for key, value in arguments.items())
        start = text.index("  estimator:\n")
        end = re.compile(r"^\S", re.MULTILINE).search(text, start)  # the next top-level key
        rest = text[end.start():] if end else ""
        path.write_text(text[:start] + f"  estimator:\n    type: {kind}\n    arguments:\n"
                        + block + rest)

    return edit


def use_other_data(project: Path, scratch: Path) -> None:
    """`kedro layout use-data` with scikit-learn's iris (names with spaces and brackets)."""
    file = datasets.iris(scratch)
    run([KEDRO, "layout", "use-data", str(file.path), "--target", file.target], project,
        check=True)


def _add_csv_column(path: Path, values) -> None:
    with path.open(newline="") as stream:
        rows = list(csv.reader(stream))
    rows[0].append(NEW_COLUMN)
    for index, row in enumerate(rows[1:]):
        row.append(values(index))
    with path.open("w", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)


def add_column(project: Path, scratch: Path) -> None:
    """A measured column added to the raw data, the new rows and the data contract (not to
    the contract's example row: requests without it are refused, the tests take a row of
    the data instead)."""

    def tail(index: int) -> str:
        return "NA" if index % 17 == 5 else f"{30 + (index * 7) % 25}.5"

    _add_csv_column(project / "data/01_raw/penguins.csv", tail)
    _add_csv_column(project / "data/06_scoring/new_penguins.csv", tail)
    path = project / "conf/base/parameters_data_contract.yml"
    text = path.read_text()
    column = (f"      {NEW_COLUMN}:\n        description: tail length in millimetres\n"
              "        dtype: float64\n        nullable: true\n        greater_than: 0\n")
    marker = "\n    columns:\n"
    assert marker in text, "the contract's schema has no columns: mapping"
    path.write_text(text.replace(marker, marker + column, 1))


def serve_with_sklearn(project: Path, scratch: Path) -> None:
    path = project / "conf/base/parameters_api.yml"
    path.write_text(_set(path.read_text(), "runtime", "sklearn"))
