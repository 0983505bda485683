"""Errors for the caller's mistakes: the project or the command line could not be read.

A failed check is a result, not an exception. Every error here is a `LayoutError`, the
contract's plain exception (`kedro_ml_starter.errors`, free of click) that carries the
offending path: library code raises it, and the CLI (`cli.py`) prints it as one line and
exits 2, never a traceback. The CLI raises `click.ClickException` itself: Kedro 1.7 under
click 8.5 prints its own `KedroCliError` as "NoneType: None", so we never raise that.
"""

from __future__ import annotations

from kedro_ml_starter.errors import LayoutError, ManifestError, ProjectReadError, UserError


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


__all__ = ["InvalidNameError", "LayoutError", "ManifestError", "PlanFailedError",
           "ProjectReadError", "RuleLoadError", "UnsafeEditError", "UpgradeError",
           "UseDataError", "UserError"]
