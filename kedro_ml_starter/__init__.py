"""The `ml-structure` Kedro starter: a cookiecutter template shipped inside the wheel."""

from pathlib import Path

TEMPLATE_PATH = Path(__file__).parent / "template"
