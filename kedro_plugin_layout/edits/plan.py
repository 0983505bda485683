"""A transactional edit plan: what `add-stage`, `fix`, `init` and `upgrade` will do, before
doing it.

Commands never touch the disk directly. They build a `Plan` of typed operations,
show it with `describe()` for `--dry-run`, and `apply()` it. Applying checks every
operation first (targets inside the project root, no file overwritten, edited files
and deleted files unchanged since planning), then runs them; if one fails half-way,
everything already done is undone so the project is byte-for-byte as it was, and
`PlanFailedError` says why. Content is text, or bytes for files that are not text.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from kedro_plugin_layout.edits.shadowing import shadowed_by
from kedro_plugin_layout.errors import PlanFailedError, UnsafeEditError


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class CreateDir:
    """Creates one folder; its parent must exist or be created earlier in the plan."""

    path: str

    def describe(self) -> str:
        return f"create dir   {self.path}/"


@dataclass(frozen=True)
class CreateFile:
    """Creates a new file; refused if anything already exists at the path."""

    path: str
    content: str | bytes

    def describe(self) -> str:
        return f"create file  {self.path}"


@dataclass(frozen=True)
class Rename:
    """Moves a file or folder; refused if the destination exists."""

    src: str
    dst: str

    def describe(self) -> str:
        return f"rename       {self.src} -> {self.dst}"


@dataclass(frozen=True)
class EditFile:
    """Replaces a file's text; refused unless the file still has the hash it had when planned."""

    path: str
    old_sha256: str
    new_text: str | bytes
    old_text: str | bytes = field(default="", repr=False)

    def describe(self) -> str:
        if isinstance(self.new_text, bytes) or isinstance(self.old_text, bytes):
            return f"edit file    {self.path} (binary)"
        diff = _diff_lines(self.old_text, self.new_text, self.path)
        added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
        removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
        return f"edit file    {self.path} (+{added} -{removed} lines)"

    def diff(self) -> str:
        if isinstance(self.new_text, bytes) or isinstance(self.old_text, bytes):
            return f"Binary file {self.path} changed\n"
        return "".join(_diff_lines(self.old_text, self.new_text, self.path))


@dataclass(frozen=True)
class ReplaceFile(EditFile):
    """Overwrites a data file with other bytes (`put_file`): the plan says so, with the
    sizes, and shows no diff."""

    def describe(self) -> str:
        return (f"replace file {self.path} (overwrites the file there: "
                f"{size_text(len(self.old_text))} -> {size_text(len(self.new_text))})")

    def diff(self) -> str:
        return ""


def size_text(n_bytes: int) -> str:
    """`12.3 kB`: a file's size for the plan."""
    size = float(n_bytes)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{n_bytes} B"


@dataclass(frozen=True)
class DeleteFile:
    """Deletes a file; refused unless it still has the hash it had when planned."""

    path: str
    old_sha256: str

    def describe(self) -> str:
        return f"delete file  {self.path}"


@dataclass(frozen=True)
class DeleteDir:
    """Removes a folder that the plan's earlier operations left empty."""

    path: str

    def describe(self) -> str:
        return f"delete dir   {self.path}/"


Operation = CreateDir | CreateFile | Rename | EditFile | DeleteFile | DeleteDir


def _diff_lines(old: str, new: str, path: str) -> list[str]:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    return [line if line.endswith("\n") else line + "\n" for line in lines]


