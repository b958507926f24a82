"""Planted bugs: named, hand-written mutants of the engine, kept outside it.

The engine holds no test switch. A planted bug is a record (``PlantedBug``) of exact source
edits; ``--plant-bug NAME`` runs the command in a plain-Python copy of the package with
those edits applied, as mutation-testing tools run their mutants.

- ``bug``: ``PlantedBug`` and ``Edit``, one record per bug: its name, what it breaks, its
  edits, what catches it and how many hands that takes.
- ``catalogue``: every planted bug (``CATALOGUE``), gathered from the area modules
  ``seats``, ``dealing``, ``betting``, ``showdown``, ``views``, ``harness`` and
  ``statistics`` (bugs only the run-level checks see); and ``markdown()``, the README's
  table of them.
- ``patch``: applying a bug's edits to source text; an edit whose text is not in its file
  exactly once is refused, naming the bug.
- ``copy``: the patched copy of the package for a set of bugs (built once, cached by the
  sources' content and the bugs' names), and ``carried()``: which bugs the running code
  carries.
- ``child``: a ``sim`` command, or one function, run in the copy that carries its bugs.
"""
