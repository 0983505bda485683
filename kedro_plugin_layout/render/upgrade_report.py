"""`kedro layout upgrade`'s report: what happened (or, with --dry-run, would happen) to
each template file, as text a person reads or as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

from kedro_plugin_layout import __version__
from kedro_plugin_layout.kinds import FileOutcome
from kedro_plugin_layout.upgrade.data_contract import CONTRACT_FILE
from kedro_plugin_layout.upgrade.plan import Upgrade

JSON_SCHEMA_VERSION = 1
# Listed one per line in the text report; the others are counted.
_LISTED = tuple(outcome for outcome in FileOutcome if outcome != FileOutcome.UNCHANGED)

_VERB = {
    FileOutcome.UPDATED: "updated", FileOutcome.MERGED: "merged",
    FileOutcome.CONFLICT: "conflict", FileOutcome.ADDED: "added",
    FileOutcome.REMOVED: "removed", FileOutcome.KEPT_DELETED: "kept deleted",
    FileOutcome.KEPT_CHANGED: "kept", FileOutcome.KEPT_YOURS: "kept yours",
    FileOutcome.UNCHANGED: "unchanged",
}


def render_text(result: Upgrade, dry_run: bool) -> str:
    """The report a person reads: what was inferred, each file, the counts, the conflicts."""
    lines = []
    if result.inferred:
        lines.append(f"No template record in [tool.kedro_layout]: this project was generated "
                     f"by {result.from_version}, with answers inferred from the project:")
        lines += [f"  {i.key} = {i.value!r}  ({i.source})" for i in result.inferred]
        lines.append("  (correct one with --answer KEY=VALUE)")
    if result.current:
        lines.append(f"Already at template {result.to_version}: nothing to do.")
        return "\n".join(lines)
    if result.added_answers:
        lines.append(f"Answers new since {result.from_version}:")
        lines += [f"  {i.key} = {i.value!r}  ({i.source})" for i in result.added_answers]
    head = "Dry run: nothing was written. Upgrading" if dry_run else "Upgraded"
    lines.append(f"{head} from template {result.from_version} to {result.to_version}:")
    shown = [c for c in result.changes if c.outcome in _LISTED
             and not (c.outcome == FileOutcome.KEPT_DELETED and not c.note)]
    width = max((len(_VERB[c.outcome]) for c in shown), default=0)
    for change in shown:
        note = f"  ({change.note})" if change.note else ""
        lines.append(f"  {_VERB[change.outcome]:<{width}}  {change.path}{note}")
    layered = result.layers
    for path, names in layered.datasets.items():
        lines.append(f"  {'layers':<{width}}  {path}  (kedro-viz layer added to "
                     f"{', '.join(names)}, as `kedro layout fix` adds it)")
    counts = ", ".join(f"{n} {_VERB[outcome]}" for outcome, n in result.counts().items())
    lines.append(f"Files: {counts}.")
    lines += [f"Left for you: {item}" for item in layered.left]
    if result.conflicts:
        lines.append("Conflicts: resolve the <<<<<<< / ======= / >>>>>>> markers in:")
        lines += [f"  {path}" for path in result.conflicts]
    elif not dry_run:
        lines.append("Review the change with `git diff`, run `kedro layout check`, commit.")
    return "\n".join(lines)


def render_json(result: Upgrade, dry_run: bool) -> str:
    document = {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": "kedro-layout", "version": __version__},
        "dry_run": dry_run,
        "from_version": result.from_version,
        "to_version": result.to_version,
        "answers": dict(result.answers),
        "inferred": [asdict(i) for i in result.inferred],
        "new_answers": [asdict(i) for i in result.added_answers],
        "summary": {str(outcome): n for outcome, n in result.counts().items()},
        "files": [{"path": c.path, "outcome": str(c.outcome), "note": c.note,
                   "conflicts": c.conflicts} for c in result.changes],
        "conflicts": list(result.conflicts),
        "layers": [{"path": path, "datasets": list(names)}
                   for path, names in result.layers.datasets.items()],
        "left": list(result.layers.left),
        "data_contract": None if result.contract is None else {
            "path": CONTRACT_FILE, "source": result.contract.source,
            "note": result.contract.note},
    }
    return json.dumps(document, indent=2) + "\n"
