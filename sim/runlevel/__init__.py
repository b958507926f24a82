"""Run-level checks: properties of a run's hands together that no single hand shows (the
shuffle is uniform; tables deal independent decks), tested once the run's tables are
stored, at a stated false-alarm rate (README: "Run-level checks").

- ``table``: a table's decks summed up in its worker (``TableDecks``; the decks are kept
  as the table plays by the hook ``sim.hooks.decks.DeckTally``), or dealt again from its
  seed (``dealt_again``).
- ``decks``: the run's decks summed up in the main process as tables arrive
  (``RunDecks``), in memory that does not grow with the run's hands, with a bounded
  sample of the decks (``DeckSample``).
- ``checks``: the checks and their tests (``evaluate``), judged together by Holm's method.
- ``tails``: the tail probabilities: the incomplete gamma function, the chi-square, the
  gamma fit of a sum of agreements between decks.
- ``holm``: Holm's step-down correction.
- ``record``: the end of a run: the checks tested, each failed one dumped and stored
  (``check_run``, which ``sim.run`` calls).
- ``dump``: a failed check's dump (format ``sim.runcheck``).
- ``replay``: a dump's hands dealt again and the checks run again, with a verdict.
"""
