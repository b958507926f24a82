"""The nightly loop: a time-boxed fuzz steered toward rare rule edges.

- ``steer``: Steering, which chooses each table (by id) from the swarm settings that
  reached the least-hit coverage points so far, deterministically.
- ``source``: FuzzSource, the run's tables made as it goes, until the time budget or the
  table count is spent.
- ``loop``: ``fuzz()``, a run over those tables, then triage: one row per bug with a
  shrunk repro (``sim.failures.triage``).
"""
