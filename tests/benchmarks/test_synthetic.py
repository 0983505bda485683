"""benchmarks/synthetic.py, the generator of raw files at any size for the scale benchmarks:
seeded, shaped like the real data, and safe to run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchmarks import synthetic

ROWS = 20_000
TEMPLATE = Path(__file__).resolve().parents[2] / "kedro_ml_starter" / "template"
REAL = TEMPLATE / "{{ cookiecutter.repo_name }}" / "data" / "01_raw" / "penguins.csv"


def _frame(rows: int = ROWS, seed: int = 7, chunk_rows: int = synthetic.CHUNK_ROWS) -> pd.DataFrame:
    profile = synthetic.load_profile()
    chunks = synthetic.generate(profile, rows, seed, chunk_rows=chunk_rows)
    return pd.concat([chunk.to_pandas() for chunk in chunks], ignore_index=True)


@pytest.fixture(scope="module")
def drawn() -> pd.DataFrame:
    return _frame()


def test_rows_have_the_raw_columns_and_the_real_values(drawn):
    assert list(drawn.columns) == list(synthetic.COLUMNS)
    assert len(drawn) == ROWS
    assert drawn["species"].notna().all()
    real = synthetic.read_raw(REAL)
    for column in ("species", "island", "sex", "year"):
        assert set(drawn[column].dropna()) <= set(real[column].dropna()), column
    for column in synthetic.MEASUREMENTS:
        assert (drawn[column].dropna() > 0).all(), column


def test_the_shipped_profile_is_the_fit_of_the_shipped_data():
    assert synthetic.fit_profile(synthetic.read_raw(REAL)) == synthetic.load_profile()


def test_same_seed_gives_the_same_rows_and_another_seed_does_not():
    first = _frame(rows=2_000, seed=3, chunk_rows=500)
    assert first.equals(_frame(rows=2_000, seed=3, chunk_rows=500))
    assert not first.equals(_frame(rows=2_000, seed=4, chunk_rows=500))


def test_missing_values_follow_the_fitted_patterns(drawn):
    profile = synthetic.load_profile()
    total = sum(p["count"] for p in profile.missing)
    for column in synthetic.COLUMNS:
        expected = sum(p["count"] for p in profile.missing if column in p["columns"]) / total
        assert drawn[column].isna().mean() == pytest.approx(expected, abs=0.006), column
    measurements = drawn[list(synthetic.MEASUREMENTS)].isna()
    assert (measurements.all(axis=1) | ~measurements.any(axis=1)).all()


def test_refitting_on_drawn_rows_recovers_the_profile(drawn):
    profile = synthetic.load_profile()
    refit = synthetic.fit_profile(drawn)
    for before, after in zip(profile.groups, refit.groups):
        assert (before["species"], before["sex"]) == (after["species"], after["sex"])
        spread = np.sqrt(np.diag(before["cov"]))
        assert np.all(np.abs(np.subtract(before["mean"], after["mean"])) < spread / 10)
    species = pd.DataFrame(profile.cells).groupby("species")["count"].sum()
    shares = drawn["species"].value_counts(normalize=True)
    for name, count in species.items():
        assert shares[name] == pytest.approx(count / species.sum(), abs=0.015)


def test_measurements_keep_the_real_files_precision(drawn):
    bills = drawn["bill_length_mm"].dropna()
    assert np.allclose(bills, bills.round(1))
    assert (drawn["body_mass_g"].dropna() % 1 == 0).all()


def test_the_command_writes_a_csv_that_reads_back(tmp_path: Path, capsys):
    output = tmp_path / "raw" / "penguins.csv"
    assert synthetic.main(["--rows", "1500", "--seed", "1", "--output", str(output)]) == 0
    assert "wrote 1,500 synthetic rows" in capsys.readouterr().out
    frame = synthetic.read_raw(output)
    assert list(frame.columns) == list(synthetic.COLUMNS) and len(frame) == 1500
    assert output.read_text().splitlines()[0] == ",".join(synthetic.COLUMNS)
    assert not list(output.parent.glob(".*partial"))


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path, capsys):
    output = tmp_path / "penguins.csv"
    output.write_text("keep me\n")
    with pytest.raises(SystemExit) as refused:
        synthetic.main(["--rows", "10", "--output", str(output)])
    assert refused.value.code == 2
    assert "exists; pass --force" in capsys.readouterr().err
    assert output.read_text() == "keep me\n"
    assert synthetic.main(["--rows", "10", "--output", str(output), "--force"]) == 0
    assert len(synthetic.read_raw(output)) == 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rows", "0"], "--rows: expected a positive whole number, got '0'"),
        (["--rows", "many"], "--rows: expected a positive whole number, got 'many'"),
        (["--rows", "5", "--seed", "-1"], "--seed: expected a whole number >= 0"),
        (["--rows", "5", "--source", "missing.csv"], "cannot fit on --source missing.csv"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path: Path, capsys, args, message):
    output = tmp_path / "penguins.csv"
    with pytest.raises(SystemExit) as refused:
        synthetic.main([*args, "--output", str(output)])
    assert refused.value.code == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
    assert not output.exists()
