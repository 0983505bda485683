"""{{ cookiecutter.project_name }}: a tabular {{ cookiecutter.task }} project, one Kedro stage per step."""

__version__ = "0.1.0"
