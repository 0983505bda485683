"""The errors this distribution raises for a user's mistake, free of any CLI library.

Each message is one line that names what is wrong (the file, the column, the value) and
how to fix it. The command-line layers (`kedro run` through the runtime's hooks, `kedro
serve`, `kedro layout`) print it as one `Error:` line and exit non-zero; a library caller
catches `UserError` like any exception.

The layout contract (`manifest`, `template_record`) raises `LayoutError` subclasses, which
`kedro layout` exits 2 for: the project (or the command line) could not be read.
"""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """Base of every error raised for something the user can fix (data, configuration,
    command-line input); never for a bug of this distribution.

    `path` is the file or folder the error is about, when there is one: the message
    then starts with it (`pyproject.toml: ...`).
    """

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.message = f"{path}: {message}" if path is not None else message
        super().__init__(self.message)


class LayoutError(UserError):
    """Raised when a project's layout or the command line cannot be read; `kedro layout`
    exits with `exit_code` (2) for it, after one line."""

    exit_code = 2


class ManifestError(LayoutError):
    """Raised when `[tool.kedro_layout]` in pyproject.toml is not a valid manifest."""


class ProjectReadError(LayoutError):
    """Raised when a project file or folder cannot be read: broken TOML or YAML,
    permissions, a symlink loop, or no Kedro project at the path."""
