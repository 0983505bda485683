"""Checks the answers again before any file is rendered (a second line of defence).

The same checks already ran while cookiecutter rendered its context (see
kedro_ml_starter/guard.py); this hook covers a template run without that extension.
Cookiecutter deletes the new project folder when this hook exits non-zero.
"""

import sys

from kedro_ml_starter.naming import InvalidName, check_answers

ANSWERS = {
    "project_name": """{{ cookiecutter.project_name }}""",
    "repo_name": """{{ cookiecutter.repo_name }}""",
    "python_package": """{{ cookiecutter.python_package }}""",
    "stage_style": """{{ cookiecutter.stage_style }}""",
    "engine": """{{ cookiecutter.engine }}""",
    "tracking": """{{ cookiecutter.tracking }}""",
    "task": """{{ cookiecutter.task }}""",
    "runtime_requirement": """{{ cookiecutter.runtime_requirement }}""",
}

try:
    check_answers(ANSWERS)
except InvalidName as exc:
    print(f"Error: {exc}", file=sys.stderr)
    sys.exit(1)
