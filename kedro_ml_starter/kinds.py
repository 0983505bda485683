"""The closed sets of words of the layout contract, as string enums.

A leaf module (it imports only `enum`): the manifest's roles and stage styles, which the
starter writes and `kedro layout` reads. Members are `str`s, so TOML manifests and JSON
output keep their spelling.
"""

from __future__ import annotations

from enum import StrEnum


class StageRole(StrEnum):
    """What a stage does in the ML work; the leakage rules read it."""

    PREPROCESSING = "preprocessing"
    FEATURES = "features"
    TRAINING = "training"
    EVALUATION = "evaluation"
    SERVING = "serving"
    OTHER = "other"


class DataRole(StrEnum):
    """What a numbered data folder holds; `eval` and `test` are the held-out splits."""

    RAW = "raw"
    TRAIN = "train"
    EVAL = "eval"
    TEST = "test"
    REPORTING = "reporting"
    SCORING = "scoring"
    OTHER = "other"


class StageStyle(StrEnum):
    """How stage folders are named: `03_model_training` or `model_training`."""

    NUMBERED = "numbered"
    PLAIN = "plain"


def values(kind: type[StrEnum]) -> tuple[str, ...]:
    """The members' spellings, in definition order (for click choices and messages)."""
    return tuple(member.value for member in kind)
