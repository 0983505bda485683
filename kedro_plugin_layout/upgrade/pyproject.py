"""pyproject.toml in an upgrade: the template's text merged, the project's manifest kept.

The starter's post-generation hook appends the manifest to the template's pyproject.toml,
and the project edits it since (add-stage, fix, the user). Renders are made without
hooks, so the project's own manifest block (from its leading comment to its last
`[tool.kedro_layout...]` table), and whatever the project has after it, are appended to
both renders, as the hook appended the manifest: a project whose pyproject.toml the user
never touched then equals the old side, the user's manifest edits (and tables added
after it) are no change at all, and the only manifest change the merge applies is the
new template record, on the new side. The layout itself (stages, data folders, ignores)
stays the user's: `kedro layout check` and `fix` look after it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

import tomlkit

from kedro_ml_starter.manifest import TABLE
from kedro_ml_starter.template_record import (
    TemplateRecord,
    parse_template_record,
    template_table,
)
from kedro_plugin_layout.errors import ManifestError
from kedro_plugin_layout.project.manifest_lines import PYPROJECT, TABLE_HEADER


@dataclass(frozen=True)
class ManifestBlock:
    """The manifest's lines in a project's pyproject.toml, and everything after them."""

    text: str
    after: str = ""


def manifest_block(text: str) -> ManifestBlock | None:
    """The lines holding every `[tool.kedro_layout...]` table, with the comment above the
    first one; None when the file has no manifest."""
    lines = text.splitlines(keepends=True)
    headers: dict[int, str] = {}
    for i, line in enumerate(lines):
        match = TABLE_HEADER.match(line)
        if match:
            headers[i] = match["name"].replace(" ", "")
    ours = [i for i, name in headers.items() if name == TABLE or name.startswith(f"{TABLE}.")]
    if not ours:
        return None
    start = ours[0]
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    end = next((i for i in headers if i > ours[-1]), len(lines))
    while end > ours[-1] + 1 and (not lines[end - 1].strip()
                                  or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return ManifestBlock("".join(lines[start:end]), "".join(lines[end:]))


def with_block(template_text: str, block: ManifestBlock, manifest: str | None = None) -> str:
    """A rendered pyproject.toml with the project's manifest (or `manifest` in its place)
    appended as the hook appends it, then what the project has after the manifest."""
    head = template_text.rstrip("\n")
    return f"{head}\n\n{block.text if manifest is None else manifest}{block.after}"


def block_with_record(block: str, record: TemplateRecord) -> str:
    """The manifest block with its template record set to `record` (tomlkit: the user's
    comments and layout stay as they are); answers the record no longer takes go."""
    try:
        doc = tomlkit.parse(block)
        layout = doc["tool"]["kedro_layout"]
    except (tomlkit.exceptions.TOMLKitError, KeyError) as exc:
        raise ManifestError(f"[{TABLE}] cannot be updated ({exc}); fix the TOML",
                            PYPROJECT) from None
    current = layout.get("template")
    if current is None:
        layout.add("template", template_table(record))
    else:
        current["version"] = record.version
        answers = current.get("answers")
        if answers is None:
            current.add("answers", template_table(record)["answers"])
        else:
            for key in [key for key in answers if key not in record.answers]:
                del answers[key]
            for key, value in record.answers.items():
                if answers.get(key) != value:
                    answers[key] = value
    out = tomlkit.dumps(doc)
    if not block.endswith("\n\n"):  # a table added at the end brings a blank line along
        out = out.rstrip("\n") + "\n"
    written = tomllib.loads(out)["tool"]["kedro_layout"].get("template")
    if parse_template_record(written) != record:
        raise ManifestError(f"[{TABLE}.template] could not be updated in place; edit it by "
                            "hand", PYPROJECT)
    return out
