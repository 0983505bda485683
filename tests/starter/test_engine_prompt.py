"""The `engine`, `tracking` and `task` questions: asked on a terminal, never without one,
skipped by `--config`.

Each test runs the real `kedro new` as a user would. The terminal tests give it a
pseudo-terminal as stdin and stdout and answer the prompts as they appear. Cookiecutter
records the answers it generated with in its replay file; the tests point that file
into tmp_path (COOKIECUTTER_CONFIG) and read the answers from it.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support import KEDRO, env, kedro

pytestmark = pytest.mark.e2e

ENGINE_PROMPT = "(pandas, spark) [pandas]:"
TRACKING_PROMPT = "(none, mlflow) [none]:"
TASK_PROMPT = "(classification, regression) [classification]:"
NAME_PROMPT = "Project Name"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_SAFETY_NET = 300  # seconds: a hung prompt fails the test instead of hanging the suite


class Terminal:
    """`kedro new` on a pseudo-terminal: wait for a text, then type an answer."""

    def __init__(self, args: list[str], cwd: Path, **extra_env: str) -> None:
        self.master, slave = os.openpty()
        self.process = subprocess.Popen(
            [KEDRO, *args], cwd=cwd, env=env(**extra_env),
            stdin=slave, stdout=slave, stderr=slave, close_fds=True,
        )
        os.close(slave)
        self.transcript = ""
        self._seen = 0

    def expect(self, text: str) -> str:
        """Reads until `text` appears after what was already matched; returns the new output."""
        while text not in self.transcript[self._seen:]:
            if not self._read():
                raise AssertionError(f"never saw {text!r}; output:\n{self.transcript}")
        start = self._seen
        self._seen = self.transcript.index(text, self._seen) + len(text)
        return self.transcript[start:self._seen]

    def answer(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\n")

    def finish(self) -> int:
        """Reads everything left and returns the exit code."""
        while self._read():
            pass
        os.close(self.master)
        return self.process.wait(timeout=_SAFETY_NET)

    def _read(self) -> bool:
        ready, _, _ = select.select([self.master], [], [], _SAFETY_NET)
        if not ready:
            self.process.kill()
            raise AssertionError(f"no output for {_SAFETY_NET}s; output:\n{self.transcript}")
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # EIO: the process closed the terminal
            return False
        self.transcript += _ANSI.sub("", chunk.decode(errors="replace")).replace("\r", "")
        return bool(chunk)


@pytest.fixture
def replay_env(tmp_path: Path) -> dict[str, str]:
    """Points cookiecutter's replay file (the answers it generated with) into tmp_path."""
    config = tmp_path / "cookiecutter-config.yml"
    config.write_text(yaml.safe_dump({"replay_dir": str(tmp_path / "replay")}))
    return {"COOKIECUTTER_CONFIG": str(config)}


def _recorded(tmp_path: Path) -> tuple[str, str, str]:
    """(engine, tracking, task) as cookiecutter generated the project."""
    answers = json.loads((tmp_path / "replay" / "template.json").read_text())["cookiecutter"]
    return answers["engine"], answers["tracking"], answers["task"]