@dataclass
class Plan:
    """An ordered list of operations on paths relative to a project root."""

    operations: list[Operation] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.operations)

    def add(self, operation: Operation) -> None:
        self.operations.append(operation)

    def create_dir(self, path: str) -> None:
        self.add(CreateDir(_posix(path)))

    def create_file(self, path: str, content: str | bytes) -> None:
        self.add(CreateFile(_posix(path), content))

    def rename(self, src: str, dst: str) -> None:
        self.add(Rename(_posix(src), _posix(dst)))

    def edit_file(self, root: Path, path: str, new_text: str | bytes) -> None:
        """Plans an edit of a file as it is now; a no-op edit is left out. Bytes replace
        a file whatever it holds; text replaces UTF-8 text."""
        try:
            data = (root / path).read_bytes()
            old_text: str | bytes = data if isinstance(new_text, bytes) else data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "not UTF-8 text"
            raise UnsafeEditError(f"{path} cannot be read ({reason}); fix it and run again") \
                from None
        if old_text != new_text:
            self.add(EditFile(_posix(path), sha256_bytes(data), new_text, old_text))

    def delete_file(self, root: Path, path: str) -> None:
        """Plans deleting a file as it is now (refused later if it changes meanwhile)."""
        try:
            data = (root / path).read_bytes()
        except OSError as exc:
            raise UnsafeEditError(f"{path} cannot be read ({exc.strerror}); fix it and run "
                                  "again") from None
        self.add(DeleteFile(_posix(path), sha256_bytes(data)))

    def delete_dir(self, path: str) -> None:
        self.add(DeleteDir(_posix(path)))

    def planned_dirs(self) -> set[str]:
        return {op.path for op in self.operations if isinstance(op, CreateDir)}

    def planned_files(self) -> set[str]:
        return {op.path for op in self.operations if isinstance(op, CreateFile)}

    def ensure_dirs(self, root: Path, relative: str) -> list[str]:
        """Plans each missing folder of a relative path; returns the ones it planned."""
        planned, parts = [], _posix(relative).split("/")
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth])
            if not (root / folder).is_dir() and folder not in self.planned_dirs():
                self.create_dir(folder)
                planned.append(folder)
        return planned

    def ensure_file(self, root: Path, relative: str, content: str | bytes) -> bool:
        """Plans a file (and its folders) unless something already exists at the path, or
        the file would hide an existing module from `import` (see `edits/shadowing.py`)."""
        if os.path.lexists(root / relative) or _posix(relative) in self.planned_files():
            return False
        hidden = shadowed_by(root, _posix(relative))
        if hidden is not None and hidden not in _leaving(self.operations):
            return False
        parent = PurePosixPath(_posix(relative)).parent.as_posix()
        if parent != ".":
            self.ensure_dirs(root, parent)
        self.create_file(relative, content)
        return True

    def put_file(self, root: Path, relative: str, content: bytes) -> None:
        """Plans a data file (and its folders): created, or a regular file of the same name
        that holds other bytes replaced (`ReplaceFile`); the same bytes plan nothing.
        Anything else at the path (a link, a folder) is refused."""
        target = root / relative
        if target.is_file() and not target.is_symlink():
            old = target.read_bytes()
            if old != content:
                self.add(ReplaceFile(_posix(relative), sha256_bytes(old), content, old))
            return
        if os.path.lexists(target):
            raise UnsafeEditError(f"{relative} exists and is not a regular file (a link or a "
                                  "folder); move it away and run again", root)
        self.ensure_file(root, relative, content)

    def ensure_package(self, root: Path, relative: str) -> None:
        """Plans missing folders as Python packages, each with an empty `__init__.py`."""
        for folder in self.ensure_dirs(root, relative):
            self.create_file(f"{folder}/__init__.py", "")

    def describe(self) -> str:
        """The exact plan, one operation per line, paths relative to the project root."""
        return "\n".join(op.describe() for op in self.operations)

    def diffs(self) -> str:
        """Unified diffs of the planned edits, for `--dry-run`."""
        return "".join(op.diff() for op in self.operations if isinstance(op, EditFile))

    def apply(self, root: Path, verify: Callable[[], None] | None = None) -> None:
        """Checks then applies every operation; on any failure restores the project.

        `verify`, when given, runs once everything is applied; if it raises (saying in its
        message what the plan broke), the project is restored as well."""
        root = root.resolve()
        preflight(self.operations, root)
        journal: list[_Undo] = []
        op: Operation | None = None
        try:
            for op in self.operations:
                journal.append(_apply_one(op, root))
            op = None
            if verify is not None:
                verify()
        except BaseException as exc:  # every failure is rolled back, even Ctrl-C
            problems = _rollback(journal)
            if not isinstance(exc, Exception):
                raise
            raise PlanFailedError(_failure_message(op, exc, problems)) from exc


def _posix(path: str) -> str:
    pure = PurePosixPath(str(path).replace(os.sep, "/"))
    if pure.is_absolute() or ".." in pure.parts or str(pure) in ("", "."):
        raise UnsafeEditError(f"{path!r} is not a path inside the project; refusing to plan it")
    return pure.as_posix()


# -- checks ------------------------------------------------------------------------------


def resolve_inside(root: Path, relative: str) -> Path:
    """The absolute target of a relative path, refusing any that leaves the root (symlinks too)."""
    target = root / relative
    real = Path(os.path.realpath(target))
    if real != root and root not in real.parents:
        raise UnsafeEditError(
            f"{relative} resolves to {real}, outside the project root; refusing to write there"
        )
    return target


