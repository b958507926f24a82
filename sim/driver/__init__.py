"""The hand driver: the one way a logged hand is played through the checked pipeline.

- ``script``: what is played: a ``Script`` is where play starts (a fresh table's opening,
  or a logged hand's snapshot) and the logged actions that follow.
- ``hooks``: ``TableHook``, what the driver and the table player call at fixed points of
  a table, and ``Interrupt``, how a hook stops a table from code that may never return.
- ``drive``: ``drive(script, checks, hooks, refused)`` plays a script and says how it
  ended: a finding, a logged action the engine refused, or every action played.

Every logged hand goes through ``drive``: a failure dump's (``sim replay``), a hand
stored in a run's database, a shrinking candidate, a PHH hand (``sim check-phh``), the
hands ``sim export-phh`` rebuilds, and the faults' re-runs of a hand
(``sim.hooks.rerun``). The table player (``sim.runner.player``) is not a replay: its
bots choose each action live, so it has a loop of its own, and calls the hooks at the
same points.
"""
