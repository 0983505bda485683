"""Whether a project's tracked files have uncommitted changes.

Renumbering renames folders and edits many files; with a clean tree, `git diff` shows
exactly what it did and `git checkout .` undoes it. So it is refused on a dirty tree
unless the user passes --force. No git, or no repository: nothing to protect.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def dirty_tracked_files(root: Path) -> list[str]:
    """Tracked files under root with uncommitted changes (empty without git or a repo)."""
    git = shutil.which("git")
    if git is None:
        return []
    try:
        result = subprocess.run(
            [git, "status", "--porcelain", "--untracked-files=no", "--", "."],
            cwd=root, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    if result.returncode != 0:
        return []
    return [line[3:] for line in result.stdout.splitlines() if line.strip()]
