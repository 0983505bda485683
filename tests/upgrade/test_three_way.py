"""The per-file decision of `kedro layout upgrade`: every combination of the old template
(base), the new template (theirs) and the project (yours), on small texts."""

from __future__ import annotations

import pytest

from kedro_plugin_layout.kinds import FileOutcome
from kedro_plugin_layout.upgrade.three_way import Labels, decide, is_opaque, merge_text

BASE = b"a\nb\nc\nd\ne\n"
THEIRS = b"a\nb\nc\nd\nE\n"  # the template changed the last line
YOURS = b"A\nb\nc\nd\ne\n"   # the user changed the first


@pytest.mark.parametrize(("base", "theirs", "yours", "outcome", "content"), [
    (BASE, BASE, BASE, FileOutcome.UNCHANGED, None),
    (BASE, BASE, YOURS, FileOutcome.UNCHANGED, None),          # only you changed it
    (BASE, THEIRS, THEIRS, FileOutcome.UNCHANGED, None),       # same change on both sides
    (BASE, THEIRS, BASE, FileOutcome.UPDATED, THEIRS),         # only the template changed it
    (BASE, THEIRS, YOURS, FileOutcome.MERGED, b"A\nb\nc\nd\nE\n"),
    (None, THEIRS, None, FileOutcome.ADDED, THEIRS),
    (None, THEIRS, THEIRS, FileOutcome.UNCHANGED, None),       # you already had it
    (BASE, None, BASE, FileOutcome.REMOVED, None),
    (BASE, None, YOURS, FileOutcome.KEPT_CHANGED, None),
    (BASE, BASE, None, FileOutcome.KEPT_DELETED, None),
    (BASE, THEIRS, None, FileOutcome.KEPT_DELETED, None),
    (BASE, None, None, FileOutcome.KEPT_DELETED, None),
])
def test_each_combination_has_one_outcome(base, theirs, yours, outcome, content):
    decision = decide(base, theirs, yours)

    assert decision.outcome == outcome
    assert decision.content == content
    assert decision.outcome.writes == (content is not None)


def test_a_deleted_file_the_template_changed_is_reported_not_restored():
    quiet = decide(BASE, BASE, None)
    loud = decide(BASE, THEIRS, None)

    assert quiet.note == ""
    assert loud.note == "you deleted it and the template changed it: not restored"
    assert loud.content is None


def test_a_changed_file_the_template_removed_is_kept_and_says_why():
    decision = decide(BASE, None, YOURS)

    assert decision.note == "you changed it and the template removed it: kept"


def test_lines_both_sides_changed_are_left_between_git_style_markers():
    theirs = b"a2\nb\nc\nd\ne\n"

    decision = decide(BASE, theirs, YOURS, labels=Labels("yours", "template 0.2.0"))

    assert decision.outcome == FileOutcome.CONFLICT
    assert decision.conflicts == 1
    assert decision.content == (b"<<<<<<< yours\nA\n=======\na2\n>>>>>>> template 0.2.0\n"
                                b"b\nc\nd\ne\n")


def test_a_file_the_template_adds_where_you_have_one_is_merged_add_add():
    theirs, yours = b"x = 1\ny = 2\n", b"x = 1\ny = 3\n"

    decision = decide(None, theirs, yours)

    assert decision.outcome == FileOutcome.CONFLICT
    assert decision.note == "added by the template where you had a file"
    assert decision.content == b"x = 1\n<<<<<<< yours\ny = 3\n=======\ny = 2\n>>>>>>> template\n"


@pytest.mark.parametrize("opaque", [True, False])
def test_data_notebooks_and_binaries_are_never_merged_as_text(opaque):
    base, theirs = b"\x89PNG\x00old", b"\x89PNG\x00new"
    yours = b"\x89PNG\x00mine"
    if opaque:  # UTF-8 text, but a notebook or a data file
        base, theirs, yours = BASE, THEIRS, YOURS

    decision = decide(base, theirs, yours, opaque=opaque)

    assert decision.outcome == FileOutcome.KEPT_YOURS
    assert decision.content is None
    assert "the template's change is not applied" in decision.note


def test_an_unchanged_binary_file_takes_the_new_template_version():
    decision = decide(b"\x00old", b"\x00new", b"\x00old", opaque=True)

    assert decision.outcome == FileOutcome.UPDATED
    assert decision.content == b"\x00new"


def test_a_last_line_without_newline_never_glues_to_a_marker():
    merged = merge_text("a\nb", "a\nB", "a\nb2")

    assert merged.conflicts == 1
    assert merged.text == "a\n<<<<<<< yours\nB\n=======\nb2\n>>>>>>> template\n"


def test_changes_far_apart_merge_cleanly_and_keep_line_endings():
    base = "".join(f"line {i}\r\n" for i in range(10))
    yours = base.replace("line 1\r\n", "mine\r\n")
    theirs = base.replace("line 8\r\n", "theirs\r\n")

    merged = merge_text(base, yours, theirs)

    assert merged.conflicts == 0
    assert merged.text == base.replace("line 1\r\n", "mine\r\n").replace("line 8\r\n",
                                                                        "theirs\r\n")


@pytest.mark.parametrize(("path", "opaque"), [
    ("notebooks/explore.ipynb", True),
    ("data/01_raw/penguins.csv", True),
    ("data/01_raw/README.md", True),
    ("models/.gitkeep", True),
    ("conf/base/catalog.yml", False),
    ("src/pkg/pipelines/01_x/nodes.py", False),
    ("README.md", False),
])
def test_what_is_opaque(path, opaque):
    assert is_opaque(path, ("data", "models")) is opaque
