"""The closed sets of words the plugin uses, as string enums.

A leaf module (it imports only `enum` and the contract's own leaf of words,
`kedro_ml_starter.kinds`: stage and data roles, stage styles): the CLI offers these as
choices without importing anything else of the plugin, and every other module compares
against members instead of free strings. Members are `str`s, so JSON output and TOML
manifests keep their spelling.
"""

from __future__ import annotations

from enum import StrEnum

from kedro_ml_starter.kinds import DataRole, StageRole, StageStyle, values


class Status(StrEnum):
    """What a rule's check concluded."""

    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"


class Learning(StrEnum):
    """How a node's code learns from the rows it reads (see `node_code`)."""

    FIT = "fit"                  # fits an estimator or transformer: fit, fit_transform, ...
    STATISTICS = "statistics"    # statistics over rows: mean, median, value_counts, ...
    SCORES = "scores"            # scores predictions: metrics, model.score, predict + stats


class OutputFormat(StrEnum):
    """The formats `kedro layout check` renders a report in."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"


class ImportMode(StrEnum):
    """How the check reads the project's pipelines.

    `lite` imports the project's own modules with stand-ins for every third-party
    module; `full` imports them for real (the project's dependencies must be installed);
    `auto` is lite, and full for a stage whose graph lite mode cannot build.
    """

    AUTO = "auto"
    LITE = "lite"
    FULL = "full"


class PipelineStatus(StrEnum):
    """What reading a stage folder's `create_pipeline()` gave."""

    OK = "ok"
    MISSING = "missing"
    NO_PIPELINE = "no_pipeline"


class FileOutcome(StrEnum):
    """What `kedro layout upgrade` does with one template file of the project."""

    UPDATED = "updated"            # you never changed it: the new template's version
    MERGED = "merged"              # both changed it: merged three ways, cleanly
    CONFLICT = "conflict"          # both changed the same lines: markers left to resolve
    ADDED = "added"                # new in the template
    REMOVED = "removed"            # the template removed it and you never changed it
    KEPT_DELETED = "kept_deleted"  # you deleted it: it stays deleted
    KEPT_CHANGED = "kept_changed"  # the template removed it but you changed it: kept
    KEPT_YOURS = "kept_yours"      # both changed a file never merged as text: yours kept
    UNCHANGED = "unchanged"        # nothing to write: the template did not change it

    @property
    def writes(self) -> bool:
        return self in (FileOutcome.UPDATED, FileOutcome.MERGED, FileOutcome.CONFLICT,
                        FileOutcome.ADDED)


__all__ = ["DataRole", "FileOutcome", "ImportMode", "OutputFormat", "PipelineStatus",
           "StageRole", "StageStyle", "Status", "values"]
