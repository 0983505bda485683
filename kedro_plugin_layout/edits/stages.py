"""Stage names and numbers: which names are usable, where a new stage goes, and which
later stages must be renumbered to make room for it.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, replace

from kedro_ml_starter.manifest import (
    IDENTIFIER_RE,
    NUMBERED_RE,
    STAGE_ROLES,
    Manifest,
    Stage,
    stage_folder,
)
from kedro_plugin_layout.errors import InvalidNameError
from kedro_plugin_layout.kinds import StageRole, StageStyle

MAX_NAME_LENGTH = 60

# Substrings of a stage name and the role they suggest, most specific first.
_ROLE_HINTS = (
    (("preprocess", "processing", "clean", "ingest", "split", "prepar"),
     StageRole.PREPROCESSING),
    (("feature",), StageRole.FEATURES),
    (("evaluat", "report", "metric"), StageRole.EVALUATION),
    (("train", "science", "model", "fit"), StageRole.TRAINING),
    (("api", "serv", "inference", "scor", "predict", "deploy"), StageRole.SERVING),
)


def validate_stage_name(name: str) -> str:
    """The name as given if it can name a stage folder, else InvalidNameError saying why."""
    hint = "give a lower-case identifier such as hyperparameter_tuning"
    if not name:
        raise InvalidNameError(f"the stage name is empty; {hint}")
    if "/" in name or "\\" in name or name.startswith((".", "~")):
        raise InvalidNameError(f"stage name {name!r} is a path; {hint}")
    if not name.isascii():
        raise InvalidNameError(f"stage name {name!r} has non-ASCII characters; {hint}")
    numbered = NUMBERED_RE.match(name)
    if numbered:
        raise InvalidNameError(
            f"stage name {name!r} has a number prefix; give the name only "
            f"({numbered['name']}): the number comes from its position"
        )
    if name[0].isdigit():
        raise InvalidNameError(f"stage name {name!r} starts with a digit; {hint}")
    if not IDENTIFIER_RE.match(name):
        raise InvalidNameError(
            f"stage name {name!r} may only hold lower-case letters, digits and '_'; {hint}"
        )
    if keyword.iskeyword(name):
        raise InvalidNameError(f"stage name {name!r} is a Python keyword; {hint}")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidNameError(
            f"stage name {name!r} is longer than {MAX_NAME_LENGTH} characters; shorten it"
        )
    return name


def guess_role(name: str) -> StageRole:
    """A role suggested by a stage's name (`data_science` → training), else "other"."""
    lowered = name.lower()
    for hints, role in _ROLE_HINTS:
        if any(hint in lowered for hint in hints):
            return role
    return StageRole.OTHER


def check_role(role: str) -> StageRole:
    if role not in STAGE_ROLES:
        raise InvalidNameError(f"role {role!r} is not one of: {', '.join(STAGE_ROLES)}")
    return StageRole(role)


@dataclass(frozen=True)
class Placement:
    """Where a new stage goes: its manifest entry, its index, and the renumbered stages."""

    stage: Stage
    index: int
    renames: tuple[tuple[Stage, Stage], ...]  # (old, new) for each renumbered later stage
    stages: tuple[Stage, ...]  # the whole new ordered list


def place_stage(manifest: Manifest, name: str, role: StageRole,
                after: str | None) -> Placement:
    """Computes where `name` goes: after the last stage, or after `after` (renumbering)."""
    if manifest.stage(name) is not None or any(s.name == name for s in manifest.stages):
        raise InvalidNameError(
            f"a stage named {name!r} already exists; choose another name"
        )
    stages = list(manifest.stages)
    if after is None:
        index = len(stages)
    else:
        found = manifest.stage(after)
        if found is None:
            known = ", ".join(s.folder for s in stages) or "none"
            raise InvalidNameError(
                f"--after {after!r} is not a stage of this project; known stages: {known}"
            )
        index = stages.index(found) + 1
    if manifest.stage_style != StageStyle.NUMBERED:
        new = Stage(stage_folder(0, name, StageStyle.PLAIN), role)
        return Placement(new, index, (), tuple(stages[:index] + [new] + stages[index:]))
    previous = stages[index - 1].number if index > 0 else 0
    number = (previous or 0) + 1
    new = Stage(stage_folder(number, name, StageStyle.NUMBERED), role)
    renames, later, last = [], [], number
    for stage in stages[index:]:
        kept = stage
        if (stage.number or 0) <= last:
            kept = replace(stage, folder=stage_folder(last + 1, stage.name,
                                                      StageStyle.NUMBERED))
            renames.append((stage, kept))
        later.append(kept)
        last = kept.number or last
    if number > 99 or last > 99:
        raise InvalidNameError("stage numbers would pass 99; merge or remove stages first")
    return Placement(new, index, tuple(renames), tuple(stages[:index] + [new] + later))
