"""Whether a project's tracked files have uncommitted changes.

Renumbering renames folders and edits many files; with a clean tree, `git diff` shows
exactly what it did and `git checkout .` undoes it. So it is refused on a dirty tree
unless the user passes --force. The answer fails closed: when git cannot say (git
missing inside a repository, a git error, a timeout), the tree counts as unknown, and
the caller refuses as it would for a dirty one. A project outside any git repository
has nothing git could restore: renumbering goes ahead, an upgrade (which may leave
conflict markers to resolve) asks for git or --force.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kedro_plugin_layout.errors import UnsafeEditError


@dataclass(frozen=True)
class GitState:
    """`dirty`: tracked files with changes; `unknown`: why git could not tell (or "");
    `outside`: no git repository holds the project."""

    dirty: tuple[str, ...] = ()
    unknown: str = ""
    outside: bool = False

    @property
    def clean(self) -> bool:
        return not self.dirty and not self.unknown


def git_state(root: Path) -> GitState:
    """The state of the tracked files under root."""
    git = shutil.which("git")
    if git is None:
        if _inside_repository(root):
            return GitState(unknown="git is not installed, so uncommitted changes cannot be "
                                    "seen")
        return GitState(outside=True)
    try:
        result = subprocess.run(
            [git, "status", "--porcelain", "--untracked-files=no", "--", "."],
            cwd=root, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return GitState(unknown=f"`git status` failed ({exc})")
    if result.returncode != 0:
        if "not a git repository" in result.stderr and not _inside_repository(root):
            return GitState(outside=True)
        detail = " ".join(result.stderr.split()) or f"exit code {result.returncode}"
        return GitState(unknown=f"`git status` failed ({detail})")
    return GitState(dirty=tuple(line[3:] for line in result.stdout.splitlines()
                                if line.strip()))


def refuse_unless_clean(root: Path, action: str, outside: str = "") -> None:
    """UnsafeEditError unless git shows no uncommitted change to a tracked file.

    `action` says what needs the clean tree ("renumbering"); with `outside`, the reason
    it needs git at all, a project outside any repository is refused too.
    """
    state = git_state(root)
    if state.outside and outside:
        raise UnsafeEditError(
            f"{action} needs the project in git ({outside}) but no git repository holds "
            "it; commit it to one first, or pass --force"
        )
    if state.unknown:
        raise UnsafeEditError(
            f"{action} needs a clean git tree, and git cannot tell whether tracked files "
            f"have changes: {state.unknown}; fix that, or pass --force"
        )
    if state.dirty:
        shown = ", ".join(state.dirty[:3]) + (" ..." if len(state.dirty) > 3 else "")
        raise UnsafeEditError(
            f"{action} needs a clean git tree but tracked files have changes ({shown}); "
            "commit them first, or pass --force"
        )


def _inside_repository(root: Path) -> bool:
    """A `.git` folder or file (worktrees, submodules) in root or one of its parents."""
    return any((folder / ".git").exists() for folder in (root.resolve(), *root.resolve().parents))
