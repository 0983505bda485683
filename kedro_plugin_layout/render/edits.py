"""What the writing commands (add-stage, fix, init) did, or with --dry-run would do: the
exact plan with the diff of each edit, and the summary a person reads afterwards."""

from __future__ import annotations

from kedro_plugin_layout.commands.add_stage import AddStage
from kedro_plugin_layout.commands.fix import Fix
from kedro_plugin_layout.commands.init import Init
from kedro_plugin_layout.edits.plan import CreateDir, CreateFile, EditFile, Plan


def dry_run(plan: Plan) -> str:
    """The exact plan (and the diffs of edits), said to have written nothing."""
    lines = ["Dry run: nothing was written. The plan:", _indent(plan.describe())]
    diffs = plan.diffs()
    if diffs:
        lines += ["Edits:", _indent(diffs.rstrip("\n"))]
    return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" if line else line for line in text.splitlines())


def left_for_user(items: tuple[str, ...]) -> str:
    """What a command could not do safely, one `Left for you:` line each ("" for none)."""
    return "\n".join(f"Left for you: {item}" for item in items)


def added_stage(result: AddStage) -> str:
    where = f"after {result.after.folder}" if result.after else "as the first stage"
    lines = [f"Added stage {result.stage.folder} (role {result.stage.role}) {where}."]
    if result.renames:
        moved = ", ".join(f"{old.folder} -> {new.folder}" for old, new in result.renames)
        lines.append(f"Renumbered: {moved}.")
    if result.data_folder:
        lines.append(f"Data folder: {result.data_folder.folder}.")
    lines.append(f"Next: write its nodes, then `kedro run --pipelines {result.stage.folder}`.")
    return "\n".join(lines)


def fixed(result: Fix) -> str:
    ops = result.plan.operations
    dirs = sum(isinstance(op, CreateDir) for op in ops)
    files = sum(isinstance(op, CreateFile) for op in ops)
    edited = [op.path for op in ops if isinstance(op, EditFile)]
    appended = [path for path in edited if path not in result.layered]
    done = f"Fixed: created {_count(dirs, 'folder')} and {_count(files, 'file')}"
    done += f"; appended to {', '.join(appended)}" if appended else ""
    layered = [path for path in edited if path in result.layered]
    done += f"; added kedro-viz layers in {', '.join(layered)}." if layered else "."
    return "\n".join([done, *(f"Left for you: {item}" for item in result.left)])


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def inferred(result: Init) -> str:
    """What init inferred, for a person to check before (or after) it writes."""
    m = result.manifest
    lines = [f"Inferred layout (stage_style = {m.stage_style}, models = {m.models}):"]
    for d in m.data:
        seen = result.seen_in.get(d.folder, ())
        note = f" (not on disk; from {', '.join(seen)})" if seen and "disk" not in seen else ""
        lines.append(f"  data   {m.data_root}/{d.folder:<24} {d.role:<10}{note}".rstrip())
    lines += [f"  stage  {s.folder:<29} {s.role}" for s in m.stages]
    if not m.stages:
        lines.append("  no stages yet: add one with `kedro layout add-stage NAME`")
    lines += [f"Left for you: {item}" for item in result.left]
    return "\n".join(lines)
