"""Applying a planted bug's edits to source text.

An edit names its place by its text: the old text must occur in its file exactly once.
When the code it edits has moved or changed, the edit no longer applies, and that is said,
naming the bug, so the catalogue is mended rather than a bug silently not planted.

>>> from sim.planted.bug import Edit, PlantedBug
>>> bug = PlantedBug("x", "", (Edit("a.py", "b = 1", "b = 2"),), caught_by="y", hands=1)
>>> patched("a = 0\\nb = 1\\n", bug, "a.py")
'a = 0\\nb = 2\\n'
>>> try:
...     patched("b = 1\\nb = 1\\n", bug, "a.py")
... except PatchError as error:
...     print(str(error).split(";")[0])
planted bug x: its edit of a.py finds 'b = 1' there 2 times, not once
"""

from __future__ import annotations

from sim.planted.bug import PlantedBug


class PatchError(ValueError):
    """An edit does not apply exactly once to the current source."""


def patched(text: str, bug: PlantedBug, file: str) -> str:
    """``text`` (the source of ``file``) with ``bug``'s edits of that file applied."""
    for edit in bug.edits:
        if edit.file != file:
            continue
        count = text.count(edit.old)
        if count != 1:
            raise PatchError(f"planted bug {bug.name}: its edit of {file} finds {edit.old!r} "
                             f"there {count} times, not once; the code it edits has moved or "
                             "changed: mend the edit in the catalogue")
        text = text.replace(edit.old, edit.new)
    return text