def _work(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    return work


def test_terminal_is_asked_and_a_bad_engine_is_asked_again(tmp_path: Path, replay_env):
    work = _work(tmp_path)
    terminal = Terminal(["new", "--starter=ml-structure", "--name", "Tty Lab"], work,
                        **replay_env)
    shown = terminal.expect(ENGINE_PROMPT)
    assert "Engine\n======" in shown and "needs Java 17+ and pyspark" in shown
    assert "pandas: one machine, no JVM" in shown
    terminal.answer("flink")
    retry = terminal.expect(ENGINE_PROMPT)
    error = "Error: invalid engine 'flink': use one of pandas, spark"
    assert retry == f" flink\n{error}\n {ENGINE_PROMPT}"
    terminal.answer("spark")
    shown = terminal.expect(TRACKING_PROMPT)
    assert "Tracking\n========" in shown and "mlflow: each `kedro run` that trains" in shown
    terminal.answer("wandb")
    retry = terminal.expect(TRACKING_PROMPT)
    assert retry == (" wandb\nError: invalid tracking 'wandb': use one of none, mlflow\n "
                     f"{TRACKING_PROMPT}")
    terminal.answer(" MLflow ")
    shown = terminal.expect(TASK_PROMPT)
    assert "Task\n====" in shown and "regression:     a number" in shown
    terminal.answer("clustering")
    retry = terminal.expect(TASK_PROMPT)
    assert retry == (" clustering\nError: invalid task 'clustering': use one of "
                     f"classification, regression\n {TASK_PROMPT}")
    terminal.answer("Regression")
    code = terminal.finish()
    assert code == 0, terminal.transcript
    assert "Traceback" not in terminal.transcript
    assert (work / "tty-lab" / "conf/base/tracking.yml").is_file()
    contract = (work / "tty-lab" / "conf/base/parameters_data_contract.yml").read_text()
    assert "  target: body_mass_g\n  task: regression\n" in contract
    assert _recorded(tmp_path) == ("spark", "mlflow", "regression")


def test_fully_interactive_asks_the_name_then_the_engine(tmp_path: Path, replay_env):
    work = _work(tmp_path)
    terminal = Terminal(["new", "--starter=ml-structure"], work, **replay_env)
    terminal.expect(NAME_PROMPT)
    terminal.expect("[Penguin Lab]:")
    terminal.answer("Tty Lab Two")
    before_engine = terminal.expect(ENGINE_PROMPT)
    assert "Engine\n======" in before_engine
    terminal.answer("")
    terminal.expect(TRACKING_PROMPT)
    terminal.answer("")
    terminal.expect(TASK_PROMPT)
    terminal.answer("")
    code = terminal.finish()
    assert code == 0, terminal.transcript
    assert (work / "tty-lab-two" / "pyproject.toml").is_file()
    assert _recorded(tmp_path) == ("pandas", "none", "classification")


def test_without_a_terminal_nothing_is_asked_and_pandas_is_used(tmp_path: Path, replay_env):
    work = _work(tmp_path)
    result = kedro(["new", "--starter=ml-structure", "--name", "Quiet Lab"], work,
                   **replay_env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Engine" not in output and "pandas, spark" not in output, output
    assert "Tracking" not in output and "none, mlflow" not in output, output
    assert "Task" not in output and "classification, regression" not in output, output
    assert (work / "quiet-lab" / "pyproject.toml").is_file()
    assert _recorded(tmp_path) == ("pandas", "none", "classification")


def test_config_answers_are_used_without_asking_even_on_a_terminal(tmp_path: Path, replay_env):
    work = _work(tmp_path)
    config = tmp_path / "config.yml"
    config.write_text(yaml.safe_dump({"project_name": "Config Lab", "engine": "spark",
                                      "tracking": "mlflow", "task": "regression"}))
    terminal = Terminal(["new", "--starter=ml-structure", "--config", str(config)], work,
                        **replay_env)
    code = terminal.finish()
    assert code == 0, terminal.transcript
    assert "Engine" not in terminal.transcript, terminal.transcript
    assert "Tracking" not in terminal.transcript, terminal.transcript
    assert "Task" not in terminal.transcript, terminal.transcript
    assert (work / "config-lab" / "pyproject.toml").is_file()
    assert _recorded(tmp_path) == ("spark", "mlflow", "regression")


@pytest.mark.parametrize(
    ("name", "taken", "phrase"),
    [("Pandas", False, "invalid python_package 'pandas'"),
     ("Taken Lab", True, "taken-lab already exists")],
)
def test_a_refused_name_is_refused_before_the_engine_is_asked(
    tmp_path: Path, replay_env, name: str, taken: bool, phrase: str
):
    work = _work(tmp_path)
    if taken:
        (work / "taken-lab").mkdir()
        (work / "taken-lab" / "notes.txt").write_text("mine\n")
    terminal = Terminal(["new", "--starter=ml-structure", "--name", name], work, **replay_env)
    code = terminal.finish()
    assert code == 1, terminal.transcript
    assert phrase in terminal.transcript, terminal.transcript
    assert "Engine" not in terminal.transcript and "Traceback" not in terminal.transcript
    assert sorted(p.name for p in work.rglob("*")) == (["notes.txt", "taken-lab"] if taken else [])


def test_end_of_input_at_the_engine_prompt_aborts_cleanly(tmp_path: Path, replay_env):
    work = _work(tmp_path)
    terminal = Terminal(["new", "--starter=ml-structure", "--name", "Gone Lab"], work,
                        **replay_env)
    terminal.expect(ENGINE_PROMPT)
    os.write(terminal.master, b"\x04")  # Ctrl-D
    code = terminal.finish()
    assert code == 1, terminal.transcript
    assert "Aborted!" in terminal.transcript
    assert "Traceback" not in terminal.transcript and "NoneType" not in terminal.transcript
    assert list(work.iterdir()) == []