def preflight(operations: list[Operation], root: Path) -> None:
    """Refuses the whole plan before anything is written if any operation is unsafe."""
    freed: set[str] = set()
    taken: set[str] = set()
    leaving = _leaving(operations)
    for op in operations:
        if isinstance(op, Rename):
            resolve_inside(root, op.src)
            _must_be_free(root, op.dst, freed, taken)
            if not (root / op.src).exists() and op.src not in taken:
                raise UnsafeEditError(f"{op.src} does not exist; cannot rename it to {op.dst}")
            freed.add(op.src)
            taken.add(op.dst)
        elif isinstance(op, EditFile | DeleteFile):
            target = resolve_inside(root, op.path)
            verb = "edit" if isinstance(op, EditFile) else "delete"
            if target.is_symlink() or not target.is_file():
                raise UnsafeEditError(f"{op.path} is not a regular file; refusing to {verb} it")
            if sha256_bytes(target.read_bytes()) != op.old_sha256:
                raise UnsafeEditError(
                    f"{op.path} changed since the plan was made; run the command again"
                )
            if isinstance(op, DeleteFile):
                freed.add(op.path)
        elif isinstance(op, DeleteDir):
            target = resolve_inside(root, op.path)
            if target.is_symlink() or not target.is_dir():
                raise UnsafeEditError(f"{op.path} is not a folder; refusing to delete it")
            freed.add(op.path)
        else:
            _must_be_free(root, op.path, freed, taken)
            hidden = shadowed_by(root, op.path) if isinstance(op, CreateFile) else None
            if hidden is not None and hidden not in leaving:
                raise UnsafeEditError(
                    f"{op.path} would hide {hidden} from `import` (a package is found before "
                    "a module of the same name); refusing to create it"
                )
            taken.add(op.path)


def _leaving(operations: list[Operation]) -> set[str]:
    """The paths a plan deletes or renames away (a module a package may then replace)."""
    return ({op.path for op in operations if isinstance(op, DeleteFile)}
            | {op.src for op in operations if isinstance(op, Rename)})


def _must_be_free(root: Path, relative: str, freed: set[str], taken: set[str]) -> None:
    target = resolve_inside(root, relative)
    if relative in taken:
        raise UnsafeEditError(f"{relative} is created twice in the plan; refusing")
    if os.path.lexists(target) and relative not in freed:
        raise UnsafeEditError(
            f"{relative} already exists; refusing to overwrite it (move it away first)"
        )


# -- applying and undoing -------------------------------------------------------------------


@dataclass(frozen=True)
class _Undo:
    kind: str  # "remove-file", "remove-dir", "rename-back", "restore", "recreate-dir"
    path: Path
    other: Path | None = None
    backup: bytes = b""


def _apply_one(op: Operation, root: Path) -> _Undo:
    if isinstance(op, CreateDir):
        target = resolve_inside(root, op.path)
        target.mkdir()
        return _Undo("remove-dir", target)
    if isinstance(op, CreateFile):
        target = resolve_inside(root, op.path)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(target, flags, 0o666)
        undo = _Undo("remove-file", target)
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(_bytes(op.content))
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return undo
    if isinstance(op, Rename):
        src, dst = resolve_inside(root, op.src), resolve_inside(root, op.dst)
        if os.path.lexists(dst):
            raise FileExistsError(f"{op.dst} exists")
        src.rename(dst)
        return _Undo("rename-back", dst, src)
    if isinstance(op, DeleteDir):
        target = resolve_inside(root, op.path)
        target.rmdir()
        return _Undo("recreate-dir", target)
    target = resolve_inside(root, op.path)
    backup = target.read_bytes()
    if sha256_bytes(backup) != op.old_sha256:
        raise UnsafeEditError(f"{op.path} changed while the plan was applied")
    if isinstance(op, DeleteFile):
        target.unlink()
        return _Undo("restore", target, backup=backup)
    try:
        with target.open("wb") as stream:
            stream.write(_bytes(op.new_text))
    except BaseException:
        target.write_bytes(backup)
        raise
    return _Undo("restore", target, backup=backup)


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def _rollback(journal: list[_Undo]) -> list[str]:
    """Undoes applied operations newest first; returns what could not be undone."""
    problems = []
    for undo in reversed(journal):
        try:
            if undo.kind == "remove-file":
                undo.path.unlink()
            elif undo.kind == "remove-dir":
                undo.path.rmdir()
            elif undo.kind == "rename-back":
                assert undo.other is not None
                undo.path.rename(undo.other)
            elif undo.kind == "recreate-dir":
                undo.path.mkdir()
            else:
                undo.path.write_bytes(undo.backup)
        except OSError as exc:
            problems.append(f"{undo.path}: {exc.strerror or exc}")
    return problems


def _action(op: Operation) -> str:
    if isinstance(op, Rename):
        return f"rename {op.src} to {op.dst}"
    kinds = {CreateDir: "create", CreateFile: "create", EditFile: "edit", DeleteFile: "delete",
             DeleteDir: "delete"}
    kind = next(word for kind_of, word in kinds.items() if isinstance(op, kind_of))
    return f"{kind} {op.path}"


def _failure_message(op: Operation | None, exc: Exception, problems: list[str]) -> str:
    """What failed (an operation, or with `op` None the check after the last one)."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    what = f"could not {_action(op)} ({reason})" if op is not None else reason
    if problems:
        return f"{what}; undo incomplete, check by hand: " + "; ".join(problems)
    if op is None:
        return f"{what}; nothing was changed"
    return f"{what}; nothing was changed, fix the cause and run the command again"
