"""The stages at a small scale, in a generated project, on rows from benchmarks/synthetic.py.

One full `kedro run` on 5,000 synthetic rows (progress forced on) feeds the checks of the
splits, the model, the metrics and the progress lines; one stage re-run without the
switch shows the progress view stays quiet where nobody is watching. The generator's own
tests are in tests/benchmarks/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.support import PYTHON, copy_project, kedro, run

pytestmark = pytest.mark.e2e

ROWS = 5_000
RAW = Path("data/01_raw/penguins.csv")
MEASUREMENTS = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
SPLITS = {
    "train": "data/02_train/train.parquet",
    "eval": "data/03_eval/eval.parquet",
    "test": "data/04_test/test.parquet",
}
FEATURES = [*MEASUREMENTS, "island", "sex"]
PROGRESS_LINE = re.compile(r"^\[ *(\d+)/(\d+)\] (\S+) +\d")


GENERATOR = Path(__file__).resolve().parents[2] / "benchmarks" / "synthetic.py"


def generate(project: Path, *args: str):
    """`python benchmarks/synthetic.py ...`, writing into `project`, as the benchmarks do."""
    return run([PYTHON, str(GENERATOR), *args], project)


def read_raw(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, na_values=["NA"], keep_default_na=False)


@pytest.fixture(scope="module")
def scaled_run(generated_project: Path, tmp_path_factory: pytest.TempPathFactory):
    """A copy of the project whose raw file is 5,000 synthetic rows, after `kedro run`."""
    project = copy_project(generated_project, tmp_path_factory.mktemp("scaled"))
    made = generate(project, "--rows", str(ROWS), "--seed", "11", "--output", str(RAW),
                    "--force")
    assert made.returncode == 0, made.stderr
    assert f"wrote {ROWS:,} synthetic rows to {RAW}" in made.stdout
    result = kedro(["run"], project, check=True, PIPELINE_PROGRESS="1")
    return project, result


def test_the_generator_is_seeded_and_draws_new_rows_at_the_real_missing_rates(
    generated_project: Path, tmp_path: Path
):
    real = read_raw(generated_project / RAW)
    drawn = {}
    for name, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        output = tmp_path / f"{name}.csv"
        result = generate(tmp_path, "--rows", str(ROWS), "--seed", seed, "--output", str(output))
        assert result.returncode == 0, result.stderr
        assert f"wrote {ROWS:,} synthetic rows to {output}" in result.stdout
        drawn[name] = output.read_bytes()
    assert drawn["a"] == drawn["b"]
    assert drawn["a"] != drawn["c"]

    synthetic = read_raw(tmp_path / "a.csv")
    real_tuples = set(real[MEASUREMENTS].dropna().itertuples(index=False, name=None))
    drawn_tuples = synthetic[MEASUREMENTS].dropna().itertuples(index=False, name=None)
    assert not real_tuples.intersection(drawn_tuples)
    for column, tolerance in (("sex", 0.012), ("body_mass_g", 0.005), ("species", 0.0)):
        real_rate, drawn_rate = real[column].isna().mean(), synthetic[column].isna().mean()
        assert abs(real_rate - drawn_rate) <= tolerance, (column, real_rate, drawn_rate)


def test_the_generator_refuses_to_overwrite_without_force(generated_project: Path):
    before = (generated_project / RAW).read_bytes()
    result = generate(generated_project, "--rows", "10", "--output", str(RAW))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {RAW} exists; pass --force to replace it"
    assert (generated_project / RAW).read_bytes() == before


def test_splits_add_up_match_the_ratios_and_keep_class_balance(scaled_run):
    project, _ = scaled_run
    raw = read_raw(project / RAW)
    kept = raw[raw["species"].notna() & raw[FEATURES].notna().any(axis=1)]
    splits = {name: pd.read_parquet(project / path) for name, path in SPLITS.items()}
    assert sum(len(split) for split in splits.values()) == len(kept)
    parameters = yaml.safe_load(
        (project / "conf/base/parameters_data_preprocessing.yml").read_text()
    )["data_preprocessing"]
    for name in ("eval", "test"):
        assert abs(len(splits[name]) - parameters[f"{name}_size"] * len(kept)) <= 2, name
    expected = kept["species"].value_counts(normalize=True)
    for name, split in splits.items():
        shares = split["species"].astype(str).value_counts(normalize=True)
        assert (shares - expected).abs().max() < 0.01, (name, shares.to_dict())
    assert not set(splits["train"].index) & set(splits["test"].index)


def test_a_versioned_model_is_trained_and_metrics_written(scaled_run):
    project, _ = scaled_run
    versions = list((project / "models" / "model.pkl").iterdir())
    assert len(versions) == 1 and (versions[0] / "model.pkl").is_file()
    metrics = json.loads((project / "data/05_reporting/metrics.json").read_text())
    test_rows = len(pd.read_parquet(project / SPLITS["test"]))
    assert metrics["test"]["rows"] == test_rows
    assert 0.9 < metrics["test"]["accuracy"] <= 1.0
    assert (project / "data/05_reporting/evaluation.png").stat().st_size > 0


def test_progress_names_every_node_once_then_a_total(scaled_run):
    _, result = scaled_run
    lines = result.stdout.splitlines()
    progress = [m.groups() for m in map(PROGRESS_LINE.match, lines) if m]
    total = int(progress[0][1])
    assert [int(done) for done, _, _ in progress] == list(range(1, total + 1))
    names = [name for _, _, name in progress]
    assert {"validate_raw_data", "split_data", "fit_transformers", "train_model"} <= set(names)
    assert len(set(names)) == total
    assert any(line.startswith(f"done: {total} nodes in ") for line in lines)


def test_progress_is_quiet_by_default_when_not_at_a_terminal(scaled_run):
    project, _ = scaled_run
    result = kedro(["run", "--pipelines", "04_model_evaluation"], project, check=True,
                   PIPELINE_PROGRESS="")
    # Kedro's own line for the last of stage 04's nodes, and no progress view of ours
    assert re.search(r"Completed (\d+) out of \1 tasks", result.stdout + result.stderr)
    assert not [line for line in result.stdout.splitlines() if PROGRESS_LINE.match(line)]
    assert "done: " not in result.stdout
