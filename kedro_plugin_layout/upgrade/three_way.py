"""One file, three versions: the old template's (base), the new template's (theirs) and
the project's (yours). Which one wins, or how they merge, is decided here, with no disk
access, so every case is a small unit test.

- Nobody changed it, or only you did: nothing is written.
- Only the template changed it: the new version is written.
- Both changed it: text is merged three ways by `git merge-file` (line based);
  lines both changed differently are left between git-style conflict markers. A Kedro
  config file whose lines conflict is merged entry by entry instead when that leaves
  fewer conflicts (`yaml_entries.py`): an entry appended next to one the template
  changed is no conflict. Data, notebooks and anything that is not UTF-8 text are never
  merged: yours is kept and the report says the template's change was not applied.
- A file you deleted stays deleted; one the template removed goes only if you never
  changed it; a file new in the template is added, or merged with yours (add/add).
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kedro_plugin_layout.errors import UpgradeError
from kedro_plugin_layout.kinds import FileOutcome
from kedro_plugin_layout.project.config import CONF
from kedro_plugin_layout.project.datafiles import DATA_SUFFIXES
from kedro_plugin_layout.upgrade.yaml_entries import merge_entries

# Never merged line by line: a merged notebook, data file or image is not a valid one.
OPAQUE_SUFFIXES = DATA_SUFFIXES | {
    ".ipynb", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".pdf", ".zip", ".gz", ".xz", ".whl",
}


@dataclass(frozen=True)
class Labels:
    """The names the conflict markers give each side."""

    yours: str = "yours"
    theirs: str = "template"


@dataclass(frozen=True)
class Merged:
    text: str
    conflicts: int


def merge_text(base: str, yours: str, theirs: str, labels: Labels = Labels()) -> Merged:
    """A line-based three-way merge by `git merge-file` (the upgrade needs git anyway: it
    refuses a project outside git); conflicting hunks between git's own `<<<<<<<` /
    `=======` / `>>>>>>>` markers, each as small as the common lines allow."""
    with tempfile.TemporaryDirectory(prefix="kedro-layout-merge-") as folder:
        paths = []
        for name, text in (("yours", yours), ("base", base), ("theirs", theirs)):
            path = Path(folder) / name
            path.write_bytes(text.encode("utf-8"))
            paths.append(str(path))
        try:
            result = subprocess.run(
                ["git", "merge-file", "-p", "-L", labels.yours, "-L", "base",
                 "-L", labels.theirs, *paths],
                capture_output=True, check=False,
            )
        except FileNotFoundError:
            raise UpgradeError(
                "git is not installed: `kedro layout upgrade` merges files with "
                "`git merge-file`; install git and run it again"
            ) from None
    # Exit status: the number of conflicts (at most 127), or 255 / a signal on an error.
    if not 0 <= result.returncode <= 127:
        raise UpgradeError(f"git merge-file failed: {result.stderr.decode(errors='replace')}")
    return Merged(result.stdout.decode("utf-8"), result.returncode)


@dataclass(frozen=True)
class Decision:
    """What happens to one file: the outcome, what to write (when it writes) and why."""

    outcome: FileOutcome
    content: bytes | None = None
    conflicts: int = 0
    note: str = ""


def decide(
    base: bytes | None,
    theirs: bytes | None,
    yours: bytes | None,
    *,
    opaque: bool = False,
    entries: bool = False,
    labels: Labels = Labels(),
) -> Decision:
    """The decision for one path; None means the file does not exist on that side.
    `entries`: a Kedro config file, merged entry by entry where lines conflict."""
    if yours is None:
        return _absent_in_project(base, theirs)
    if theirs is None:
        if yours == base:
            return Decision(FileOutcome.REMOVED)
        return Decision(FileOutcome.KEPT_CHANGED,
                        note="you changed it and the template removed it: kept")
    if yours == theirs or (base is not None and base == theirs):
        return Decision(FileOutcome.UNCHANGED)
    if base is not None and yours == base:
        return Decision(FileOutcome.UPDATED, theirs)
    texts = None if opaque else _texts(base or b"", yours, theirs)
    if texts is None:
        return Decision(FileOutcome.KEPT_YOURS,
                        note="changed by you and by the template; not merged as text "
                             "(data, notebook or binary): the template's change is not applied")
    merged = merge_text(*texts, labels=labels)
    if merged.conflicts and entries:
        merged = _by_entries(texts, merged, labels)
    outcome = FileOutcome.CONFLICT if merged.conflicts else FileOutcome.MERGED
    note = "" if base is not None else "added by the template where you had a file"
    return Decision(outcome, merged.text.encode("utf-8"), merged.conflicts, note)


def _by_entries(texts: tuple[str, str, str], merged: Merged, labels: Labels) -> Merged:
    """The entry-wise merge (`yaml_entries.py`) when it leaves fewer conflicts."""
    def lines(base: str, yours: str, theirs: str) -> tuple[str, int]:
        result = merge_text(base, yours, theirs, labels=labels)
        return result.text, result.conflicts

    by_entries = merge_entries(*texts, merge=lines)
    if by_entries is None or by_entries[1] >= merged.conflicts:
        return merged
    return Merged(*by_entries)


def _absent_in_project(base: bytes | None, theirs: bytes | None) -> Decision:
    if base is None and theirs is not None:
        return Decision(FileOutcome.ADDED, theirs)
    if theirs is None or base == theirs:
        return Decision(FileOutcome.KEPT_DELETED)
    return Decision(FileOutcome.KEPT_DELETED,
                    note="you deleted it and the template changed it: not restored")


def _texts(*sides: bytes) -> tuple[str, str, str] | None:
    try:
        texts = tuple(side.decode("utf-8") for side in sides)
    except UnicodeDecodeError:
        return None
    if any("\x00" in text for text in texts):
        return None
    return texts  # type: ignore[return-value]


def is_opaque(path: str, data_roots: tuple[str, ...] = ()) -> bool:
    """Whether a path is never merged as text: data and model folders, notebooks, binaries."""
    name = path.rsplit("/", 1)[-1]
    suffix = name[name.rfind("."):].lower() if "." in name else ""
    return suffix in OPAQUE_SUFFIXES or any(path.startswith(f"{root}/") for root in data_roots)


def is_config(path: str) -> bool:
    """A Kedro config file (conf/<env>/...yml): merged entry by entry where lines conflict."""
    return path.startswith(f"{CONF}/") and path.endswith((".yml", ".yaml"))
