"""Table hooks: what the table player (and the replayer) call at fixed points of a table,
as the controller calls its subscribers. Each is its own module behind one interface.

- ``base``: ``TableHook`` (table_started, dispatched, hand_ended, table_ended, counts) and
  ``Interrupt``, how a hook stops a table from inside code that may never return.
- ``faults``: ``Fault`` specs (``sim run --fault NAME=VALUE``) and the hooks they make:
  ``crash_restore``, ``duplicate_dispatch``, ``determinism`` (with ``rerun``),
  ``watchdog`` (hand_timeout, which ``--hand-timeout`` sets; it also beats the process's
  pulse for the run's main process), and the harness's own test faults (crash_worker,
  slow_tables).
- ``oracle``: a sample of hands compared with PokerKit (``sim run --oracle``).
- ``decks``: ``DeckTally``, the decks a table dealt, for the run-level checks
  (``sim.runlevel``).
"""
