"""A Kedro config file merged entry by entry, where a line merge finds conflicts.

A catalog or parameters file is a list of top-level entries, each a key line with its
indented body and the comment lines right above it. A line merge sees an entry the user
appended at the end next to a template change of the last entry as one conflict; here the
three versions are compared entry by entry instead:

- an entry only one side changed (or added, or removed) takes that side's version, and
  one you deleted stays deleted;
- an entry both changed is merged line by line on its own (its conflicts stay, smaller);
- entries keep the new template's order; one only the user has goes before the entry
  that follows it in the user's file, or last.

Blank lines between entries are layout, not content: an entry is compared without them,
and the merged file puts one between entries. A file this cannot split (no top-level
mapping keys, a key twice, a `---` document marker) is left to the line merge.
"""

from __future__ import annotations

import re
from collections.abc import Callable

KEY_LINE = re.compile(r"^[^\s#\-][^:]*:(\s|$)")
Merge = Callable[[str, str, str], tuple[str, int]]


def split_entries(text: str) -> tuple[str, dict[str, str]] | None:
    """(the lines before the first entry, each entry's text by key), or None."""
    header: list[str] = []
    entries: dict[str, list[str]] = {}
    current = header
    pending: list[str] = []  # column-0 comments and blank lines since the last body line
    for line in text.splitlines(keepends=True):
        if line.startswith(("---", "...")):
            return None
        if KEY_LINE.match(line):
            key = line.split(":", 1)[0].strip()
            if key in entries:
                return None
            # the comments right above a key are its own; those before a blank line are not
            blank = max((i for i, held in enumerate(pending) if not held.strip()), default=-1)
            current += pending[:blank + 1]
            current = entries[key] = [*pending[blank + 1:], line]
            pending = []
        elif line.startswith("#") or not line.strip():
            pending.append(line)
        else:
            current += [*pending, line]
            pending = []
    current += pending
    if not entries:
        return None
    return "".join(header), {key: _trimmed("".join(body)) for key, body in entries.items()}


def _trimmed(block: str) -> str:
    return block.strip("\n") + "\n"


def merge_entries(base: str, yours: str, theirs: str, merge: Merge) -> tuple[str, int] | None:
    """The entry-wise merge and its conflict count, or None when a side cannot be split."""
    sides = [split_entries(text) for text in (base, yours, theirs)]
    if any(side is None for side in sides):
        return None
    (base_head, base_entries), (your_head, your_entries), (their_head, their_entries) = \
        sides  # type: ignore[misc]
    conflicts = 0
    merged_head, n = _three(base_head, your_head, their_head, merge)
    head = merged_head or ""  # every side has a head (maybe empty): so has their merge
    conflicts += n
    merged: dict[str, str] = {}
    for key in _order(your_entries, their_entries):
        text, n = _three(base_entries.get(key), your_entries.get(key), their_entries.get(key),
                         merge)
        conflicts += n
        if text is not None:
            merged[key] = _trimmed(text)
    body = "\n".join(merged.values())
    return (head.rstrip("\n") + "\n\n" if head.strip() else "") + body, conflicts


def _three(base: str | None, yours: str | None, theirs: str | None,
           merge: Merge) -> tuple[str | None, int]:
    """One entry (None: absent on that side): as for files, an entry you deleted stays
    deleted, and one you changed that the template removed is a conflict to look at (the
    template may have renamed it)."""
    if yours == theirs or base == yours:
        return theirs, 0
    if base == theirs or yours is None:
        return yours, 0
    return merge(base or "", yours, theirs or "")


def _order(yours: dict[str, str], theirs: dict[str, str]) -> list[str]:
    """The new template's order; an entry only you have goes before the entry of both
    files that follows it in yours, or last when none does (where users append)."""
    order = list(theirs)
    following = None
    for key in reversed(list(yours)):
        if key in theirs:
            following = key
            continue
        order.insert(order.index(following) if following else len(order), key)
    return order
