"""Unit tests for kedro_ml_starter.naming: which names a new project may have."""

from __future__ import annotations

from pathlib import Path

import pytest

from kedro_ml_starter import guard
from kedro_ml_starter.guard import ask_engine, ask_task, ask_tracking, refuse_bad_answers
from kedro_ml_starter.naming import (
    ENGINES,
    TASKS,
    TRACKINGS,
    InvalidName,
    check_answers,
    check_engine,
    check_project_name,
    check_python_package,
    check_repo_name,
    check_stage_style,
    check_target_free,
    check_task,
    check_tracking,
    package_name_for,
    repo_name_for,
)

GOOD = {"project_name": "Penguin Lab", "repo_name": "penguin-lab",
        "python_package": "penguin_lab", "stage_style": "numbered", "engine": "pandas",
        "tracking": "none", "task": "classification"}


@pytest.mark.parametrize("name", ["Penguin Lab", "ml-project 2", "ab", "My_Lab"])
def test_good_project_names_pass(name):
    assert check_project_name(f"  {name} ") == name


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("a", "at least 2 characters"),
        ("a/b", "path separators"),
        ("a\\b", "path separators"),
        ("..", "path separators and '..'"),
        ("café", "ASCII characters only"),
        ("class", "Python keyword"),
        ("match", "Python keyword"),
        ("json", "standard library module"),
        ("pandas", "imports a package of that name"),
        ("2lab", "start with a letter"),
        ("lab!", "start with a letter and use only"),
        ("x" * 101, "at most 100 characters"),
    ],
)
def test_bad_project_names_say_why(name, reason):
    with pytest.raises(InvalidName) as error:
        check_project_name(name)
    assert reason in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("name", ["../x", "a/b", "/tmp/x", ".", "..", ".hidden", "Caps",
                                  "café", ""])
def test_bad_repo_names_are_refused(name):
    with pytest.raises(InvalidName, match="invalid repo_name"):
        check_repo_name(name)


@pytest.mark.parametrize("name", ["a.b", "2lab", "with-dash", "json", "for", "sys", "", "é"])
def test_bad_package_names_are_refused(name):
    with pytest.raises(InvalidName, match="invalid python_package"):
        check_python_package(name)


def test_derived_names_match_kedro():
    assert repo_name_for(" Penguin_Lab 2 ") == "penguin-lab-2"
    assert package_name_for(" Penguin-Lab 2 ") == "penguin_lab_2"


def test_stage_style_must_be_known():
    assert check_stage_style("plain") == "plain"
    with pytest.raises(InvalidName, match="use one of numbered, plain"):
        check_stage_style("Numbered")


def test_engine_must_be_known():
    assert ENGINES == ("pandas", "spark")
    assert [check_engine(engine) for engine in ENGINES] == ["pandas", "spark"]
    for bad in ("flink", "Spark", " spark", "", "None"):
        with pytest.raises(InvalidName) as error:
            check_engine(bad)
        assert str(error.value) == f"invalid engine {bad!r}: use one of pandas, spark"


def test_tracking_must_be_known():
    assert TRACKINGS == ("none", "mlflow")
    assert [check_tracking(choice) for choice in TRACKINGS] == ["none", "mlflow"]
    for bad in ("kedro-mlflow", "MLflow", "", "None"):
        with pytest.raises(InvalidName) as error:
            check_tracking(bad)
        assert str(error.value) == f"invalid tracking {bad!r}: use one of none, mlflow"


def test_task_must_be_known():
    assert TASKS == ("classification", "regression")
    assert [check_task(choice) for choice in TASKS] == ["classification", "regression"]
    for bad in ("clustering", "Regression", "", "None"):
        with pytest.raises(InvalidName) as error:
            check_task(bad)
        assert str(error.value) == (f"invalid task {bad!r}: use one of classification, "
                                    "regression")


def test_check_answers_names_the_first_bad_key():
    check_answers(GOOD)
    with pytest.raises(InvalidName, match="invalid repo_name '../x'"):
        check_answers({**GOOD, "repo_name": "../x"})
    with pytest.raises(InvalidName, match="invalid stage_style"):
        check_answers({**GOOD, "stage_style": "fancy"})
    with pytest.raises(InvalidName, match="invalid engine 'flink'"):
        check_answers({**GOOD, "engine": "flink"})
    with pytest.raises(InvalidName, match="invalid engine ''"):
        check_answers({k: v for k, v in GOOD.items() if k != "engine"})
    with pytest.raises(InvalidName, match="invalid tracking 'wandb'"):
        check_answers({**GOOD, "tracking": "wandb"})
    with pytest.raises(InvalidName, match="invalid task 'clustering'"):
        check_answers({**GOOD, "task": "clustering"})
    # templates before tracking and task existed, rendered again by `kedro layout upgrade`
    check_answers({k: v for k, v in GOOD.items() if k not in ("tracking", "task")})


def test_an_existing_target_is_refused(tmp_path: Path):
    (tmp_path / "taken").mkdir()
    assert check_target_free(tmp_path / "free") == tmp_path / "free"
    with pytest.raises(InvalidName, match="already exists"):
        check_target_free(tmp_path / "taken")


def test_guard_filter_exits_with_one_line(tmp_path: Path, capsys):
    assert refuse_bad_answers({**GOOD, "output_dir": str(tmp_path)}) == "ok"
    with pytest.raises(SystemExit) as stop:
        refuse_bad_answers({**GOOD, "python_package": "json", "output_dir": str(tmp_path)})
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid python_package 'json'" in err


def test_guard_filter_refuses_a_bad_engine(tmp_path: Path, capsys):
    with pytest.raises(SystemExit) as stop:
        refuse_bad_answers({**GOOD, "engine": "flink", "output_dir": str(tmp_path)})
    assert stop.value.code == 1
    assert capsys.readouterr().err == "Error: invalid engine 'flink': use one of pandas, spark\n"


def test_ask_engine_without_a_terminal_answers_pandas_silently(tmp_path: Path, capsys,
                                                               monkeypatch):
    monkeypatch.setattr(guard, "_stdin_is_a_terminal", lambda: False)
    answers = {k: v for k, v in GOOD.items() if k != "engine"}
    assert ask_engine({**answers, "output_dir": str(tmp_path)}) == "pandas"
    assert capsys.readouterr() == ("", "")


def test_ask_tracking_without_a_terminal_answers_none_silently(capsys, monkeypatch):
    monkeypatch.setattr(guard, "_stdin_is_a_terminal", lambda: False)
    assert ask_tracking({**GOOD, "tracking": "{{ cookiecutter | ask_tracking }}"}) == "none"
    assert capsys.readouterr() == ("", "")


def test_ask_task_without_a_terminal_answers_classification_silently(capsys, monkeypatch):
    monkeypatch.setattr(guard, "_stdin_is_a_terminal", lambda: False)
    assert ask_task({**GOOD, "task": "{{ cookiecutter | ask_task }}"}) == "classification"
    assert capsys.readouterr() == ("", "")


def test_ask_engine_refuses_a_bad_name_before_asking(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setattr(guard, "_stdin_is_a_terminal", lambda: True)
    (tmp_path / "penguin-lab").mkdir()
    with pytest.raises(SystemExit) as stop:
        ask_engine({**GOOD, "output_dir": str(tmp_path)})
    assert stop.value.code == 1
    out, err = capsys.readouterr()
    assert out == "" and "penguin-lab already exists" in err and err.count("\n") == 1
