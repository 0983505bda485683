"""Whether a new file would change what an existing `import` finds.

Python's path finder looks in each folder for a package (`utils/__init__.py`) before a
module (`utils.py`, or a compiled `utils.*.so`), and for a namespace package (a folder
without `__init__.py`) only when neither exists. So creating `utils/__init__.py` next to
`utils.py` makes `from pkg.utils import x` find the new, empty package, and creating
`utils.py` next to a namespace folder `utils/` hides the modules inside it. On real
projects `kedro layout init` did the first and broke `kedro run` (issue 27): writing
commands skip such files when they plan, and the plan refuses them as a last guard.
"""

from __future__ import annotations

import importlib.machinery
from pathlib import Path, PurePosixPath

# `.py`, `.pyc` and the extension-module suffixes of this interpreter.
MODULE_SUFFIXES = tuple(importlib.machinery.all_suffixes())


def shadowed_by(root: Path, relative: str) -> str | None:
    """The existing module or package (relative posix path) that creating the file
    `relative` would hide from `import`, or None when it hides nothing."""
    path = PurePosixPath(relative)
    if path.name == "__init__.py":
        folder = path.parent
        if str(folder) in ("", ".") or (root / relative).exists():
            return None
        for suffix in MODULE_SUFFIXES:
            module = folder.parent / f"{folder.name}{suffix}"
            if (root / module).is_file():
                return module.as_posix()
        return None
    if path.suffix != ".py":
        return None
    package = root / path.parent / path.stem
    if package.is_dir() and not (package / "__init__.py").exists() and _holds_modules(package):
        return f"{(path.parent / path.stem).as_posix()}/"
    return None


def _holds_modules(folder: Path) -> bool:
    """A namespace package: a folder with Python modules or packages in it."""
    try:
        return any(entry.suffix in MODULE_SUFFIXES or (entry / "__init__.py").is_file()
                   for entry in folder.iterdir())
    except OSError:
        return False


__all__ = ["MODULE_SUFFIXES", "shadowed_by"]
