"""Which paths git ignores: `git check-ignore` when the project is a git repository,
otherwise a small matcher for `.gitignore` files (no git, or a project not yet in git).

Only the patterns matter, not whether a file is tracked: `--no-index` asks git the same
question the matcher answers.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from kedro_ml_starter.manifest import Manifest
from kedro_plugin_layout.project.dvc import DvcTracked


def ignored_paths(root: Path, paths: Iterable[str]) -> tuple[dict[str, bool], str]:
    """Maps each relative posix path to whether git would ignore it, and says how it knew."""
    paths = list(paths)
    answer = _ask_git(root, paths)
    if answer is not None:
        return answer, "git"
    matcher = GitignoreMatcher.from_file(root / ".gitignore")
    return {p: matcher.ignored(p) for p in paths}, ".gitignore"


def gitignore_probes(manifest: Manifest, dvc: DvcTracked | None = None) -> list[str]:
    """The paths whose answers say whether the layout's data stays out of git and its
    folders in: a file, a nested file and `.gitkeep` in each data folder and models/, but
    those DVC keeps out of git itself (it restores the folder with `dvc pull`)."""
    probes = []
    for folder in layout_folders(manifest):
        if dvc is not None and dvc.keeps_out_of_git(folder):
            continue
        probes += [f"{folder}/file.csv", f"{folder}/nested/file.parquet", f"{folder}/.gitkeep"]
    return probes


def layout_folders(manifest: Manifest) -> list[str]:
    """The data folders and the models folder, as paths relative to the root."""
    return [f"{manifest.data_root}/{d.folder}" for d in manifest.data] + [manifest.models]


def _ask_git(root: Path, paths: list[str]) -> dict[str, bool] | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        inside = subprocess.run(
            [git, "rev-parse", "--is-inside-work-tree"], cwd=root, capture_output=True,
            text=True, stdin=subprocess.DEVNULL, timeout=30,
        )
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return None
        result = subprocess.run(
            [git, "check-ignore", "--no-index", "--stdin"], cwd=root, capture_output=True,
            text=True, input="\n".join(paths) + "\n", timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode not in (0, 1):
        return None
    ignored = set(result.stdout.splitlines())
    return {p: p in ignored for p in paths}


class GitignoreMatcher:
    """The subset of gitignore semantics projects use: negation, anchoring, `**`, dir-only.

    A path is ignored when its last matching pattern is not negated, or when one of its
    parent folders is ignored (git cannot re-include a file inside an excluded folder).
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self._patterns = [p for p in (_compile(line) for line in lines) if p is not None]

    @classmethod
    def from_file(cls, path: Path) -> GitignoreMatcher:
        try:
            return cls(path.read_text(encoding="utf-8", errors="replace").splitlines())
        except OSError:
            return cls([])

    def ignored(self, path: str) -> bool:
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts)):
            if self._match("/".join(parts[:depth]), is_dir=True):
                return True
        return self._match("/".join(parts), is_dir=path.endswith("/"))

    def _match(self, path: str, is_dir: bool) -> bool:
        result = False
        for regex, negated, dir_only in self._patterns:
            if dir_only and not is_dir:
                continue
            if regex.fullmatch(path):
                result = not negated
        return result


def _compile(line: str) -> tuple[re.Pattern[str], bool, bool] | None:
    line = line.rstrip("\n").rstrip()
    if not line or line.startswith("#"):
        return None
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    if line.startswith("\\"):
        line = line[1:]
    dir_only = line.endswith("/")
    line = line.rstrip("/")
    anchored = "/" in line
    line = line.lstrip("/")
    body = _translate(line)
    regex = body if anchored else f"(?:.*/)?{body}"
    return re.compile(regex), negated, dir_only


def _translate(pattern: str) -> str:
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(pattern[i]))
                i += 1
            else:
                out.append("[" + pattern[i + 1:end].replace("!", "^", 1) + "]")
                i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)
