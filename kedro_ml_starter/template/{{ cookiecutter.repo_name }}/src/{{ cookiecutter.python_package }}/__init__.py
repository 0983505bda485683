"""{{ cookiecutter.project_name }}: penguin species classification, one Kedro stage per step."""

__version__ = "0.1.0"
