"""Errors for the caller's mistakes: the project or the command line could not be read.

A failed check is a result, not an exception. Each error is a `click.ClickException`
(exit code 2, one line, no traceback): Kedro 1.7 under click 8.5 prints its own
`KedroCliError` as "NoneType: None", so we never raise that.
"""

from __future__ import annotations

from pathlib import Path

import click


class LayoutError(click.ClickException):
    """Raised when the project or the command line cannot be read (exit code 2)."""

    exit_code = 2

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        super().__init__(f"{path}: {message}" if path is not None else message)


class ManifestError(LayoutError):
    """Raised when `[tool.kedro_layout]` in pyproject.toml is not a valid manifest."""


class ProjectReadError(LayoutError):
    """Raised when a project file or folder cannot be read: broken TOML or YAML,
    permissions, a symlink loop, or no Kedro project at the path."""


class InvalidNameError(LayoutError):
    """Raised when a stage or folder name given on the command line is not usable."""


class UnsafeEditError(LayoutError):
    """Raised when a planned edit would leave the project root, overwrite a file,
    or renumber stages in a dirty git tree without --force."""


class PlanFailedError(LayoutError):
    """Raised when applying a plan failed; the project was restored as it was."""


class RuleLoadError(LayoutError):
    """Raised when a built-in rule is malformed: an id used twice, a class named unlike an
    id that sets none, or a fact that does not exist (a bug of this plugin)."""


class UpgradeError(LayoutError):
    """Raised when `kedro layout upgrade` cannot start: no template for a version, a
    version older than the recorded one, an answer that cannot render the template."""


class UseDataError(LayoutError):
    """Raised when `kedro layout use-data` cannot adopt a file: it cannot be read, the
    target cannot serve the task, or the project cannot take it; nothing was written."""
